"""Inverted dropout: drop units with probability ``rate`` and scale the rest by 1 / (1 - rate).

Example:
    >>> y = dropout(Tensor(np.ones((2, 4))), rate=0.5, rng=np.random.default_rng(0))
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op
from glassnet.core.random import make_generator, uniform_per_sample


@register_op(lambda: [([np.random.default_rng(70).standard_normal((4, 6))],
                       {"rate": 0.3, "rng": 7}),
                      ([np.random.default_rng(71).standard_normal((2, 3, 4))],
                       {"rate": 0.5, "rng": 8, "noise_shape": (2, 1, 4)})])
class Dropout(Op):
    """z = x * mask / (1 - rate), mask ~ Bernoulli(1 - rate);  dx = dz * mask / (1 - rate)."""

    label = "dropout"

    def __init__(self, rate: float, rng=None, noise_shape=None):
        self.rate = rate
        self.rng = make_generator(rng)
        self.noise_shape = noise_shape

    def forward(self, x):
        shape = x.shape if self.noise_shape is None else tuple(
            x.shape[i] if n is None else n for i, n in enumerate(self.noise_shape))
        keep = uniform_per_sample(self.rng, shape) >= self.rate
        self.mask = keep.astype(x.dtype) * np.asarray(1.0 / (1.0 - self.rate), dtype=x.dtype)
        return x * self.mask

    def backward(self, grad):
        return (grad * self.mask,)


def dropout(x, rate: float, rng=None, noise_shape=None):
    return Dropout(rate, rng, noise_shape)(x)
