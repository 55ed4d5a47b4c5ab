"""케라스 창시자에게 배우는 딥러닝 (1판) 3.5: newswires into 46 topics (Keras 2 style).

Each newswire is a list of word indices; it becomes a 10,000-long vector of 0s and 1s
(which words occur), the topics become one-hot rows (``keras.utils.np_utils``, the Keras 2
path), and two 64-unit layers learn them.  The book reaches about 0.78 on the real Reuters
test set.  Reuters cannot ship with these examples: offline, generated newswires in the
same format stand in (see book_data.py) and the accuracy is not the book's.

    glassnet run examples/books/15_reuters_topics.py
"""

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers, models
from keras.datasets import reuters
from keras.utils.np_utils import to_categorical

import book_data

print(keras.__version__)
np.random.seed(0)

# The book: reuters.load_data(num_words=10000)
(train_data, train_labels), (test_data, test_labels) = book_data.load(reuters, num_words=10000)

print(len(train_data), "training newswires,", len(test_data), "test newswires")
print(train_data[10][:12], "... topic", train_labels[10])


def vectorize_sequences(sequences, dimension=10000):
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1.
    return results


x_train = vectorize_sequences(train_data)
x_test = vectorize_sequences(test_data)

one_hot_train_labels = to_categorical(train_labels)
one_hot_test_labels = to_categorical(test_labels)

model = models.Sequential()
model.add(layers.Dense(64, activation='relu', input_shape=(10000,)))
model.add(layers.Dense(64, activation='relu'))
model.add(layers.Dense(46, activation='softmax'))

model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])

x_val = x_train[:1000]
partial_x_train = x_train[1000:]
y_val = one_hot_train_labels[:1000]
partial_y_train = one_hot_train_labels[1000:]

history = model.fit(partial_x_train, partial_y_train, epochs=book_data.epochs(20),
                    batch_size=512, validation_data=(x_val, y_val))

loss = history.history['loss']
val_loss = history.history['val_loss']
epochs = range(1, len(loss) + 1)
plt.plot(epochs, loss, 'bo', label='Training loss')
plt.plot(epochs, val_loss, 'b', label='Validation loss')
plt.title('Training and validation loss')
plt.xlabel('Epochs')
plt.ylabel('Loss')
plt.legend()
plt.show()

results = model.evaluate(x_test, one_hot_test_labels)
print(results)
print("Test accuracy: %.4f" % results[1])

predictions = model.predict(x_test)
print(predictions[0].shape, np.sum(predictions[0]), np.argmax(predictions[0]))
