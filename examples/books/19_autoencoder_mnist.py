"""모두의 딥러닝 (3판) ch20: a convolutional autoencoder that compresses and redraws digits.

The encoder squeezes each 28x28 image to 4x4x8 numbers with convolutions and pooling; the
decoder draws it again with convolutions and UpSampling2D.  The input is also the target
(``fit(X_train, X_train)``).  The figure shows originals above their reconstructions.

    glassnet run examples/books/19_autoencoder_mnist.py
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras.datasets import mnist
from tensorflow.keras.layers import Conv2D, MaxPooling2D, UpSampling2D
from tensorflow.keras.models import Sequential

import book_data

np.random.seed(3)
tf.random.set_seed(3)

(X_train, _), (X_test, _) = mnist.load_data()
X_train = book_data.train_samples(X_train)
X_test = book_data.test_samples(X_test)
X_train = X_train.reshape(X_train.shape[0], 28, 28, 1).astype('float32') / 255
X_test = X_test.reshape(X_test.shape[0], 28, 28, 1).astype('float32') / 255

autoencoder = Sequential()

# The encoder.
autoencoder.add(Conv2D(16, kernel_size=3, padding='same', input_shape=(28, 28, 1),
                       activation='relu'))
autoencoder.add(MaxPooling2D(pool_size=2, padding='same'))
autoencoder.add(Conv2D(8, kernel_size=3, activation='relu', padding='same'))
autoencoder.add(MaxPooling2D(pool_size=2, padding='same'))
autoencoder.add(Conv2D(8, kernel_size=3, strides=2, padding='same', activation='relu'))

# The decoder.
autoencoder.add(Conv2D(8, kernel_size=3, padding='same', activation='relu'))
autoencoder.add(UpSampling2D())
autoencoder.add(Conv2D(8, kernel_size=3, padding='same', activation='relu'))
autoencoder.add(UpSampling2D())
autoencoder.add(Conv2D(16, kernel_size=3, activation='relu'))
autoencoder.add(UpSampling2D())
autoencoder.add(Conv2D(1, kernel_size=3, padding='same', activation='sigmoid'))

autoencoder.summary()

autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
history = autoencoder.fit(X_train, X_train, epochs=book_data.epochs(50), batch_size=128,
                          validation_data=(X_test, X_test))

print("first val_loss: %.4f" % history.history['val_loss'][0])
print("last val_loss: %.4f" % history.history['val_loss'][-1])

# Five test images and how the autoencoder redraws them.
random_test = np.random.randint(X_test.shape[0], size=5)
ae_imgs = autoencoder.predict(X_test)

plt.figure(figsize=(7, 2))
for i, image_idx in enumerate(random_test):
    ax = plt.subplot(2, 7, i + 1)
    plt.imshow(X_test[image_idx].reshape(28, 28))
    ax.axis('off')
    ax = plt.subplot(2, 7, 7 + i + 1)
    plt.imshow(ae_imgs[image_idx].reshape(28, 28))
    ax.axis('off')
plt.show()
