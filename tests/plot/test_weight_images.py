"""plot.weights: each picture is the weights a unit or filter applies, laid out as its input."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet import layers
from glassnet.layers.convolutional import Conv2D


def _visible(figure):
    return [axes for axes in figure.axes if axes.get_visible() and axes.images
            and axes.get_label() != "<colorbar>"]


def test_dense_unit_picture_is_what_the_unit_multiplies_pixels_by():
    glassnet.utils.set_random_seed(0)
    model = glassnet.Sequential([layers.Input((28, 28)), layers.Flatten(),
                                 layers.Dense(6, use_bias=False)])
    dense = model.layers[-1]
    figure = glassnet.plot.weights(dense, ncols=4)
    panels = _visible(figure)
    assert [axes.get_title() for axes in panels] == [f"unit {u}" for u in range(6)]
    image = np.random.default_rng(1).random((1, 28, 28)).astype("float32")
    outputs = model.predict(image, verbose=0)[0]
    kernel = dense.kernel.numpy()
    for unit, axes in enumerate(panels):
        picture = np.asarray(axes.images[0].get_array())
        assert picture.shape == (28, 28)
        np.testing.assert_array_equal(picture, kernel[:, unit].reshape(28, 28))
        # The unit's output is the picture laid over the image, pixel by pixel.
        np.testing.assert_allclose((picture * image[0]).sum(), outputs[unit], rtol=1e-4)
    # One shared color scale, symmetric around 0, so units can be compared.
    limit = np.abs(kernel).max()
    assert all(axes.images[0].get_clim() == pytest.approx((-limit, limit)) for axes in panels)
    assert "28x28" in figure.get_suptitle()


def test_dense_image_shape_and_max_units():
    dense = layers.Dense(20)
    dense.build((None, 12))
    figure = glassnet.plot.weights(dense, image_shape=(3, 4), max_units=5)
    panels = _visible(figure)
    assert len(panels) == 5
    np.testing.assert_array_equal(panels[4].images[0].get_array(),
                                  dense.kernel.numpy()[:, 4].reshape(3, 4))
    rgb = layers.Dense(2)
    rgb.build((None, 8 * 8 * 3))
    figure = glassnet.plot.weights(rgb)
    picture = np.asarray(_visible(figure)[1].images[0].get_array())
    column = rgb.kernel.numpy()[:, 1].reshape(8, 8, 3)
    np.testing.assert_allclose(picture, (column - column.min()) / (column.max() - column.min()),
                               rtol=1e-6)


def test_conv2d_filters_one_channel():
    layer = Conv2D(5, (3, 4))
    layer.build((None, 10, 10, 1))
    figure = glassnet.plot.weights(layer)
    panels = _visible(figure)
    assert [axes.get_title() for axes in panels] == [f"filter {f}" for f in range(5)]
    kernel = layer.kernel.numpy()
    for index, axes in enumerate(panels):
        np.testing.assert_array_equal(axes.images[0].get_array(), kernel[:, :, 0, index])


def test_conv2d_filters_of_many_channels_take_a_row_each():
    layer = Conv2D(20, 3)
    layer.build((None, 10, 10, 10))
    kernel = layer.kernel.numpy()
    figure = glassnet.plot.weights(layer, max_channels=3, max_units=5)
    panels = _visible(figure)
    assert len(panels) == 3 * 5
    np.testing.assert_array_equal(panels[5 * 2 + 4].images[0].get_array(),
                                  kernel[:, :, 2, 4])
    assert panels[4].get_title() == "filter 4" and panels[5 * 2].get_ylabel() == "in 2"
    # By default at most 16 filters (columns) and 8 input channels (rows).
    small = Conv2D(18, 1)
    small.build((None, 4, 4, 2))
    figure = glassnet.plot.weights(small)
    assert len(_visible(figure)) == 2 * 16
    assert "16 of 18 filters" in figure.get_suptitle()


def test_a_keras_conv2d_works_too(keras):
    layer = keras.layers.Conv2D(4, 3)
    layer.build((None, 8, 8, 3))
    figure = glassnet.plot.weights(layer)
    kernel = np.asarray(layer.kernel.numpy())
    filter_2 = kernel[..., 2]
    expected = (filter_2 - filter_2.min()) / (filter_2.max() - filter_2.min())
    np.testing.assert_allclose(_visible(figure)[2].images[0].get_array(), expected, rtol=1e-5)


def test_errors():
    with pytest.raises(ValueError, match="no kernel yet"):
        glassnet.plot.weights(layers.Dense(3))
    dense = layers.Dense(3)
    dense.build((None, 10))
    with pytest.raises(ValueError, match=r"pass image_shape.*kernel.shape=\(10, 3\)"):
        glassnet.plot.weights(dense)
    with pytest.raises(ValueError, match=r"h \* w \* c == 10.*image_shape=\(3, 3\)"):
        glassnet.plot.weights(dense, image_shape=(3, 3))
