"""모두의 딥러닝 (3판) ch12: telling iris species apart (multiclass classification).

The species names become one-hot columns with pandas' get_dummies; a softmax output gives the
probability of each species.  The book reaches an accuracy of about 0.97.

    glassnet run examples/books/03_iris_multiclass.py
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

import book_data

np.random.seed(3)
tf.random.set_seed(3)

df = pd.read_csv(book_data.path("iris", "iris3.csv"))
print(df.head())

# The book draws a seaborn pairplot; two of the measurements, coloured by species:
for species, group in df.groupby("species"):
    plt.scatter(group.petal_length, group.petal_width, label=species)
plt.legend()
plt.show()

X = df.iloc[:, 0:4]
y = df.iloc[:, 4]

# One column per species, 1 where the flower is of that species.
y = pd.get_dummies(y)
print(y[:5])

model = Sequential()
model.add(Dense(12, input_dim=4, activation='relu'))
model.add(Dense(8, activation='relu'))
model.add(Dense(3, activation='softmax'))
model.summary()

model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
history = model.fit(X, y, epochs=book_data.epochs(50), batch_size=5)

print("\n Accuracy: %.4f" % (model.evaluate(X, y)[1]))
