"""Build the same small model in glassnet and in Keras 3 with identical weights.

Used by reference tests: train both with shuffle=False on the same data and compare.
"""

from __future__ import annotations

import numpy as np


def dense_stack(layers_spec, input_dim):
    """layers_spec: list of (units, activation)."""
    import glassnet
    from glassnet import layers
    stack = [layers.Input(shape=(input_dim,))]
    stack += [layers.Dense(units, activation=activation) for units, activation in layers_spec]
    return glassnet.Sequential(stack)


def keras_dense_stack(keras, layers_spec, input_dim):
    stack = [keras.Input(shape=(input_dim,))]
    stack += [keras.layers.Dense(units, activation=activation)
              for units, activation in layers_spec]
    return keras.Sequential(stack)


def copy_weights(source_keras_model, target_glassnet_model) -> None:
    """Give the glassnet model the Keras model's initial weights."""
    target_glassnet_model.set_weights([np.asarray(w) for w in source_keras_model.get_weights()])


def assert_weights_close(keras_model, glassnet_model, rtol=1e-4, atol=1e-5):
    for kw, gw in zip(keras_model.get_weights(), glassnet_model.get_weights()):
        np.testing.assert_allclose(gw, np.asarray(kw), rtol=rtol, atol=atol)
