"""Matrix product (batched over leading axes, as ``np.matmul``).

Example:
    >>> matmul(Tensor(np.ones((2, 3))), Tensor(np.ones((3, 4)))).shape
    (2, 4)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op, unbroadcast


def _examples(rng=np.random.default_rng(20)):
    return [([rng.standard_normal((3, 4)), rng.standard_normal((4, 5))], {}),
            ([rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 2))], {}),
            ([rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4, 5))], {})]


@register_op(_examples)
class MatMul(Op):
    """z = a @ b;  da = dz @ b.T,  db = a.T @ dz (summed over broadcast batch axes)."""

    label = "matmul"

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.matmul(a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        a, b = self.a, self.b
        da = db = None
        if need_a:
            da = unbroadcast(np.matmul(grad, np.swapaxes(b, -1, -2)), a.shape)
        if need_b:
            db = unbroadcast(np.matmul(np.swapaxes(a, -1, -2), grad), b.shape)
        return da, db


def matmul(a, b):
    return MatMul()(a, b)
