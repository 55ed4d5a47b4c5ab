"""모두의 딥러닝 (3판) ch13: sonar signals, rock or mine, checked with k-fold cross validation.

The 208 samples are split into 5 folds; each fold is the test set once while the model trains
on the other four, and the five test accuracies are averaged.  The book's average is about
0.80 to 0.84.

    glassnet run examples/books/04_sonar_kfold.py
"""

import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import KFold
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

import book_data

np.random.seed(0)
tf.random.set_seed(0)

df = pd.read_csv(book_data.path("sonar", "sonar3.csv"), header=None)

X = df.iloc[:, 0:60]
y = df.iloc[:, 60]

# How many folds.
k = 5

# Split the data into k folds, shuffled.
kfold = KFold(n_splits=k, shuffle=True)

acc_score = []


def model_fn():
    model = Sequential()
    model.add(Dense(24, input_dim=60, activation='relu'))
    model.add(Dense(10, activation='relu'))
    model.add(Dense(1, activation='sigmoid'))
    return model


for train_index, test_index in kfold.split(X):
    X_train, X_test = X.iloc[train_index, :], X.iloc[test_index, :]
    y_train, y_test = y.iloc[train_index], y.iloc[test_index]

    model = model_fn()
    model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
    history = model.fit(X_train, y_train, epochs=book_data.epochs(200), batch_size=10,
                        verbose=0)

    accuracy = model.evaluate(X_test, y_test)[1]
    acc_score.append(accuracy)

avg_acc_score = sum(acc_score) / k

print('Accuracy per fold:', acc_score)
print('Mean accuracy:', avg_acc_score)
