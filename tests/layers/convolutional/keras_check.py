"""Run a glassnet layer and the Keras 3 layer of the same class and config on the same data
with the same weights, and compare what they return (float32, 1e-5).

Example:
    >>> compare_with_keras(keras, "Conv2D", {"filters": 4, "kernel_size": 3}, (2, 8, 8, 3))
"""

from __future__ import annotations

import numpy as np

from glassnet import layers

RTOL = ATOL = 1e-5


def glassnet_class(name: str):
    """A layer class by its Keras name, from the modules this package adds."""
    from glassnet.layers import convolutional, normalization, pooling
    from glassnet.layers.regularization import spatial_dropout
    from glassnet.layers.reshaping import cropping, upsampling, zero_padding
    for module in (convolutional, pooling, normalization, zero_padding, cropping, upsampling,
                   spatial_dropout, layers):
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(name)


def twin_layers(keras, name: str, config: dict, input_shape: tuple, seed: int = 0):
    """(glassnet layer, keras layer) built on ``input_shape``, sharing glassnet's weights
    (biases and BN statistics randomized so that they matter)."""
    ours = glassnet_class(name)(**config)
    theirs = getattr(keras.layers, name)(**config)
    ours.build(input_shape)
    theirs.build(input_shape)
    rng = np.random.default_rng(seed)
    weights = []
    for w in ours.weights:
        value = w.numpy()
        if w.name in ("bias", "beta", "moving_mean"):
            value = rng.standard_normal(value.shape).astype(np.float32)
        elif w.name in ("gamma", "moving_variance"):
            value = rng.uniform(0.5, 2.0, value.shape).astype(np.float32)
        weights.append(value)
    ours.set_weights(weights)
    assert [tuple(w.shape) for w in theirs.weights] == [w.shape for w in ours.weights], (
        f"{name}: Keras weights {[tuple(w.shape) for w in theirs.weights]}, glassnet "
        f"{[w.shape for w in ours.weights]}")
    assert [w.name for w in theirs.weights] == [w.name for w in ours.weights]
    theirs.set_weights(weights)
    return ours, theirs


def compare_with_keras(keras, name: str, config: dict, input_shape: tuple, seed: int = 0,
                       training=None, x=None):
    """Assert both layers give the same output; returns (ours, theirs, output)."""
    ours, theirs = twin_layers(keras, name, config, input_shape, seed)
    if x is None:
        x = np.random.default_rng(seed + 1).standard_normal(input_shape).astype(np.float32)
    expected = theirs(x, training=training).detach().cpu().numpy()
    got = ours(x, training=training).numpy()
    assert got.shape == expected.shape, f"{name} {config}: {got.shape} vs {expected.shape}"
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL,
                               err_msg=f"{name} {config} on {input_shape}")
    symbolic = tuple(input_shape[1:])
    assert ours.compute_output_shape((None,) + symbolic) == \
        tuple(theirs.compute_output_shape((None,) + symbolic))
    assert set(ours.get_config()) == set(theirs.get_config()), (
        f"{name}: config keys differ: {set(ours.get_config()) ^ set(theirs.get_config())}")
    return ours, theirs, got
