"""케라스 창시자에게 배우는 딥러닝 (1판) 5.2 style: data augmentation, Keras 2 spellings.

The book's cats-and-dogs photos are not redistributable; horizontal and vertical bars drawn
in the same folder layout stand in.  The Keras 2 spellings of the book all run: ImageDataGenerator
from ``keras.preprocessing.image`` with rotation, shifts, shear, zoom and flips,
``RMSprop(lr=1e-4)``, ``metrics=['acc']`` and ``fit_generator`` / ``evaluate_generator``.
One augmented batch is drawn to a figure.

    glassnet run examples/books/21_image_generator_keras2.py
"""

import os

import keras
import matplotlib.pyplot as plt
from keras import layers, models, optimizers
from keras.preprocessing import image
from keras.preprocessing.image import ImageDataGenerator

import book_data

# Seed NumPy (the augmentations), Python and the weights, so that runs repeat.
keras.utils.set_random_seed(0)

base_dir = './cats_and_dogs_small'
train_dir = os.path.join(base_dir, 'train')
validation_dir = os.path.join(base_dir, 'validation')
if not os.path.exists(base_dir):
    book_data.draw_shape_images(train_dir, per_class=60, size=48, seed=3)
    book_data.draw_shape_images(validation_dir, per_class=25, size=48, seed=4)

datagen = ImageDataGenerator(
    rotation_range=40,
    width_shift_range=0.2,
    height_shift_range=0.2,
    shear_range=0.2,
    zoom_range=0.2,
    horizontal_flip=True,
    fill_mode='nearest')

# One picture and four random variations of it.
fname = os.path.join(train_dir, 'horizontal', 'horizontal_000.png')
img = image.load_img(fname, target_size=(48, 48))
x = image.img_to_array(img)
x = x.reshape((1,) + x.shape)
i = 0
for batch in datagen.flow(x, batch_size=1):
    plt.figure(i)
    plt.imshow(image.array_to_img(batch[0]))
    i += 1
    if i % 4 == 0:
        break
plt.show()

model = models.Sequential()
model.add(layers.Conv2D(16, (3, 3), activation='relu', input_shape=(48, 48, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(32, (3, 3), activation='relu'))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Flatten())
model.add(layers.Dropout(0.5))
model.add(layers.Dense(64, activation='relu'))
model.add(layers.Dense(1, activation='sigmoid'))

model.compile(loss='binary_crossentropy', optimizer=optimizers.RMSprop(lr=1e-3),
              metrics=['acc'])

train_datagen = ImageDataGenerator(rescale=1. / 255, rotation_range=10,
                                   width_shift_range=0.1, height_shift_range=0.1,
                                   zoom_range=0.1, horizontal_flip=True, vertical_flip=True)
test_datagen = ImageDataGenerator(rescale=1. / 255)

train_generator = train_datagen.flow_from_directory(train_dir, target_size=(48, 48),
                                                    batch_size=20, class_mode='binary')
validation_generator = test_datagen.flow_from_directory(validation_dir, target_size=(48, 48),
                                                        batch_size=10, class_mode='binary')

history = model.fit_generator(train_generator, steps_per_epoch=6,
                              epochs=book_data.epochs(30),
                              validation_data=validation_generator, validation_steps=5)

acc = history.history['acc']
val_acc = history.history['val_acc']
epochs = range(len(acc))
plt.plot(epochs, acc, 'bo', label='Training acc')
plt.plot(epochs, val_acc, 'b', label='Validation acc')
plt.legend()
plt.show()

test_loss, test_acc = model.evaluate_generator(validation_generator, steps=5)
print('test acc:', test_acc)
