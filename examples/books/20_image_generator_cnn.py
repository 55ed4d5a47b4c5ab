"""모두의 딥러닝 (3판) ch20: images read from folders and augmented with ImageDataGenerator.

The book classifies brain MRI scans (normal / abnormal) in ./data/train and ./data/test; the
scans are not redistributable, so this example first draws a small set of horizontal and
vertical bars in the same folder layout (one subfolder per class).  ImageDataGenerator rescales
the pixels and randomly flips and shifts the training images; flow_from_directory reads
the folders batch by batch (labels from the subfolder names); fit takes the generators.

    glassnet run examples/books/20_image_generator_cnn.py
"""

import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras import optimizers
from tensorflow.keras.callbacks import EarlyStopping
from tensorflow.keras.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.image import (ImageDataGenerator, img_to_array,
                                                  load_img)

import book_data

np.random.seed(3)
tf.random.set_seed(3)

if not os.path.exists('./data/train'):
    book_data.draw_shape_images('./data/train', per_class=60, seed=1)
    book_data.draw_shape_images('./data/test', per_class=25, seed=2)

# Training images: rescaled and randomly transformed.
train_datagen = ImageDataGenerator(rescale=1. / 255,
                                   horizontal_flip=True,
                                   width_shift_range=0.1,
                                   height_shift_range=0.1,
                                   fill_mode='nearest')

train_generator = train_datagen.flow_from_directory(
    './data/train',
    target_size=(64, 64),
    batch_size=5,
    class_mode='binary')

# Test images: only rescaled.
test_datagen = ImageDataGenerator(rescale=1. / 255)

test_generator = test_datagen.flow_from_directory(
    './data/test',
    target_size=(64, 64),
    batch_size=5,
    class_mode='binary')
print(train_generator.class_indices)

model = Sequential()
model.add(Conv2D(32, (3, 3), input_shape=(64, 64, 3)))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Conv2D(32, (3, 3)))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(64))
model.add(Activation('relu'))
model.add(Dropout(0.5))
model.add(Dense(1))
model.add(Activation('sigmoid'))

model.compile(loss='binary_crossentropy', optimizer=optimizers.Adam(learning_rate=0.0002),
              metrics=['accuracy'])

early_stopping_callback = EarlyStopping(monitor='val_loss', patience=5)

history = model.fit(train_generator, epochs=book_data.epochs(100),
                    validation_data=test_generator, validation_steps=10,
                    callbacks=[early_stopping_callback])

print("\n Test Accuracy: %.4f" % (model.evaluate(test_generator)[1]))

# One image from a file, the way the book predicts on a new picture.
img = load_img('./data/test/horizontal/horizontal_000.png', target_size=(64, 64))
x = img_to_array(img) / 255
prediction = model.predict(np.expand_dims(x, axis=0))
print("P(vertical) for a horizontal bar: %.3f" % prediction[0][0])

y_vloss = history.history['val_loss']
y_loss = history.history['loss']
x_len = np.arange(len(y_loss))
plt.plot(x_len, y_vloss, marker='.', c="red", label='Testset_loss')
plt.plot(x_len, y_loss, marker='.', c="blue", label='Trainset_loss')
plt.legend(loc='upper right')
plt.show()
