"""Ops that move values around without arithmetic: reshape, transpose, indexing, concatenation.

Example:
    >>> reshape(Tensor(np.zeros((2, 6))), (2, 3, 2)).shape
    (2, 3, 2)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op


@register_op(lambda: [([np.random.default_rng(30).standard_normal((2, 3, 4))],
                       {"shape": (2, 12)}),
                      ([np.random.default_rng(31).standard_normal((2, 6))],
                       {"shape": (-1, 3, 2)})])
class Reshape(Op):
    """z = x.reshape(shape);  dx = dz.reshape(x.shape)."""

    label = "reshape"

    def __init__(self, shape: tuple):
        self.shape = tuple(shape)

    def forward(self, x):
        self.x_shape = x.shape
        return x.reshape(self.shape)

    def backward(self, grad):
        return (grad.reshape(self.x_shape),)


@register_op(lambda: [([np.random.default_rng(32).standard_normal((2, 3, 4))],
                       {"axes": (2, 0, 1)}),
                      ([np.random.default_rng(33).standard_normal((3, 4))], {})])
class Transpose(Op):
    """z = x.transpose(axes);  dx = dz.transpose(inverse(axes))."""

    label = "transpose"

    def __init__(self, axes: tuple | None = None):
        self.axes = axes

    def forward(self, x):
        self.perm = tuple(self.axes) if self.axes is not None else tuple(reversed(range(x.ndim)))
        return np.transpose(x, self.perm)

    def backward(self, grad):
        return (np.transpose(grad, np.argsort(self.perm)),)


@register_op(lambda: [([np.random.default_rng(34).standard_normal((4, 5))],
                       {"key": (slice(1, 3), slice(None, None, 2))}),
                      ([np.random.default_rng(35).standard_normal((4, 5))],
                       {"key": np.array([0, 2, 2])}),
                      ([np.random.default_rng(36).standard_normal((3, 4, 2))],
                       {"key": (Ellipsis, -1)})])
class GetItem(Op):
    """z = x[key];  dx = zeros with dz added at the indexed places (repeats accumulate)."""

    label = "get_item"

    def __init__(self, key):
        self.key = key

    def forward(self, x):
        self.x_shape, self.x_dtype = x.shape, x.dtype
        return x[self.key]

    def backward(self, grad):
        dx = np.zeros(self.x_shape, dtype=grad.dtype)
        np.add.at(dx, self.key, grad)
        return (dx,)


def _concat_examples(rng=np.random.default_rng(37)):
    return [([rng.standard_normal((2, 3)), rng.standard_normal((2, 4))], {"axis": -1}),
            ([rng.standard_normal((1, 3)), rng.standard_normal((2, 3)),
              rng.standard_normal((3, 3))], {"axis": 0})]


@register_op(_concat_examples)
class Concatenate(Op):
    """z = concatenate(xs, axis);  each dx is its slice of dz."""

    label = "concatenate"

    def __init__(self, axis: int = -1):
        self.axis = axis

    def forward(self, *xs):
        self.sizes = [x.shape[self.axis] for x in xs]
        return np.concatenate(xs, axis=self.axis)

    def backward(self, grad):
        cuts = np.cumsum(self.sizes)[:-1]
        return tuple(np.split(grad, cuts, axis=self.axis))


class Cast(Op):
    """z = x.astype(dtype);  dx = dz.astype(x.dtype) (a float-to-float cast passes gradients).

    Not in the op registry: its whole point is to change the dtype, which the registry's
    contract forbids; tests/layers/test_input_casting.py checks it."""

    label = "cast"

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)

    def forward(self, x):
        self.x_dtype = x.dtype
        return x.astype(self.dtype)

    def backward(self, grad):
        return (grad.astype(self.x_dtype),)


def cast(x, dtype):
    return Cast(dtype)(x)


def reshape(x, shape):
    return Reshape(shape)(x)


def transpose(x, axes=None):
    return Transpose(axes)(x)


def get_item(x, key):
    if hasattr(key, "data") and not isinstance(key, (slice, tuple)):
        key = key.data
    return GetItem(key)(x)


def concatenate(xs, axis: int = -1):
    return Concatenate(axis)(*xs)
