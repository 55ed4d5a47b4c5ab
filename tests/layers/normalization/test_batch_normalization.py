"""BatchNormalization against Keras 3: batch statistics in training, moving statistics in
inference, the moving averages after several training batches, frozen layers, weights."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.layers.normalization import BatchNormalization
from tests.layers.convolutional.keras_check import compare_with_keras, twin_layers

CASES = [({}, (16, 5)), ({}, (4, 6, 5, 3)), ({"axis": 1}, (4, 3, 5, 6)),
         ({"center": False}, (8, 4)), ({"scale": False, "epsilon": 0.01}, (8, 3, 4)),
         ({"momentum": 0.9, "axis": -2}, (6, 4, 3))]


@pytest.mark.parametrize("config, shape", CASES)
@pytest.mark.parametrize("training", [True, False])
def test_outputs_match_keras(keras, config, shape, training):
    compare_with_keras(keras, "BatchNormalization", config, shape, training=training)


@pytest.mark.parametrize("config, shape", [({}, (32, 4)), ({"momentum": 0.8}, (8, 5, 5, 3))])
def test_moving_statistics_after_training_batches_match_keras(keras, config, shape):
    ours, theirs = twin_layers(keras, "BatchNormalization", config, shape)
    rng = np.random.default_rng(7)
    for _ in range(5):
        x = (rng.standard_normal(shape) * 2 + 1).astype(np.float32)
        ours(x, training=True)
        theirs(x, training=True)
    for mine, reference in zip(ours.weights, theirs.weights):
        np.testing.assert_allclose(mine.numpy(), reference.value.detach().numpy(), rtol=1e-5,
                                   atol=1e-6, err_msg=mine.name)
    x = rng.standard_normal(shape).astype(np.float32)
    np.testing.assert_allclose(ours(x).numpy(), theirs(x).detach().numpy(), rtol=1e-5,
                               atol=1e-5)


def test_frozen_layer_runs_in_inference_mode_like_keras(keras):
    ours, theirs = twin_layers(keras, "BatchNormalization", {}, (10, 3))
    ours.trainable = theirs.trainable = False
    x = np.random.default_rng(1).standard_normal((10, 3)).astype(np.float32)
    before = ours.moving_mean.numpy()
    np.testing.assert_allclose(ours(x, training=True).numpy(),
                               theirs(x, training=True).detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(ours.moving_mean.numpy(), before)
    assert ours.trainable_weights == [] and len(ours.non_trainable_weights) == 4


def test_weights_order_names_and_trainability():
    layer = BatchNormalization()
    layer.build((None, 7, 7, 16))
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in layer.trainable_weights] == ["gamma", "beta"]
    assert layer.count_params() == 64
    plain = BatchNormalization(center=False, scale=False)
    plain.build((None, 3))
    assert [w.name for w in plain.weights] == ["moving_mean", "moving_variance"]


def test_gradients_flow_to_gamma_beta_and_inputs():
    layer = BatchNormalization()
    x = glassnet.Tensor(np.random.default_rng(2).standard_normal((6, 3)).astype(np.float32),
                        requires_grad=True)
    weights = np.arange(18.0, dtype=np.float32).reshape(6, 3)
    loss = (layer(x, training=True) * glassnet.Tensor(weights)).sum()
    d_x, d_gamma, d_beta = glassnet.grad(loss, [x, layer.gamma, layer.beta])
    np.testing.assert_allclose(d_beta, weights.sum(axis=0))
    # Normalizing removes the mean: the input gradient sums to zero over the batch.
    assert np.abs(d_x).max() > 0.1
    np.testing.assert_allclose(d_x.sum(axis=0), 0, atol=1e-4)
    assert d_gamma.shape == (3,) and np.abs(d_gamma).max() > 0


def test_config_round_trip_and_errors():
    layer = BatchNormalization(axis=1, momentum=0.9, epsilon=1e-5, center=False)
    assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()
    with pytest.raises(ValueError, match="out of bounds"):
        BatchNormalization(axis=3).build((None, 4))
    with pytest.raises(ValueError, match="synchronized=True"):
        BatchNormalization(synchronized=True)
