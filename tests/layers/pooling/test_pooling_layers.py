"""Pooling layers against Keras 3: outputs, output shapes, configs, masks and errors."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.layers.pooling import (AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D,
                                     GlobalAveragePooling2D, GlobalMaxPool2D, MaxPool2D,
                                     MaxPooling1D, MaxPooling2D)
from tests.layers.convolutional.keras_check import compare_with_keras

POOL2D = [
    ({"pool_size": (2, 2)}, (2, 24, 24, 8)),
    ({"pool_size": 3}, (2, 7, 8, 2)),
    ({"pool_size": (2, 3), "strides": 1}, (2, 5, 6, 2)),
    ({"pool_size": 2, "strides": 3}, (1, 8, 7, 3)),
    ({"pool_size": 3, "strides": 1, "padding": "same"}, (2, 6, 5, 2)),
    ({"pool_size": 2, "strides": 2, "padding": "same"}, (2, 5, 7, 2)),
    ({"pool_size": 2, "data_format": "channels_first"}, (2, 3, 6, 6)),
]


def test_average_pooling_keeps_the_keras_2_default_pool_size():
    # Keras 3 made pool_size required here; books written for Keras 2 leave it out.
    assert AveragePooling2D().pool_size == (2, 2) and AveragePooling1D().pool_size == (2,)


@pytest.mark.parametrize("name", ["MaxPooling2D", "AveragePooling2D"])
@pytest.mark.parametrize("config, shape", POOL2D)
def test_pooling2d_matches_keras(keras, name, config, shape):
    compare_with_keras(keras, name, config, shape)


POOL1D = [({"pool_size": 2}, (2, 10, 3)), ({"pool_size": 3, "strides": 1}, (2, 9, 2)),
          ({"pool_size": 3, "strides": 1, "padding": "same"}, (2, 7, 2)),
          ({"pool_size": 2, "padding": "same"}, (2, 7, 3))]


@pytest.mark.parametrize("name", ["MaxPooling1D", "AveragePooling1D"])
@pytest.mark.parametrize("config, shape", POOL1D)
def test_pooling1d_matches_keras(keras, name, config, shape):
    compare_with_keras(keras, name, config, shape)


def test_same_average_pooling_leaves_padding_out_of_the_mean():
    # pool 3, stride 2 on 6 pixels pads one zero after: the last window averages 2 values.
    x = np.arange(6, dtype=np.float32).reshape(1, 6, 1)
    out = AveragePooling1D(3, strides=2, padding="same")(x).numpy().ravel()
    np.testing.assert_allclose(out, [1.0, 3.0, 4.5])


@pytest.mark.parametrize("name", ["GlobalAveragePooling2D", "GlobalMaxPooling2D"])
@pytest.mark.parametrize("config, shape", [({}, (2, 5, 6, 3)), ({"keepdims": True}, (2, 4, 4, 2)),
                                           ({"data_format": "channels_first"}, (2, 3, 5, 4))])
def test_global_pooling2d_matches_keras(keras, name, config, shape):
    compare_with_keras(keras, name, config, shape)


@pytest.mark.parametrize("name", ["GlobalAveragePooling1D", "GlobalMaxPooling1D"])
@pytest.mark.parametrize("config", [{}, {"keepdims": True}])
def test_global_pooling1d_matches_keras(keras, name, config):
    compare_with_keras(keras, name, config, (3, 7, 4))


def test_masked_global_average_pooling_matches_keras(keras):
    x = np.random.default_rng(0).standard_normal((3, 5, 4)).astype(np.float32)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], bool)
    expected = GlobalAveragePooling1D()(x, mask=mask).numpy()
    theirs = keras.layers.GlobalAveragePooling1D()(x, mask=mask).detach().numpy()
    np.testing.assert_allclose(expected, theirs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(expected[0], x[0, :3].mean(axis=0), rtol=1e-6)


def test_aliases_names_and_config_round_trip():
    assert MaxPool2D is MaxPooling2D and MaxPool2D().name.startswith("max_pooling2d")
    assert GlobalMaxPool2D().name.startswith("global_max_pooling2d")
    for layer in (MaxPooling2D((3, 2), strides=1, padding="same"), AveragePooling2D(),
                  MaxPooling1D(3), GlobalAveragePooling2D(keepdims=True)):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()


def test_pooling_errors_name_the_layer():
    with pytest.raises(ValueError, match=r'"pool".*expected ndim=4, found ndim=3'):
        MaxPooling2D(name="pool")(np.zeros((2, 8, 8)))
    with pytest.raises(ValueError, match="padding"):
        MaxPooling2D(padding="full")
    with pytest.raises(ValueError, match="larger than the input"):
        MaxPooling2D(4).compute_output_shape((None, 3, 3, 1))
    assert GlobalAveragePooling2D().compute_output_shape((None, 7, 7, 64)) == (None, 64)
