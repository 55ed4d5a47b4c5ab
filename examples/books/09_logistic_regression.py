"""모두의 딥러닝 (3판) ch06: logistic regression (pass or fail).

Seven students, hours of study against passing (1) or failing (0).  One sigmoid unit trained
with binary cross-entropy draws the S-curve between them; 7 hours sits on the boundary.

    glassnet run examples/books/09_logistic_regression.py
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

import book_data

x = np.array([2, 4, 6, 8, 10, 12, 14])
y = np.array([0, 0, 0, 1, 1, 1, 1])

model = Sequential()
model.add(Dense(1, input_dim=1, activation='sigmoid'))

# Cross-entropy is the loss for a yes/no question.
model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['accuracy'])

model.fit(x, y, epochs=book_data.epochs(5000))

plt.scatter(x, y)
plt.plot(x, model.predict(x), 'r')
plt.show()

hour = 7
prediction = model.predict(tf.constant([hour]))
print("%.f시간을 공부할 경우, 합격 예상 확률은 %.01f%%입니다" % (hour, prediction[0][0] * 100))
print("\n Accuracy: %.4f" % (model.evaluate(x, y)[1]))
