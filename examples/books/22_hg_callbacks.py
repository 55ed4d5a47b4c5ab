"""혼자 공부하는 머신러닝+딥러닝 7-3: dropout, saving and restoring, callbacks.

The book trains on Fashion-MNIST (not available offline); MNIST takes its place here.  A
Dropout layer fights overfitting, ModelCheckpoint keeps the best model in
'best-model.keras', EarlyStopping(patience=2, restore_best_weights=True) stops when the
validation loss stops improving, and the saved weights and model are loaded back.

    glassnet run examples/books/22_hg_callbacks.py
"""

import matplotlib.pyplot as plt
import numpy as np
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


model = model_fn(keras.layers.Dropout(0.3))
model.summary()

model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])

checkpoint_cb = keras.callbacks.ModelCheckpoint('best-model.keras', save_best_only=True)
early_stopping_cb = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)

history = model.fit(train_scaled, train_target, epochs=book_data.epochs(20), verbose=0,
                    validation_data=(val_scaled, val_target),
                    callbacks=[checkpoint_cb, early_stopping_cb])

print(history.history.keys())
print("stopped_epoch:", early_stopping_cb.stopped_epoch)

plt.plot(history.history['loss'])
plt.plot(history.history['val_loss'])
plt.xlabel('epoch')
plt.ylabel('loss')
plt.legend(['train', 'val'])
plt.show()

# Save the weights, load them into a new model, and compare the predictions with the labels.
model.save_weights('model.weights.h5')
model = model_fn(keras.layers.Dropout(0.3))
model.load_weights('model.weights.h5')
val_labels = np.argmax(model.predict(val_scaled), axis=-1)
print("weights reloaded, accuracy:", np.mean(val_labels == val_target))

# The best model saved by the checkpoint.
model = keras.models.load_model('best-model.keras')
print(model.evaluate(val_scaled, val_target))
