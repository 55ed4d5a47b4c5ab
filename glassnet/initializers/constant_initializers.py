"""Deterministic initializers: zeros, ones, a constant, the identity matrix.

Example:
    >>> Constant(0.5)((2,)).tolist()
    [0.5, 0.5]
"""

from __future__ import annotations

import numpy as np

from glassnet.initializers.initializer import Initializer


def _dtype(dtype):
    return np.dtype(dtype or "float32")


class Zeros(Initializer):
    """All zeros (Keras's default for biases)."""

    def __call__(self, shape, dtype=None):
        return np.zeros(shape, dtype=_dtype(dtype))


class Ones(Initializer):
    """All ones (BatchNormalization's gamma)."""

    def __call__(self, shape, dtype=None):
        return np.ones(shape, dtype=_dtype(dtype))


class Constant(Initializer):
    """Every value ``value``; an array value is broadcast (an embedding matrix, say)."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        value = np.asarray(self.value, dtype=_dtype(dtype))
        return np.array(np.broadcast_to(value, shape), dtype=_dtype(dtype))

    def get_config(self) -> dict:
        value = self.value
        return {"value": value.tolist() if isinstance(value, np.ndarray) else value}


class Identity(Initializer):
    """``gain`` times the identity matrix (2-D shapes only)."""

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity initializer needs a 2-D shape; received {tuple(shape)}.")
        return (self.gain * np.eye(*shape)).astype(_dtype(dtype))

    def get_config(self) -> dict:
        return {"gain": self.gain}
