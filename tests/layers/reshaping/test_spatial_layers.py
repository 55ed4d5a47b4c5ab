"""ZeroPadding, Cropping, UpSampling and SpatialDropout layers against Keras 3."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.layers.regularization.spatial_dropout import SpatialDropout1D, SpatialDropout2D
from glassnet.layers.reshaping.cropping import Cropping1D, Cropping2D
from glassnet.layers.reshaping.upsampling import UpSampling1D, UpSampling2D
from glassnet.layers.reshaping.zero_padding import ZeroPadding1D, ZeroPadding2D
from tests.layers.convolutional.keras_check import compare_with_keras

CASES = [
    ("ZeroPadding2D", {}, (2, 4, 5, 3)),
    ("ZeroPadding2D", {"padding": 2}, (2, 4, 5, 3)),
    ("ZeroPadding2D", {"padding": (1, 3)}, (2, 4, 5, 3)),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 3))}, (2, 4, 5, 3)),
    ("ZeroPadding2D", {"padding": 1, "data_format": "channels_first"}, (2, 3, 4, 5)),
    ("ZeroPadding1D", {"padding": (2, 1)}, (2, 6, 3)),
    ("Cropping2D", {"cropping": ((1, 2), (0, 3))}, (2, 7, 8, 2)),
    ("Cropping2D", {"cropping": 2}, (2, 7, 8, 2)),
    ("Cropping2D", {"cropping": (1, 2), "data_format": "channels_first"}, (2, 2, 7, 8)),
    ("Cropping1D", {"cropping": (1, 2)}, (2, 8, 3)),
    ("UpSampling2D", {}, (2, 3, 4, 2)),
    ("UpSampling2D", {"size": (3, 2)}, (2, 3, 4, 2)),
    ("UpSampling2D", {"size": 2, "interpolation": "bilinear"}, (2, 4, 5, 3)),
    ("UpSampling2D", {"size": (3, 2), "interpolation": "bilinear"}, (1, 3, 3, 2)),
    ("UpSampling2D", {"size": 2, "data_format": "channels_first"}, (2, 2, 3, 4)),
    ("UpSampling1D", {"size": 3}, (2, 4, 3)),
]


@pytest.mark.parametrize("name, config, shape", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_keras(keras, name, config, shape):
    compare_with_keras(keras, name, config, shape)


def test_config_round_trips():
    for layer in (ZeroPadding2D(((1, 2), (3, 4))), ZeroPadding1D(3), Cropping2D(1),
                  Cropping1D((0, 2)), UpSampling2D((2, 3), interpolation="bilinear"),
                  UpSampling1D(4), SpatialDropout2D(0.3, seed=2), SpatialDropout1D(0.1)):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()


def test_spatial_dropout_config_keys_match_keras(keras):
    assert set(SpatialDropout2D(0.2).get_config()) == \
        set(keras.layers.SpatialDropout2D(0.2).get_config())
    assert set(SpatialDropout1D(0.2).get_config()) == \
        set(keras.layers.SpatialDropout1D(0.2).get_config())


@pytest.mark.parametrize("layer, shape, spatial_axes", [
    (SpatialDropout2D(0.5, seed=3), (4, 5, 6, 8), (1, 2)),
    (SpatialDropout2D(0.5, seed=3, data_format="channels_first"), (4, 8, 5, 6), (2, 3)),
    (SpatialDropout1D(0.5, seed=3), (4, 9, 8), (1,))])
def test_spatial_dropout_drops_whole_feature_maps(layer, shape, spatial_axes):
    x = np.ones(shape, np.float32)
    y = layer(x, training=True).numpy()
    dropped = (y == 0).all(axis=spatial_axes)
    kept = (y == 2.0).all(axis=spatial_axes)
    assert (dropped | kept).all() and dropped.any() and kept.any()
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)


def test_spatial_dropout_gradient_follows_the_mask():
    x = glassnet.Tensor(np.ones((2, 3, 3, 4), np.float32), requires_grad=True)
    y = SpatialDropout2D(0.5, seed=0)(x, training=True)
    (d_x,) = glassnet.grad(y.sum(), [x])
    np.testing.assert_array_equal(d_x, y.numpy())


def test_bad_arguments():
    with pytest.raises(ValueError, match="two elements"):
        ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="cannot be negative"):
        Cropping2D(-1)
    with pytest.raises(ValueError, match="smaller than the corresponding"):
        Cropping2D(((2, 2), (0, 0)))(np.zeros((1, 4, 4, 1)))
    with pytest.raises(ValueError, match="interpolation"):
        UpSampling2D(interpolation="bicubic")
