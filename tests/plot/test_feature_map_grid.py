"""plot.feature_maps against a plain loop-by-loop convolution of the same image."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet import layers
from glassnet.layers.convolutional import Conv2D
from glassnet.layers.pooling import MaxPooling2D


@pytest.fixture
def model():
    glassnet.utils.set_random_seed(2)
    return glassnet.Sequential([
        layers.Input((12, 12, 1)),
        Conv2D(5, 3, activation="relu", name="first"),
        MaxPooling2D(name="pool"),
        Conv2D(3, 3, name="second"),
        layers.Flatten(),
        layers.Dense(2),
    ])


def _convolve(x, kernel, bias):
    """Valid cross-correlation, one output pixel at a time: x (h, w, c) -> (h', w', filters)."""
    kh, kw, _, filters = kernel.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1, filters))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            window = x[i:i + kh, j:j + kw, :]
            for f in range(filters):
                out[i, j, f] = np.sum(window * kernel[:, :, :, f]) + bias[f]
    return out


def _max_pool(x):
    h, w, c = x.shape[0] // 2 * 2, x.shape[1] // 2 * 2, x.shape[2]
    return x[:h, :w].reshape(h // 2, 2, w // 2, 2, c).max(axis=(1, 3))


def _reference(model, image):
    """The conv layers' outputs for ``image`` (h, w), plus the pooled first one."""
    first, second = model.get_layer("first"), model.get_layer("second")
    a = np.maximum(_convolve(image[:, :, None].astype(np.float64), first.kernel.numpy(),
                             first.bias.numpy()), 0)
    pooled = _max_pool(a)
    return a, _convolve(pooled, second.kernel.numpy(), second.bias.numpy()), pooled


def _maps(subfigure):
    return [np.asarray(axes.images[0].get_array()) for axes in subfigure.axes
            if axes.get_visible()]


def test_conv_layers_maps_match_a_plain_convolution(model):
    image = np.random.default_rng(0).random((12, 12)).astype("float32")
    figure = glassnet.plot.feature_maps(model, image, ncols=4)
    assert [sub.get_suptitle() for sub in figure.subfigs] == ["first (10, 10, 5)",
                                                              "second (3, 3, 3)"]
    for subfigure, expected in zip(figure.subfigs, _reference(model, image)[:2]):
        maps = _maps(subfigure)
        assert len(maps) == expected.shape[-1]
        for channel, picture in enumerate(maps):
            np.testing.assert_allclose(picture, expected[:, :, channel], rtol=1e-4, atol=1e-5)
    titles = [axes.get_title() for axes in figure.subfigs[0].axes if axes.get_visible()]
    assert titles == ["0", "1", "2", "3", "4"]
    assert len(figure.subfigs[0].axes) == 8  # 5 maps in rows of 4


def test_named_layers_max_maps_and_image_shapes(model):
    image = np.random.default_rng(1).random((1, 12, 12, 1)).astype("float32")
    figure = glassnet.plot.feature_maps(model, image, layer_names=["pool"], max_maps=2)
    assert [sub.get_suptitle() for sub in figure.subfigs] == ["pool (5, 5, 5)"]
    pooled = _reference(model, image[0, :, :, 0])[2]
    maps = _maps(figure.subfigs[0])
    assert len(maps) == 2
    np.testing.assert_allclose(maps[1], pooled[:, :, 1], rtol=1e-4, atol=1e-5)


def test_errors(model):
    with pytest.raises(ValueError, match=r"one image.*x.shape=\(2, 12, 12, 1\)"):
        glassnet.plot.feature_maps(model, np.zeros((2, 12, 12, 1)))
    with pytest.raises(ValueError, match="'flatten' does not output images"):
        glassnet.plot.feature_maps(model, np.zeros((12, 12)), layer_names=["flatten"])
    dense_only = glassnet.Sequential([layers.Input((4,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="no convolution layer"):
        glassnet.plot.feature_maps(dense_only, np.zeros(4))
    unbuilt = glassnet.Sequential([Conv2D(2, 3)])
    with pytest.raises(ValueError, match="built on an input"):
        glassnet.plot.feature_maps(unbuilt, np.zeros((5, 5, 1)), layer_names=None)
