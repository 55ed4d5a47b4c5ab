"""모두의 딥러닝 (3판) ch14: red or white wine, with the best model saved and early stopping.

ModelCheckpoint keeps the model with the lowest validation loss; EarlyStopping ends the
training once the validation loss has not improved for 20 epochs, long before the 2000
epochs asked for.  The book's test accuracy is about 0.985.

    glassnet run examples/books/06_wine_checkpoint_earlystop.py
"""

import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split
from tensorflow.keras.callbacks import EarlyStopping, ModelCheckpoint
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

import book_data

np.random.seed(3)
tf.random.set_seed(3)

df = pd.read_csv(book_data.path("wine", "wine.csv"), header=None)

X = df.iloc[:, 0:12]
y = df.iloc[:, 12]

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=True)

model = Sequential()
model.add(Dense(30, input_dim=12, activation='relu'))
model.add(Dense(12, activation='relu'))
model.add(Dense(8, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.summary()

model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])

# Stop when the validation loss has not improved for 20 epochs.
early_stopping_callback = EarlyStopping(monitor='val_loss', patience=20)

# Keep the best model seen so far.
os.makedirs('./data/model/', exist_ok=True)
modelpath = "./data/model/Ch14-4-bestmodel.keras"
checkpointer = ModelCheckpoint(filepath=modelpath, monitor='val_loss', verbose=0,
                               save_best_only=True)

history = model.fit(X_train, y_train, epochs=book_data.epochs(2000), batch_size=500,
                    validation_split=0.25, verbose=1,
                    callbacks=[early_stopping_callback, checkpointer])

score = model.evaluate(X_test, y_test)
print('Test accuracy:', score[1])
print('Epochs run:', len(history.history['loss']))

# The learning curves.
y_vloss = history.history['val_loss']
y_loss = history.history['loss']
x_len = np.arange(len(y_loss))
plt.plot(x_len, y_vloss, "o", c="red", markersize=2, label='Testset_loss')
plt.plot(x_len, y_loss, "o", c="blue", markersize=2, label='Trainset_loss')
plt.legend(loc='upper right')
plt.xlabel('epoch')
plt.ylabel('loss')
plt.show()
