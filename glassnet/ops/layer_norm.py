"""Layer normalization: each sample normalized over the given axes, then scaled and shifted.

    mean, var = moments of x over ``axes``      x_hat = (x - mean) / sqrt(var + epsilon)
    y = x_hat * gamma + beta                    (gamma, beta broadcast over the other axes)

Backward, with g = dy * gamma and means over ``axes``:
    dx = (g - mean(g) - x_hat * mean(g * x_hat)) / sqrt(var + epsilon)
    d gamma = sum of dy * x_hat over the other axes,   d beta = sum of dy over them.

Example:
    >>> y = layer_norm(Tensor(np.array([[1.0, 2.0, 3.0]])), None, None, axes=(-1,))
    >>> np.round(y.data, 3)
    array([[-1.224,  0.   ,  1.224]])
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op


def _examples(rng=np.random.default_rng(120)):
    x3 = rng.standard_normal((2, 3, 4)) * 2 + 1
    return [([x3, rng.standard_normal(4), rng.standard_normal(4)], {"axes": (-1,)}),
            ([x3, rng.standard_normal((3, 4)), None], {"axes": (1, 2), "epsilon": 1e-5}),
            ([x3, None, rng.standard_normal(3)], {"axes": (1,)}),
            ([rng.standard_normal((3, 5)), rng.standard_normal(5), rng.standard_normal(5)],
             {"axes": (-1,), "epsilon": 0.1})]


@register_op(_examples)
class LayerNorm(Op):
    """Normalize over ``axes`` (see the module docstring); gamma and beta have the shape of
    those axes and may be None."""

    label = "layer_norm"

    def __init__(self, axes: tuple = (-1,), epsilon: float = 1e-3):
        self.axes, self.epsilon = tuple(axes), epsilon

    def forward(self, x, gamma=None, beta=None):
        axes = tuple(sorted(a % x.ndim for a in self.axes))
        self.norm_axes = axes
        self.param_shape = tuple(x.shape[a] if a in axes else 1 for a in range(x.ndim))
        self.other_axes = tuple(a for a in range(x.ndim) if a not in axes)
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        var = np.mean(centered * centered, axis=axes, keepdims=True)
        self.inv_std = 1.0 / np.sqrt(var + np.asarray(self.epsilon, dtype=x.dtype))
        self.x_hat = centered * self.inv_std
        self.gamma_shape = None if gamma is None else gamma.shape
        self.gamma = None if gamma is None else gamma.reshape(self.param_shape)
        y = self.x_hat if gamma is None else self.x_hat * self.gamma
        if beta is not None:
            self.beta_shape = beta.shape
            y = y + beta.reshape(self.param_shape)
        return y

    def backward(self, grad):
        need = tuple(self.needs_input_grad) + (False,) * 3
        axes, x_hat = self.norm_axes, self.x_hat
        dx = d_gamma = d_beta = None
        if need[0]:
            g = grad if self.gamma is None else grad * self.gamma
            dx = self.inv_std * (g - g.mean(axis=axes, keepdims=True)
                                 - x_hat * (g * x_hat).mean(axis=axes, keepdims=True))
        if need[1] and self.gamma is not None:
            d_gamma = (grad * x_hat).sum(axis=self.other_axes).reshape(self.gamma_shape)
        if need[2]:
            d_beta = grad.sum(axis=self.other_axes).reshape(self.beta_shape)
        return dx, d_gamma, d_beta


def layer_norm(x, gamma=None, beta=None, axes: tuple = (-1,), epsilon: float = 1e-3):
    """Layer normalization as a recorded op."""
    return LayerNorm(axes, epsilon)(x, gamma, beta)
