"""모두의 딥러닝 (2판) 01: my first deep-learning model.

Predicts whether a lung-cancer patient survives the year after surgery, from 17 hospital
records (ThoraricSurgery.csv).  About 85% of the patients survived, so 0.85 is what a model
that always says "survives" scores; the book's model reaches about that.

    glassnet run examples/books/01_thoracic_surgery.py
"""

import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

import book_data

# Fix the random seeds so that every run gives the same result.
np.random.seed(3)
tf.random.set_seed(3)

# Load the patients' records.
Data_set = np.loadtxt(book_data.path("thoracic-surgery", "ThoraricSurgery.csv"), delimiter=",")

# The first 17 columns are the records (X), the last one says whether the patient died (Y).
X = Data_set[:, 0:17]
Y = Data_set[:, 17]

# Build the model.
model = Sequential()
model.add(Dense(30, input_dim=17, activation='relu'))
model.add(Dense(1, activation='sigmoid'))

# Train it.
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X, Y, epochs=book_data.epochs(100), batch_size=10)

# Print the result.
print("\n Accuracy: %.4f" % (model.evaluate(X, Y)[1]))
