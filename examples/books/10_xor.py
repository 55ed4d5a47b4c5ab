"""The XOR problem: what one neuron cannot do and a hidden layer can.

XOR is 1 when exactly one input is 1; no single line separates its outputs, so a perceptron
fails on it.  A hidden layer of a few tanh units bends the space and the network gets all
four cases right.

    glassnet run examples/books/10_xor.py
"""

import keras
import numpy as np
from keras import layers

import book_data

keras.utils.set_random_seed(42)

x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([0, 1, 1, 0])

model = keras.Sequential([
    layers.Dense(8, activation='tanh', input_shape=(2,)),
    layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05),
              loss='binary_crossentropy', metrics=['accuracy'])
history = model.fit(x, y, epochs=book_data.epochs(300), verbose=0)

predictions = model.predict(x)
for inputs, p in zip(x, predictions):
    print(f"{inputs[0]} XOR {inputs[1]} -> {p[0]:.3f}")

loss, accuracy = model.evaluate(x, y, verbose=0)
print("\n Accuracy: %.4f" % accuracy)
