"""모두의 딥러닝 (3판) ch16: handwritten digits (MNIST) with a multilayer perceptron.

Each 28x28 image is flattened to 784 inputs scaled to 0-1, the labels are one-hot encoded,
and a 512-unit hidden layer learns them.  The best model is saved and training stops early
when the validation loss stalls.  The book's test accuracy is about 0.98.

    glassnet run examples/books/11_mnist_mlp.py
"""

import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras.callbacks import EarlyStopping, ModelCheckpoint
from tensorflow.keras.datasets import mnist
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from tensorflow.keras.utils import to_categorical

import book_data

np.random.seed(3)
tf.random.set_seed(3)

(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train, y_train = book_data.train_samples(X_train, y_train)

print("학습셋 이미지 수 : %d 개" % (X_train.shape[0]))
print("테스트셋 이미지 수 : %d 개" % (X_test.shape[0]))

# 28x28 pixels become 784 numbers between 0 and 1.
X_train = X_train.reshape(X_train.shape[0], 784).astype('float32') / 255
X_test = X_test.reshape(X_test.shape[0], 784).astype('float32') / 255

# One-hot labels: 5 becomes [0, 0, 0, 0, 0, 1, 0, 0, 0, 0].
y_train = to_categorical(y_train, 10)
y_test = to_categorical(y_test, 10)

model = Sequential()
model.add(Dense(512, input_dim=784, activation='relu'))
model.add(Dense(10, activation='softmax'))
model.summary()

model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])

MODEL_DIR = './data/model/'
os.makedirs(MODEL_DIR, exist_ok=True)

modelpath = "./data/model/MNIST_MLP.keras"
checkpointer = ModelCheckpoint(filepath=modelpath, monitor='val_loss', verbose=1,
                               save_best_only=True)
early_stopping_callback = EarlyStopping(monitor='val_loss', patience=10)

history = model.fit(X_train, y_train, validation_split=0.25, epochs=book_data.epochs(30),
                    batch_size=200, verbose=0,
                    callbacks=[early_stopping_callback, checkpointer])

print("\n Test Accuracy: %.4f" % (model.evaluate(X_test, y_test)[1]))

y_vloss = history.history['val_loss']
y_loss = history.history['loss']

x_len = np.arange(len(y_loss))
plt.plot(x_len, y_vloss, marker='.', c="red", label='Testset_loss')
plt.plot(x_len, y_loss, marker='.', c="blue", label='Trainset_loss')
plt.legend(loc='upper right')
plt.grid()
plt.xlabel('epoch')
plt.ylabel('loss')
plt.show()
