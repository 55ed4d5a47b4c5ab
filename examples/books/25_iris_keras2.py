"""모두의 딥러닝 (1판) 03: iris species, Keras 2 / TensorFlow 1 spellings.

Written as the first edition wrote it: ``keras.layers.core``, ``keras.utils.np_utils``,
TensorFlow 1's ``tf.set_random_seed`` and scikit-learn's LabelEncoder for the species names.
The book reaches an accuracy of about 0.97.

    glassnet run examples/books/25_iris_keras2.py
"""

import matplotlib.pyplot as plt
import numpy
import pandas as pd
import tensorflow as tf
from keras.layers.core import Dense
from keras.models import Sequential
from keras.utils import np_utils
from sklearn.preprocessing import LabelEncoder

import book_data

# Fix the seeds.
seed = 0
numpy.random.seed(seed)
tf.set_random_seed(seed)

df = pd.read_csv(book_data.path("iris", "iris.csv"),
                 names=["sepal_length", "sepal_width", "petal_length", "petal_width",
                        "species"])

# The book draws a seaborn pairplot; pandas draws the same kind of grid.
pd.plotting.scatter_matrix(df, figsize=(8, 8))
plt.show()

dataset = df.values
X = dataset[:, 0:4].astype(float)
Y_obj = dataset[:, 4]

# Species names become 0, 1, 2 and then one-hot rows.
e = LabelEncoder()
e.fit(Y_obj)
Y = e.transform(Y_obj)
Y_encoded = np_utils.to_categorical(Y)

model = Sequential()
model.add(Dense(16, input_dim=4, activation='relu'))
model.add(Dense(3, activation='softmax'))

model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X, Y_encoded, epochs=book_data.epochs(50), batch_size=1)

print("\n Accuracy: %.4f" % (model.evaluate(X, Y_encoded)[1]))
