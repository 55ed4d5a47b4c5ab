"""혼자 공부하는 머신러닝+딥러닝 7-2/7-3 style: the same network with four optimizers.

The book trains on Fashion-MNIST (not available offline); here MNIST takes its place.  Each
optimizer trains the same 784-100-10 network for five epochs; plain SGD with its default
learning rate of 0.01 learns slowest, the adaptive ones (Adagrad, RMSprop, Adam) faster.

    glassnet run examples/books/13_optimizer_comparison.py
"""

import matplotlib.pyplot as plt
import tensorflow as tf
from sklearn.model_selection import train_test_split
from tensorflow import keras

import book_data

keras.utils.set_random_seed(42)
tf.config.experimental.enable_op_determinism()

(train_input, train_target), (test_input, test_target) = keras.datasets.mnist.load_data()
train_input, train_target = book_data.train_samples(train_input, train_target)

train_scaled = train_input / 255.0
train_scaled, val_scaled, train_target, val_target = train_test_split(
    train_scaled, train_target, test_size=0.2, random_state=42)


def model_fn(a_layer=None):
    model = keras.Sequential()
    model.add(keras.layers.Flatten(input_shape=(28, 28)))
    model.add(keras.layers.Dense(100, activation='relu'))
    if a_layer:
        model.add(a_layer)
    model.add(keras.layers.Dense(10, activation='softmax'))
    return model


results = {}
for optimizer in ['sgd', 'adagrad', 'rmsprop', 'adam']:
    model = model_fn()
    model.compile(optimizer=optimizer, loss='sparse_categorical_crossentropy',
                  metrics=['accuracy'])
    history = model.fit(train_scaled, train_target, epochs=book_data.epochs(5), verbose=0,
                        validation_data=(val_scaled, val_target))
    results[optimizer] = history.history['val_accuracy'][-1]
    plt.plot(history.history['val_loss'], label=optimizer)

plt.xlabel('epoch')
plt.ylabel('val_loss')
plt.legend()
plt.show()

for optimizer, accuracy in results.items():
    print(f"{optimizer:8s} val_accuracy: {accuracy:.4f}")
