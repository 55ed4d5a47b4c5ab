"""모두의 딥러닝 (2판) 06: saving a trained model and loading it again.

The sonar labels are letters ('R' rock, 'M' mine), turned into 0 / 1 with scikit-learn's
LabelEncoder.  The model trains on 70% of the data, is saved to a file, deleted, loaded
again and evaluated on the other 30%: the book gets a test accuracy of about 0.8.

    glassnet run examples/books/05_sonar_save_model.py
"""

import numpy
import pandas as pd
import tensorflow as tf
from keras.layers import Dense
from keras.models import Sequential, load_model
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

import book_data

seed = 0
numpy.random.seed(seed)
tf.compat.v1.set_random_seed(seed)

df = pd.read_csv(book_data.path("sonar", "sonar.csv"), header=None)

dataset = df.values
X = dataset[:, 0:60].astype(float)
Y_obj = dataset[:, 60]

e = LabelEncoder()
e.fit(Y_obj)
Y = e.transform(Y_obj)

# 70% to learn from, 30% to test on.
X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_size=0.3, random_state=seed)

model = Sequential()
model.add(Dense(24, input_dim=60, activation='relu'))
model.add(Dense(10, activation='relu'))
model.add(Dense(1, activation='sigmoid'))

model.compile(loss='mean_squared_error', optimizer='adam', metrics=['accuracy'])
model.fit(X_train, Y_train, epochs=book_data.epochs(130), batch_size=5)

model.save('my_model.h5')   # save the model

del model                   # delete it from memory
model = load_model('my_model.h5')   # and load it back

print("\n Test Accuracy: %.4f" % (model.evaluate(X_test, Y_test)[1]))
