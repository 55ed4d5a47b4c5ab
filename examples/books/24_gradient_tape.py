"""케라스 창시자에게 배우는 딥러닝 (2판) 3.5.4: a linear classifier in pure TensorFlow.

No Keras layers: two clouds of 2-D points, a weight matrix ``W`` and a bias ``b`` as
``tf.Variable``, the mean squared error, and 40 steps of gradient descent with
``tf.GradientTape``.  The points are cleanly separated after training.

    glassnet run examples/books/24_gradient_tape.py
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import book_data

np.random.seed(0)
tf.random.set_seed(0)

num_samples_per_class = 1000
negative_samples = np.random.multivariate_normal(
    mean=[0, 3], cov=[[1, 0.5], [0.5, 1]], size=num_samples_per_class)
positive_samples = np.random.multivariate_normal(
    mean=[3, 0], cov=[[1, 0.5], [0.5, 1]], size=num_samples_per_class)

inputs = np.vstack((negative_samples, positive_samples)).astype(np.float32)
targets = np.vstack((np.zeros((num_samples_per_class, 1), dtype="float32"),
                     np.ones((num_samples_per_class, 1), dtype="float32")))

plt.scatter(inputs[:, 0], inputs[:, 1], c=targets[:, 0])
plt.show()

input_dim = 2
output_dim = 1
W = tf.Variable(initial_value=tf.random.uniform(shape=(input_dim, output_dim)))
b = tf.Variable(initial_value=tf.zeros(shape=(output_dim,)))


def model(inputs):
    return tf.matmul(inputs, W) + b


def square_loss(targets, predictions):
    per_sample_losses = tf.square(targets - predictions)
    return tf.reduce_mean(per_sample_losses)


learning_rate = 0.1


def training_step(inputs, targets):
    with tf.GradientTape() as tape:
        predictions = model(inputs)
        loss = square_loss(targets, predictions)
    grad_loss_wrt_W, grad_loss_wrt_b = tape.gradient(loss, [W, b])
    W.assign_sub(grad_loss_wrt_W * learning_rate)
    b.assign_sub(grad_loss_wrt_b * learning_rate)
    return loss


for step in range(book_data.epochs(40)):
    loss = training_step(inputs, targets)
    print(f"Loss at step {step}: {float(loss):.4f}")

predictions = model(inputs)
plt.scatter(inputs[:, 0], inputs[:, 1], c=np.asarray(predictions)[:, 0] > 0.5)
plt.show()

accuracy = np.mean((np.asarray(predictions) > 0.5) == targets)
print("\n Accuracy: %.4f" % accuracy)
