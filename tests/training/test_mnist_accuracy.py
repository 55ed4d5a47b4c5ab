"""The books' first network reaches the accuracy the books report on real MNIST."""

from __future__ import annotations

import numpy as np

import glassnet
from glassnet import layers


def test_seed_mlp_accuracy_after_10_epochs(mnist_arrays):
    """Keras 3 (torch backend) with these exact settings reaches 0.9686 and 0.9690 test
    accuracy for seeds 0 and 1 (measured on this machine); glassnet 0.9688, 0.9693, 0.9685
    for seeds 0-2.  0.97 is not reached by either, so the bar is Keras's own range."""
    (x_train, y_train), (x_test, y_test) = mnist_arrays
    x_train = x_train.reshape(-1, 784) / 255.0
    x_test = x_test.reshape(-1, 784) / 255.0
    glassnet.utils.set_random_seed(0)
    model = glassnet.Sequential([layers.Dense(50, activation="sigmoid", input_shape=(784,)),
                                 layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=10, verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.965, accuracy
    assert loss < 0.12
