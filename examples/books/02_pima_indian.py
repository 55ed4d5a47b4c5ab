"""모두의 딥러닝 (3판) ch11: predicting diabetes of Pima Indians with pandas.

Looks at the data with pandas and matplotlib first, then trains a three-layer network on the
eight measurements.  The book's model ends at an accuracy of about 0.77.

    glassnet run examples/books/02_pima_indian.py
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

# Read the data with pandas.
df = pd.read_csv(book_data.path("pima-indians-diabetes", "pima-indians-diabetes3.csv"))

# A first look at the data.
print(df.head(5))
print(df["diabetes"].value_counts())
print(df.describe())

# How strongly each measurement relates to the others (the book draws this with seaborn).
colormap = plt.cm.gist_heat
plt.figure(figsize=(12, 12))
plt.imshow(df.corr(), cmap=colormap, vmax=1.0)
plt.xticks(range(len(df.columns)), df.columns, rotation=45)
plt.yticks(range(len(df.columns)), df.columns)
plt.colorbar()
plt.show()

# Plasma glucose is the most telling: its histogram for healthy and diabetic people.
plt.hist(x=[df.plasma[df.diabetes == 0], df.plasma[df.diabetes == 1]], bins=30,
         histtype='barstacked', label=['normal', 'diabetes'])
plt.legend()
plt.show()

# The eight measurements are X, the diagnosis is y.
X = df.iloc[:, 0:8]
y = df.iloc[:, 8]

model = Sequential()
model.add(Dense(12, input_dim=8, activation='relu', name='Dense_1'))
model.add(Dense(8, activation='relu', name='Dense_2'))
model.add(Dense(1, activation='sigmoid', name='Dense_3'))
model.summary()

model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
history = model.fit(X, y, epochs=book_data.epochs(100), batch_size=5)

print("\n Accuracy: %.4f" % (model.evaluate(X, y)[1]))
