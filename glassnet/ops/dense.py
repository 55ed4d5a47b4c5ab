"""The fused dense op: z = x @ kernel + bias, over the last axis of x.

One GEMM forward; backward computes the kernel gradient as one GEMM on the saved
input, the bias gradient as a column sum, and the input gradient only when something
upstream needs it (never for the first layer of a model).

Example:
    >>> dense(Tensor(np.ones((2, 3))), Variable(np.ones((3, 4))), Variable(np.zeros(4))).shape
    (2, 4)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op


def _examples(rng=np.random.default_rng(50)):
    return [([rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)],
             {}),
            ([rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 2)), rng.standard_normal(2)],
             {}),
            ([rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), None], {})]


@register_op(_examples)
class Dense(Op):
    """z = x @ W + b;  dW = x.T @ dz,  db = sum(dz over rows),  dx = dz @ W.T."""

    label = "dense"

    def forward(self, x, kernel, bias=None):
        self.x, self.kernel = x, kernel
        z = np.matmul(x, kernel)
        if bias is not None:
            z += bias
        return z

    def backward(self, grad):
        need_x, need_kernel = self.needs_input_grad[:2]
        need_bias = len(self.needs_input_grad) > 2 and self.needs_input_grad[2]
        x, kernel = self.x, self.kernel
        dx = d_kernel = d_bias = None
        if x.ndim == 2:
            grad2d, x2d = grad, x
        else:
            grad2d = grad.reshape(-1, grad.shape[-1])
            x2d = x.reshape(-1, x.shape[-1])
        if need_kernel:
            d_kernel = np.matmul(x2d.T, grad2d)
        if need_bias:
            d_bias = grad2d.sum(axis=0)
        if need_x:
            dx = np.matmul(grad, kernel.T)
        return dx, d_kernel, d_bias


def dense(x, kernel, bias=None):
    return Dense()(x, kernel, bias)
