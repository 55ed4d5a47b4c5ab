"""Reductions: sum, mean and max over axes.

Example:
    >>> mean(Tensor([[1.0, 3.0]]), axis=-1).data
    array([2.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op


def _normalize_axes(axis, ndim: int) -> tuple:
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(sorted(a % ndim for a in axes))


def _expand(grad, axes: tuple, keepdims: bool):
    return grad if keepdims else np.expand_dims(grad, axes)


def _examples(rng=np.random.default_rng(10)):
    return [([rng.standard_normal((3, 4))], {}),
            ([rng.standard_normal((2, 3, 4))], {"axis": 1}),
            ([rng.standard_normal((2, 3, 4))], {"axis": (0, 2), "keepdims": True})]


@register_op(_examples)
class Sum(Op):
    """z = sum(x, axis);  dx = dz broadcast back to x's shape."""

    label = "sum"

    def __init__(self, axis=None, keepdims: bool = False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.x_shape = x.shape
        self.axes = _normalize_axes(self.axis, x.ndim)
        return np.sum(x, axis=self.axes, keepdims=self.keepdims)

    def backward(self, grad):
        return (np.broadcast_to(_expand(grad, self.axes, self.keepdims), self.x_shape),)


@register_op(_examples)
class Mean(Op):
    """z = mean(x, axis);  dx = dz / n broadcast back to x's shape."""

    label = "mean"

    def __init__(self, axis=None, keepdims: bool = False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.x_shape = x.shape
        self.axes = _normalize_axes(self.axis, x.ndim)
        self.count = int(np.prod([x.shape[a] for a in self.axes])) if x.ndim else 1
        return np.mean(x, axis=self.axes, keepdims=self.keepdims)

    def backward(self, grad):
        scaled = _expand(grad, self.axes, self.keepdims) / self.count
        return (np.broadcast_to(scaled, self.x_shape),)


@register_op(_examples)
class Max(Op):
    """z = max(x, axis);  dx = dz at the (first) position of the maximum, else 0."""

    label = "max"

    def __init__(self, axis=None, keepdims: bool = False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.axes = _normalize_axes(self.axis, x.ndim)
        z = np.max(x, axis=self.axes, keepdims=True)
        # Ties share nothing: only the first maximum along the reduced axes gets the gradient.
        self.mask = _first_only(x == z, self.axes)
        return z if self.keepdims else np.squeeze(z, axis=self.axes)

    def backward(self, grad):
        return (self.mask * _expand(grad, self.axes, self.keepdims),)


def _first_only(hits: np.ndarray, axes: tuple) -> np.ndarray:
    moved = np.moveaxis(hits, axes, tuple(range(hits.ndim - len(axes), hits.ndim)))
    lead = moved.shape[:hits.ndim - len(axes)]
    flat = moved.reshape(lead + (-1,))
    first = np.zeros_like(flat)
    idx = np.argmax(flat, axis=-1)
    np.put_along_axis(first, idx[..., None], True, axis=-1)
    return np.moveaxis(first.reshape(moved.shape), tuple(range(hits.ndim - len(axes), hits.ndim)),
                       axes)


def sum(x, axis=None, keepdims: bool = False):  # noqa: A001 - mirrors keras.ops.sum
    return Sum(axis, keepdims)(x)


def mean(x, axis=None, keepdims: bool = False):
    return Mean(axis, keepdims)(x)


def max(x, axis=None, keepdims: bool = False):  # noqa: A001 - mirrors keras.ops.max
    return Max(axis, keepdims)(x)
