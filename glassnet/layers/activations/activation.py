"""Activation: apply an activation function as a layer of its own.

Example:
    >>> Activation("relu")(np.array([[-1.0, 2.0]])).numpy()
    array([[0., 2.]], dtype=float32)
"""

from __future__ import annotations

from glassnet import activations
from glassnet.layers.layer import Layer


class Activation(Layer):
    """``activation(inputs)``: a name ('relu', 'softmax', ...), a function or a layer object."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
