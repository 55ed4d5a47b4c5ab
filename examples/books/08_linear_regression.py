"""모두의 딥러닝 (3판) ch05: linear regression, the simplest model (one neuron).

Hours of study against exam scores for four students.  The network is one Dense unit with a
linear activation trained by gradient descent on the mean squared error; it finds the line
of least squares (score = 2.3 x hours + 79), which predicts about 95.1 for 7 hours.

    glassnet run examples/books/08_linear_regression.py
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

import book_data

x = np.array([2, 4, 6, 8])
y = np.array([81, 93, 91, 97])

model = Sequential()

# One output, one input, a linear activation.
model.add(Dense(1, input_dim=1, activation='linear'))

# Gradient descent ('sgd') on the mean squared error ('mse').
model.compile(optimizer='sgd', loss='mse')

model.fit(x, y, epochs=book_data.epochs(2000))

# The training data and the line the model learned.
plt.scatter(x, y)
plt.plot(x, model.predict(x), 'r')
plt.show()

# The predicted score for a given number of hours (TensorFlow 2.10 and later want a tensor
# here rather than a plain list, hence tf.constant).
hour = 7
prediction = model.predict(tf.constant([hour]))

print("%.f시간을 공부할 경우의 예상 점수는 %.02f점입니다" % (hour, prediction[0][0]))
