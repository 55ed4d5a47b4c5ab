"""Reshape: give each sample a new shape (one dimension may be -1).

Example:
    >>> Reshape((7, 7, 128))(np.zeros((2, 6272))).shape
    (2, 7, 7, 128)
"""

from __future__ import annotations

import numpy as np

from glassnet.layers.layer import Layer
from glassnet.ops.shape import reshape


class Reshape(Layer):
    """Reshape each sample to ``target_shape`` (the batch axis is kept)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in self.target_shape) > 1:
            raise ValueError(f"Reshape target_shape may contain at most one -1; received "
                             f"{self.target_shape}.")
        self.built = True

    def _resolve(self, sample_shape: tuple) -> tuple:
        if any(d is None for d in sample_shape):
            return tuple(None if d == -1 else d for d in self.target_shape)
        total = int(np.prod(sample_shape))
        known = int(np.prod([d for d in self.target_shape if d != -1]))
        if -1 in self.target_shape:
            if known == 0 or total % known:
                raise ValueError(f"Reshape '{self.name}' cannot reshape inputs of shape "
                                 f"{sample_shape} into {self.target_shape}.")
            return tuple(total // known if d == -1 else d for d in self.target_shape)
        if known != total:
            raise ValueError(
                f"Reshape '{self.name}' cannot reshape inputs of shape {sample_shape} "
                f"({total} values per sample) into {self.target_shape} ({known} values).")
        return self.target_shape

    def call(self, inputs):
        return reshape(inputs, (inputs.shape[0],) + self._resolve(tuple(inputs.shape[1:])))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape[1:]))

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": list(self.target_shape)}
