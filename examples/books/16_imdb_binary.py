"""케라스 창시자에게 배우는 딥러닝 (1판) 3.4: positive or negative movie reviews.

Reviews become 10,000-long 0/1 vectors; two 16-unit layers and a sigmoid output learn the
sentiment.  ``metrics=['acc']`` is the book's spelling, so the history keys are 'acc' and
'val_acc'.  The book reaches about 0.88 on the real IMDB test set.  IMDB cannot ship with
these examples: offline, generated reviews in the same format stand in (see book_data.py).

    glassnet run examples/books/16_imdb_binary.py
"""

import matplotlib.pyplot as plt
import numpy as np
from keras import layers, models
from keras.datasets import imdb

import book_data

np.random.seed(0)

# The book: imdb.load_data(num_words=10000)
(train_data, train_labels), (test_data, test_labels) = book_data.load(imdb, num_words=10000)
print(train_data[0][:10], train_labels[0])
print(max([max(sequence) for sequence in train_data]))


def vectorize_sequences(sequences, dimension=10000):
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1.
    return results


x_train = vectorize_sequences(train_data)
x_test = vectorize_sequences(test_data)
y_train = np.asarray(train_labels).astype('float32')
y_test = np.asarray(test_labels).astype('float32')

model = models.Sequential()
model.add(layers.Dense(16, activation='relu', input_shape=(10000,)))
model.add(layers.Dense(16, activation='relu'))
model.add(layers.Dense(1, activation='sigmoid'))

model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['acc'])

x_val = x_train[:500]
partial_x_train = x_train[500:]
y_val = y_train[:500]
partial_y_train = y_train[500:]

history = model.fit(partial_x_train, partial_y_train, epochs=book_data.epochs(20),
                    batch_size=512, validation_data=(x_val, y_val))

history_dict = history.history
print(sorted(history_dict.keys()))

acc = history.history['acc']
val_acc = history.history['val_acc']
epochs = range(1, len(acc) + 1)
plt.plot(epochs, acc, 'bo', label='Training acc')
plt.plot(epochs, val_acc, 'b', label='Validation acc')
plt.title('Training and validation accuracy')
plt.legend()
plt.show()

results = model.evaluate(x_test, y_test)
print("Test accuracy: %.4f" % results[1])
