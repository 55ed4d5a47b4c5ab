"""The books' MNIST convnet (Chollet, "Deep Learning with Python", and the Keras examples):
structure against Keras 3, accuracy after two epochs of real MNIST, and looking inside a
trained model (first-layer filters and one image's feature maps)."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.layers.convolutional import Conv2D
from glassnet.layers.pooling import MaxPooling2D


def books_cnn(module, conv2d, max_pooling2d):
    """The model as the books write it, for glassnet or Keras."""
    return module.Sequential([
        conv2d(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)),
        conv2d(64, (3, 3), activation="relu"),
        max_pooling2d(pool_size=(2, 2)),
        module.layers.Dropout(0.25),
        module.layers.Flatten(),
        module.layers.Dense(128, activation="relu"),
        module.layers.Dropout(0.5),
        module.layers.Dense(10, activation="softmax"),
    ])


@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`")  # the books' spelling
def test_structure_matches_keras_summary_numbers(keras):
    keras.backend.clear_session()  # layer names count from zero in both libraries
    glassnet.backend.clear_session()
    ours = books_cnn(glassnet, Conv2D, MaxPooling2D)
    theirs = books_cnn(keras, keras.layers.Conv2D, keras.layers.MaxPooling2D)
    assert ours.count_params() == theirs.count_params() == 1_199_882
    assert [layer.output.shape for layer in ours.layers] == \
        [tuple(layer.output.shape) for layer in theirs.layers]
    assert [layer.count_params() for layer in ours.layers] == \
        [layer.count_params() for layer in theirs.layers]
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    assert len(ours.trainable_weights) == len(theirs.trainable_weights) == 8


def _prepare(x, y):
    x = (x.astype(np.float32) / 255).reshape(-1, 28, 28, 1)
    return x, np.eye(10, dtype=np.float32)[y]


@pytest.mark.slow
def test_two_epochs_reach_98_5_percent_on_mnist(mnist_arrays):
    (x_train, y_train), (x_test, y_test) = mnist_arrays
    x_train, y_train = _prepare(x_train, y_train)
    x_test, y_test = _prepare(x_test, y_test)
    glassnet.utils.set_random_seed(1)
    model = books_cnn(glassnet, Conv2D, MaxPooling2D)
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=200, epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.985, f"test accuracy {accuracy:.4f} after two epochs"


def test_filters_and_feature_maps_of_a_trained_model(mnist_arrays):
    (x_train, y_train), _ = mnist_arrays
    x, y = _prepare(x_train[:600], y_train[:600])
    glassnet.utils.set_random_seed(0)
    model = books_cnn(glassnet, Conv2D, MaxPooling2D)
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    untrained = model.layers[0].get_weights()[0]
    model.fit(x, y, batch_size=200, epochs=1, verbose=0)

    filters, biases = model.layers[0].get_weights()
    assert filters.shape == (3, 3, 1, 32) and biases.shape == (32,)
    assert not np.allclose(filters, untrained)  # training changed them
    # The usual way to plot them: one 3x3 grey image per filter, scaled to [0, 1].
    low, high = filters.min(), filters.max()
    images = ((filters - low) / (high - low))[:, :, 0, :].transpose(2, 0, 1)
    assert images.shape == (32, 3, 3) and images.min() == 0 and images.max() == 1

    probe = glassnet.Model(inputs=model.inputs,
                           outputs=[layer.output for layer in model.layers[:3]])
    image = x[:1]
    maps = probe.predict(image, verbose=0)
    assert [m.shape for m in maps] == [(1, 26, 26, 32), (1, 24, 24, 64), (1, 12, 12, 64)]
    # The first maps are relu(window . filter + bias) at every pixel.
    windows = np.lib.stride_tricks.sliding_window_view(image[0, :, :, 0], (3, 3))
    expected = np.maximum(np.einsum("hwij,ijf->hwf", windows, filters[:, :, 0]) + biases, 0)
    np.testing.assert_allclose(maps[0][0], expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(maps[2][0], maps[1][0].reshape(12, 2, 12, 2, 64).max(axis=(1, 3)))
