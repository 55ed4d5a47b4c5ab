"""Batch normalization ops: with the batch's own statistics (training) or given ones.

Statistics are taken over every axis except the feature ``axis`` (the channels of an
image, the units of a dense layer).  In training the op keeps the batch ``mean`` and
``variance`` (biased, as Keras uses them) so the layer can update its moving averages::

    x_hat = (x - mean) / sqrt(variance + epsilon)        y = gamma * x_hat + beta
    dx = gamma / sqrt(variance + epsilon) * (dy - mean(dy) - x_hat * mean(dy * x_hat))

Example:
    >>> op = BatchNorm(axis=-1, epsilon=1e-3)
    >>> y = op(Tensor(np.random.rand(8, 3)), Variable(np.ones(3)), Variable(np.zeros(3)))
    >>> op.mean.shape, op.variance.shape
    ((3,), (3,))
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op


def _layout(x: np.ndarray, axis: int) -> tuple:
    """(reduction axes, shape that broadcasts a per-feature vector against x)."""
    axis = axis % x.ndim
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    return tuple(a for a in range(x.ndim) if a != axis), tuple(shape)


def _train_examples(rng=np.random.default_rng(82)):
    return [([rng.standard_normal((6, 4)) * 2 + 1, rng.uniform(0.5, 2, 4),
              rng.standard_normal(4)], {}),
            ([rng.standard_normal((2, 3, 4, 3)), rng.uniform(0.5, 2, 3), rng.standard_normal(3)],
             {"epsilon": 1e-3}),
            ([rng.standard_normal((3, 4, 5)), rng.uniform(0.5, 2, 4), None], {"axis": 1}),
            ([rng.standard_normal((5, 3)), None, rng.standard_normal(3)], {}),
            ([rng.standard_normal((5, 3)), None, None], {"epsilon": 0.1})]


@register_op(_train_examples)
class BatchNorm(Op):
    """y = gamma * (x - mean) / sqrt(var + eps) + beta with the batch's mean and variance.

    gamma and beta may be None (Keras's ``scale=False`` / ``center=False``).
    """

    label = "batch_norm"

    def __init__(self, axis: int = -1, epsilon: float = 1e-3):
        self.axis, self.epsilon = axis, epsilon

    def forward(self, x, gamma=None, beta=None):
        self.axes, self.shape = _layout(x, self.axis)
        self.count = x.size // self.shape[self.axis]
        mean = x.mean(axis=self.axes, keepdims=True)
        centered = x - mean
        variance = np.mean(np.square(centered), axis=self.axes, keepdims=True)
        self.mean, self.variance = mean.reshape(-1), variance.reshape(-1)
        self.inv_std = (1.0 / np.sqrt(variance + self.epsilon)).astype(x.dtype, copy=False)
        self.x_hat = centered
        self.x_hat *= self.inv_std
        self.gamma, self.has_beta = gamma, beta is not None
        y = self.x_hat * gamma.reshape(self.shape) if gamma is not None else self.x_hat.copy()
        if beta is not None:
            y += beta.reshape(self.shape)
        return y

    def backward(self, grad):
        needs = tuple(self.needs_input_grad) + (False,) * 3
        x_hat, axes = self.x_hat, self.axes
        d_beta = grad.sum(axis=axes) if needs[2] and self.has_beta else None
        d_gamma = (grad * x_hat).sum(axis=axes) if needs[1] and self.gamma is not None else None
        dx = None
        if needs[0]:
            d_x_hat = grad * self.gamma.reshape(self.shape) if self.gamma is not None else grad
            mean_d = d_x_hat.mean(axis=axes, keepdims=True)
            mean_dx = (d_x_hat * x_hat).mean(axis=axes, keepdims=True)
            dx = d_x_hat - mean_d
            dx -= x_hat * mean_dx
            dx *= self.inv_std
        return dx, d_gamma, d_beta


def _inference_examples(rng=np.random.default_rng(83)):
    return [([rng.standard_normal((6, 4)), rng.standard_normal(4), rng.uniform(0.5, 2, 4),
              rng.uniform(0.5, 2, 4), rng.standard_normal(4)], {}),
            ([rng.standard_normal((2, 3, 4, 3)), rng.standard_normal(3), rng.uniform(0.5, 2, 3),
              None, rng.standard_normal(3)], {"epsilon": 0.01}),
            ([rng.standard_normal((3, 4, 5)), rng.standard_normal(4), rng.uniform(0.5, 2, 4),
              rng.uniform(0.5, 2, 4), None], {"axis": 1})]


@register_op(_inference_examples)
class BatchNormInference(Op):
    """y = (x - mean) * gamma / sqrt(variance + eps) + beta with given (moving) statistics;
    dx = dy * gamma / sqrt(variance + eps)."""

    label = "batch_norm_inference"

    def __init__(self, axis: int = -1, epsilon: float = 1e-3):
        self.axis, self.epsilon = axis, epsilon

    def forward(self, x, mean, variance, gamma=None, beta=None):
        _, self.shape = _layout(x, self.axis)
        self.axes = tuple(a for a in range(x.ndim) if self.shape[a] == 1)
        self.inv_std = 1.0 / np.sqrt(variance + self.epsilon)
        self.gamma, self.has_beta = gamma, beta is not None
        self.multiplier = self.inv_std * gamma if gamma is not None else self.inv_std
        self.centered = x - mean.reshape(self.shape)
        y = self.centered * self.multiplier.reshape(self.shape).astype(x.dtype, copy=False)
        if beta is not None:
            y += beta.reshape(self.shape)
        return y

    def backward(self, grad):
        needs = tuple(self.needs_input_grad) + (False,) * 5
        axes, shape = self.axes, self.shape
        dx = grad * self.multiplier.reshape(shape).astype(grad.dtype, copy=False) \
            if needs[0] else None
        d_mean = -(grad.sum(axis=axes) * self.multiplier) if needs[1] else None
        d_variance = None
        if needs[2]:
            weighted = (grad * self.centered).sum(axis=axes)
            d_variance = -0.5 * weighted * self.multiplier * self.inv_std ** 2
        d_gamma = None
        if needs[3] and self.gamma is not None:
            d_gamma = (grad * self.centered).sum(axis=axes) * self.inv_std
        d_beta = grad.sum(axis=axes) if needs[4] and self.has_beta else None
        return dx, d_mean, d_variance, d_gamma, d_beta


def batch_norm(x, gamma=None, beta=None, axis: int = -1, epsilon: float = 1e-3):
    """Normalize ``x`` with its own batch statistics; see :class:`BatchNorm`."""
    return BatchNorm(axis, epsilon)(x, gamma, beta)


def batch_normalization(x, mean, variance, axis: int = -1, offset=None, scale=None,
                        epsilon: float = 1e-3):
    """``keras.ops.batch_normalization``: normalize ``x`` with the given statistics."""
    return BatchNormInference(axis, epsilon)(x, mean, variance, scale, offset)
