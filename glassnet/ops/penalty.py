"""The weight penalty op behind L1 / L2 regularizers.

Example:
    >>> weight_penalty(Tensor([1.0, -2.0]), l1=0.0, l2=0.5).data
    array(2.5, dtype=float32)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op


@register_op(lambda: [([np.array([[0.3, -1.2], [2.0, -0.4]])], {"l1": 0.01, "l2": 0.0}),
                      ([np.array([[0.3, -1.2], [2.0, -0.4]])], {"l1": 0.0, "l2": 0.01}),
                      ([np.array([0.7, -0.2, 1.5])], {"l1": 0.1, "l2": 0.2})])
class WeightPenalty(Op):
    """p = l1 * sum|w| + l2 * sum w**2;  dw = dp * (l1 sign(w) + 2 l2 w)."""

    label = "weight_penalty"

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1, self.l2 = l1, l2

    def forward(self, w):
        self.w = w
        total = 0.0
        if self.l1:
            total += self.l1 * np.sum(np.abs(w))
        if self.l2:
            total += self.l2 * np.sum(np.square(w))
        return np.asarray(total, dtype=w.dtype)

    def backward(self, grad):
        local = np.zeros_like(self.w)
        if self.l1:
            local += self.l1 * np.sign(self.w)
        if self.l2:
            local += (2 * self.l2) * self.w
        return (local * grad,)


def weight_penalty(w, l1: float = 0.0, l2: float = 0.0):
    return WeightPenalty(l1, l2)(w)
