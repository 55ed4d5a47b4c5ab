"""Convolution layers against Keras 3: outputs with the same weights, weight names and
shapes, output shapes with an unknown batch, configs, and Keras's argument errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.layers.convolutional import (Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose,
                                           DepthwiseConv2D, SeparableConv2D)
from tests.layers.convolutional.keras_check import compare_with_keras

CONV2D = [
    ({"filters": 32, "kernel_size": (3, 3), "activation": "relu"}, (2, 28, 28, 1)),
    ({"filters": 4, "kernel_size": 3, "padding": "same"}, (2, 7, 6, 3)),
    ({"filters": 4, "kernel_size": (4, 2), "padding": "same", "strides": 2}, (2, 9, 8, 3)),
    ({"filters": 3, "kernel_size": 2, "strides": (3, 2), "use_bias": False}, (1, 8, 7, 2)),
    ({"filters": 5, "kernel_size": 3, "dilation_rate": 2, "padding": "same",
      "activation": "tanh"}, (2, 9, 9, 2)),
    ({"filters": 6, "kernel_size": 3, "groups": 2, "activation": "relu"}, (2, 6, 6, 4)),
    ({"filters": 4, "kernel_size": 3, "data_format": "channels_first"}, (2, 3, 7, 6)),
    ({"filters": 2, "kernel_size": 1, "strides": 2, "padding": "same"}, (1, 5, 5, 3)),
]


@pytest.mark.parametrize("config, shape", CONV2D)
def test_conv2d_matches_keras(keras, config, shape):
    compare_with_keras(keras, "Conv2D", config, shape)


CONV1D = [
    ({"filters": 4, "kernel_size": 3}, (2, 10, 3)),
    ({"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 10, 3)),
    ({"filters": 4, "kernel_size": 4, "padding": "same", "strides": 3}, (2, 11, 2)),
    ({"filters": 6, "kernel_size": 2, "padding": "causal", "strides": 2,
      "activation": "relu"}, (3, 9, 2)),
    ({"filters": 4, "kernel_size": 5, "groups": 2, "use_bias": False}, (2, 12, 4)),
]


@pytest.mark.parametrize("config, shape", CONV1D)
def test_conv1d_matches_keras(keras, config, shape):
    compare_with_keras(keras, "Conv1D", config, shape)


TRANSPOSE = [
    ({"filters": 3, "kernel_size": 3}, (2, 4, 5, 2)),
    ({"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 4, 4, 2)),
    ({"filters": 2, "kernel_size": (4, 3), "strides": 2, "padding": "same"}, (1, 3, 5, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same",
      "output_padding": 1}, (2, 4, 4, 3)),
    ({"filters": 2, "kernel_size": 2, "strides": 3, "padding": "valid",
      "output_padding": (2, 1)}, (2, 3, 3, 2)),
    ({"filters": 2, "kernel_size": 1, "strides": 2}, (1, 3, 3, 2)),
    ({"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same",
      "activation": "relu"}, (1, 5, 5, 2)),
]


@pytest.mark.parametrize("config, shape", TRANSPOSE)
def test_conv2d_transpose_matches_keras(keras, config, shape):
    compare_with_keras(keras, "Conv2DTranspose", config, shape)


@pytest.mark.parametrize("config", [{"filters": 3, "kernel_size": 3},
                                    {"filters": 2, "kernel_size": 4, "strides": 2,
                                     "padding": "same"}])
def test_conv1d_transpose_matches_keras(keras, config):
    compare_with_keras(keras, "Conv1DTranspose", config, (2, 6, 3))


@pytest.mark.parametrize("config, shape", [
    ({"kernel_size": 3}, (2, 7, 7, 3)),
    ({"kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"}, (2, 8, 7, 3)),
    ({"kernel_size": (2, 3), "dilation_rate": 2, "activation": "relu"}, (1, 8, 8, 2))])
def test_depthwise_conv2d_matches_keras(keras, config, shape):
    compare_with_keras(keras, "DepthwiseConv2D", config, shape)


@pytest.mark.parametrize("config, shape", [
    ({"filters": 4, "kernel_size": 3}, (2, 7, 7, 3)),
    ({"filters": 5, "kernel_size": 3, "depth_multiplier": 2, "padding": "same",
      "activation": "relu"}, (2, 6, 6, 2)),
    ({"filters": 3, "kernel_size": 2, "strides": 2, "use_bias": False}, (1, 8, 8, 3))])
def test_separable_conv2d_matches_keras(keras, config, shape):
    compare_with_keras(keras, "SeparableConv2D", config, shape)


def test_weights_are_keras_shaped_and_named():
    layer = Conv2D(64, (3, 3), activation="relu", name="conv")
    layer.build((None, 26, 26, 32))
    assert [(w.path, w.shape) for w in layer.weights] == [("conv/kernel", (3, 3, 32, 64)),
                                                          ("conv/bias", (64,))]
    assert layer.count_params() == 18496
    transpose = Conv2DTranspose(8, 3)
    transpose.build((None, 5, 5, 4))
    assert transpose.kernel.shape == (3, 3, 8, 4)
    separable = SeparableConv2D(8, 3, depth_multiplier=2)
    separable.build((None, 5, 5, 4))
    assert [w.name for w in separable.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]


def test_relu_is_fused_into_the_convolution():
    layer = Conv2D(4, 3, activation="relu")
    x = glassnet.Tensor(np.random.default_rng(0).standard_normal((2, 6, 6, 1)).astype(
        np.float32), requires_grad=True)
    out = layer(x)
    assert out.op_label == "conv" and out.node.op.activation == "relu"
    assert (out.numpy() >= 0).all()


def test_config_round_trip():
    for layer in (Conv2D(8, (3, 2), strides=2, padding="same", activation="relu",
                         use_bias=False, name="c"),
                  Conv1D(4, 3, padding="causal", dilation_rate=2),
                  Conv2DTranspose(4, 3, strides=2, output_padding=1),
                  DepthwiseConv2D(3, depth_multiplier=2), SeparableConv2D(4, 3),
                  Conv1DTranspose(2, 2)):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()


@pytest.mark.parametrize("make, message", [
    (lambda: Conv2D(0, 3), "Expected a strictly positive value. Received filters=0"),
    (lambda: Conv2D(4, (3, 3, 3)), "must be a tuple of 2 integers"),
    (lambda: Conv2D(4, 3, strides=2, dilation_rate=2), "strides > 1"),
    (lambda: Conv2D(5, 3, groups=2), "evenly divisible by the number of groups"),
    (lambda: Conv2D(4, 3, padding="causal"), "padding"),
    (lambda: Conv1D(4, 3, padding="full"), "padding"),
    (lambda: Conv2DTranspose(4, 3, strides=2, output_padding=2), "strictly less than"),
    (lambda: Conv2D(4, 0), "do not satisfy"),
])
def test_invalid_arguments_raise_like_keras(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_inputs_name_the_layer():
    layer = Conv2D(4, 3, name="first_conv")
    with pytest.raises(ValueError, match=r'"first_conv".*expected ndim=4, found ndim=3.*'
                                         r'Add a channel axis'):
        layer(np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match="zero or negative"):
        Conv2D(4, 5).build((None, 3, 3, 1))
    built = Conv2D(4, 3)
    built(np.zeros((1, 5, 5, 2)))
    with pytest.raises(ValueError, match="expects inputs with 2 channels"):
        built(np.zeros((1, 5, 5, 3)))


def test_output_shapes_with_unknown_sizes():
    assert Conv2D(4, 3).compute_output_shape((None, None, 10, 2)) == (None, None, 8, 4)
    assert Conv1D(4, 3, padding="causal").compute_output_shape((None, None, 2)) == \
        (None, None, 4)
    assert Conv2DTranspose(4, 3, strides=2, padding="same").compute_output_shape(
        (None, 7, 7, 2)) == (None, 14, 14, 4)
