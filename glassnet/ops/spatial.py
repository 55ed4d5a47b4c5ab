"""Ops that move pixels of channels_last images without weights: zero padding, cropping and
upsampling (nearest-neighbour and bilinear), for 1-D or 2-D inputs.

Example:
    >>> x = Tensor(np.ones((1, 2, 2, 1)))
    >>> zero_pad(x, ((1, 1), (0, 2))).shape
    (1, 4, 4, 1)
    >>> upsample(x, (2, 3)).shape
    (1, 4, 6, 1)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op


def _spatial(pairs, ndim: int) -> tuple:
    """Per-axis (before, after) pairs for every axis: none on the batch and channel axes."""
    pairs = tuple((int(a), int(b)) for a, b in pairs)
    if len(pairs) != ndim - 2:
        raise ValueError(f"Expected {ndim - 2} (before, after) pairs for inputs of rank {ndim}; "
                         f"received {pairs}.")
    return ((0, 0),) + pairs + ((0, 0),)


def _inner(shape, pairs) -> tuple:
    return tuple(slice(a, n - b) for n, (a, b) in zip(shape, pairs))


@register_op(lambda: [([np.random.default_rng(84).standard_normal((2, 3, 4, 2))],
                       {"padding": ((1, 2), (0, 1))}),
                      ([np.random.default_rng(85).standard_normal((2, 3, 2))],
                       {"padding": ((2, 1),)})])
class ZeroPad(Op):
    """z = x with zeros around its spatial axes;  dx = dz without them."""

    label = "zero_pad"

    def __init__(self, padding):
        self.padding = padding

    def forward(self, x):
        self.pairs = _spatial(self.padding, x.ndim)
        return np.pad(x, self.pairs)

    def backward(self, grad):
        return (np.ascontiguousarray(grad[_inner(grad.shape, self.pairs)]),)


@register_op(lambda: [([np.random.default_rng(86).standard_normal((2, 5, 6, 2))],
                       {"cropping": ((1, 2), (0, 3))}),
                      ([np.random.default_rng(87).standard_normal((2, 6, 2))],
                       {"cropping": ((2, 1),)})])
class Crop(Op):
    """z = x without ``cropping`` rows/columns at its edges;  dx = dz padded back with zeros."""

    label = "crop"

    def __init__(self, cropping):
        self.cropping = cropping

    def forward(self, x):
        self.pairs = _spatial(self.cropping, x.ndim)
        self.x_shape = x.shape
        if any(a + b >= n for n, (a, b) in zip(x.shape[1:-1], self.pairs[1:-1])):
            raise ValueError(f"Cropping {self.cropping} removes everything from inputs of shape "
                             f"{x.shape}.")
        return x[_inner(x.shape, self.pairs)]

    def backward(self, grad):
        return (np.pad(grad, self.pairs),)


@register_op(lambda: [([np.random.default_rng(88).standard_normal((2, 3, 4, 2))],
                       {"size": (2, 3)}),
                      ([np.random.default_rng(89).standard_normal((2, 3, 2))], {"size": (3,)})])
class UpsampleNearest(Op):
    """z = every pixel repeated size[i] times along spatial axis i;  dx = dz summed over
    each block of repeats."""

    label = "upsample_nearest"

    def __init__(self, size):
        self.size = tuple(int(s) for s in size)

    def forward(self, x):
        n, *spatial, c = x.shape
        self.x_shape = x.shape
        blocks = [n]
        for length, factor in zip(spatial, self.size):
            blocks += [length, factor]
        # Broadcasting a size-1 axis next to each spatial axis repeats it in one copy.
        view = x.reshape([n] + [d for length in spatial for d in (length, 1)] + [c])
        return np.broadcast_to(view, blocks + [c]).reshape(
            [n] + [length * f for length, f in zip(spatial, self.size)] + [c])

    def backward(self, grad):
        n, *spatial, c = self.x_shape
        blocks = [n] + [d for length, f in zip(spatial, self.size) for d in (length, f)] + [c]
        axes = tuple(range(2, 2 * len(spatial) + 1, 2))
        return (grad.reshape(blocks).sum(axis=axes),)


def bilinear_matrix(length: int, factor: int, dtype=np.float64) -> np.ndarray:
    """(length * factor, length) weights of half-pixel linear interpolation (edges clamped),
    as ``keras.ops.image.resize(..., interpolation="bilinear")`` upsamples."""
    out = np.arange(length * factor)
    source = np.clip((out + 0.5) / factor - 0.5, 0, length - 1)
    low = np.floor(source).astype(int)
    high = np.minimum(low + 1, length - 1)
    weight_high = source - low
    matrix = np.zeros((length * factor, length), dtype=dtype)
    np.add.at(matrix, (out, low), 1 - weight_high)
    np.add.at(matrix, (out, high), weight_high)
    return matrix


@register_op(lambda: [([np.random.default_rng(90).standard_normal((2, 3, 4, 2))],
                       {"size": (2, 3)}),
                      ([np.random.default_rng(91).standard_normal((2, 4, 2))], {"size": (2,)})])
class UpsampleBilinear(Op):
    """z = A_h x A_w^T per image and channel, with bilinear weight matrices A;
    dx = A_h^T dz A_w."""

    label = "upsample_bilinear"

    def __init__(self, size):
        self.size = tuple(int(s) for s in size)

    def forward(self, x):
        self.matrices = [bilinear_matrix(length, f, x.dtype)
                         for length, f in zip(x.shape[1:-1], self.size)]
        return self._apply(x, self.matrices)

    @staticmethod
    def _apply(x, matrices):
        # Contract one spatial axis at a time; tensordot puts the new axis first.
        for axis, matrix in enumerate(matrices, start=1):
            x = np.moveaxis(np.tensordot(matrix, x, axes=([1], [axis])), 0, axis)
        return np.ascontiguousarray(x)

    def backward(self, grad):
        return (self._apply(grad, [m.T for m in self.matrices]),)


def zero_pad(x, padding):
    """Zeros around the spatial axes of channels_last ``x``: ``padding`` is one
    (before, after) pair per spatial axis."""
    return ZeroPad(padding)(x)


def crop(x, cropping):
    """Remove ``cropping`` (one (before, after) pair per spatial axis) from ``x``'s edges."""
    return Crop(cropping)(x)


def upsample(x, size, interpolation: str = "nearest"):
    """Enlarge each spatial axis i of ``x`` by the integer factor size[i]."""
    if interpolation == "nearest":
        return UpsampleNearest(size)(x)
    if interpolation == "bilinear":
        return UpsampleBilinear(size)(x)
    raise ValueError(f"interpolation must be 'nearest' or 'bilinear'; received "
                     f"interpolation={interpolation!r}.")
