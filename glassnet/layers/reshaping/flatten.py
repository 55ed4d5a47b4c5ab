"""Flatten: (batch, d1, d2, ...) -> (batch, d1 * d2 * ...).

Example:
    >>> Flatten()(np.zeros((32, 28, 28))).shape
    (32, 784)
"""

from __future__ import annotations

import numpy as np

from glassnet.layers.layer import Layer
from glassnet.ops.shape import reshape


class Flatten(Layer):
    """Keep the batch axis and join all others into one."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"
        self.built = True

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            from glassnet.ops.shape import transpose
            inputs = transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
        return reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else int(np.prod(rest))
        return (input_shape[0], size)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}
