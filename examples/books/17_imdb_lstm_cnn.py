"""모두의 딥러닝 (3판) ch18: movie reviews with an embedding, a 1-D convolution and an LSTM.

Reviews are padded to 500 word indices; Conv1D finds short word patterns, MaxPooling1D
shortens the sequence four times and an LSTM reads what is left.  The book reaches about
0.88 on the real IMDB test set.  IMDB cannot ship with these examples: offline, generated
reviews in the same format stand in (see book_data.py).

    glassnet run examples/books/17_imdb_lstm_cnn.py
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras.callbacks import EarlyStopping
from tensorflow.keras.datasets import imdb
from tensorflow.keras.layers import (LSTM, Activation, Conv1D, Dense, Dropout, Embedding,
                                     MaxPooling1D)
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing import sequence

import book_data

np.random.seed(3)
tf.random.set_seed(3)

# The book: imdb.load_data(num_words=5000)
(X_train, y_train), (X_test, y_test) = book_data.load(imdb, num_words=5000)
X_train, y_train = book_data.train_samples(X_train, y_train)
X_test, y_test = book_data.test_samples(X_test, y_test)

# Every review 500 words long.
X_train = sequence.pad_sequences(X_train, maxlen=500)
X_test = sequence.pad_sequences(X_test, maxlen=500)
print(X_train.shape, X_test.shape)

model = Sequential()
model.add(Embedding(5000, 100))
model.add(Dropout(0.5))
model.add(Conv1D(64, 5, padding='valid', activation='relu', strides=1))
model.add(MaxPooling1D(pool_size=4))
model.add(LSTM(55))
model.add(Dense(1))
model.add(Activation('sigmoid'))

model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])

early_stopping_callback = EarlyStopping(monitor='val_loss', patience=3)

history = model.fit(X_train, y_train, batch_size=40, epochs=book_data.epochs(100),
                    validation_split=0.25, callbacks=[early_stopping_callback])

print("\n Test Accuracy: %.4f" % (model.evaluate(X_test, y_test)[1]))
model.summary()

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
