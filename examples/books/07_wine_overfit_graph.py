"""모두의 딥러닝 (1판/2판) 10: seeing overfitting on a graph (Keras 2 style).

Trains for thousands of epochs on 15% of the wine data, saving a model file every time the
validation loss improves, then plots the validation loss against the training accuracy.
The book reads ``history.history['acc']``: the key name of Keras up to 2.2, which glassnet
still answers after ``metrics=['accuracy']``.

    glassnet run examples/books/07_wine_overfit_graph.py
"""

import os

import matplotlib.pyplot as plt
import numpy
import pandas as pd
import tensorflow as tf
from keras.callbacks import ModelCheckpoint
from keras.layers import Dense
from keras.models import Sequential

import book_data

seed = 0
numpy.random.seed(seed)
tf.random.set_seed(3)

df_pre = pd.read_csv(book_data.path("wine", "wine.csv"), header=None)
df = df_pre.sample(frac=0.15)

dataset = df.values
X = dataset[:, 0:12]
Y = dataset[:, 12]

model = Sequential()
model.add(Dense(30, input_dim=12, activation='relu'))
model.add(Dense(12, activation='relu'))
model.add(Dense(8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))

model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])

# A folder for the saved models.
MODEL_DIR = './model/'
if not os.path.exists(MODEL_DIR):
    os.mkdir(MODEL_DIR)

modelpath = "./model/{epoch:02d}-{val_loss:.4f}.hdf5"
checkpointer = ModelCheckpoint(filepath=modelpath, monitor='val_loss', verbose=1,
                               save_best_only=True)

history = model.fit(X, Y, validation_split=0.33, epochs=book_data.epochs(3500),
                    batch_size=500, verbose=0, callbacks=[checkpointer])

# The validation loss and the training accuracy ('acc', as Keras 2 named it).
y_vloss = history.history['val_loss']
y_acc = history.history['acc']

x_len = numpy.arange(len(y_acc))
plt.plot(x_len, y_vloss, "o", c="red", markersize=3)
plt.plot(x_len, y_acc, "o", c="blue", markersize=3)
plt.show()

print("\n Accuracy: %.4f" % (model.evaluate(X, Y)[1]))
print("Saved models:", len(os.listdir(MODEL_DIR)))
