"""Pooling ops over channels_last images (1-D or 2-D): the maximum or the mean of each window.

Both walk the window offsets, never the pixels: a (PH, PW) window has PH * PW offsets, and
each offset sees one strided view (N, OH, OW, C) of the input.  Max pooling's backward
sends each window's gradient to the first position holding its maximum, in row-major
window order (as PyTorch and TensorFlow do), found by comparing each offset with the
saved maximum ``z``.
Average pooling with 'same' padding divides by the number of real (unpadded) inputs in
each window, as Keras does.  Both passes split the batch into chunks that run on all cores
(see ``glassnet.ops.parallel``): the work is all memory-bound NumPy that releases the GIL.

Example:
    >>> x = Tensor(np.arange(16.0).reshape(1, 4, 4, 1))
    >>> max_pool(x, (2, 2)).data[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]])
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op
from glassnet.ops.conv import as_tuple, resolve_padding
from glassnet.ops.im2col import offset_slices, windows
from glassnet.ops.parallel import over_batch_chunks

#: Images per chunk of the batch (a few MB of a CNN's pooled activations).
CHUNK_IMAGES = 32


class _Pool(Op):
    """Shared set-up: window geometry, padding and the per-offset views."""

    def __init__(self, pool_size, strides=None, padding="valid"):
        self.pool_size, self.strides, self.padding = pool_size, strides, padding

    def _setup(self, x, fill):
        rank = x.ndim - 2
        if rank not in (1, 2):
            raise ValueError(f"Pooling expects inputs of rank 3 or 4; received x.shape={x.shape}")
        self.rank, self.x_shape = rank, x.shape
        size = as_tuple(self.pool_size, rank, "pool_size")
        strides = size if self.strides is None else as_tuple(self.strides, rank, "strides")
        padding = resolve_padding(self.padding, x.shape[1:-1], size, strides, (1,) * rank)
        if rank == 1:  # pool images one pixel high
            x, size, strides, padding = x[:, None], (1,) + size, (1,) + strides, \
                ((0, 0),) + padding
        self.window, self.stride2d, self.padding2d = size, strides, padding
        (top, bottom), (left, right) = padding
        if top or bottom or left or right:
            padded = np.full((x.shape[0], x.shape[1] + top + bottom, x.shape[2] + left + right,
                              x.shape[3]), fill, dtype=x.dtype)
            padded[:, top:top + x.shape[1], left:left + x.shape[2]] = x
            x = padded
        self.padded_shape = x.shape
        view = windows(x, size, strides, (1, 1))
        self.out_size = view.shape[1:3]
        if min(self.out_size) <= 0:
            raise ValueError(f"The pooling output would be empty: input {self.x_shape}, "
                             f"pool_size {size[2 - rank:]}, strides {strides[2 - rank:]}.")
        self.slices = offset_slices(size, strides, (1, 1), self.out_size)
        # Windows that do not overlap can write their gradients instead of adding them.
        self.disjoint = all(s >= k for s, k in zip(strides, size))
        return x, [view[:, :, :, i, j] for i in range(size[0]) for j in range(size[1])]

    def _finish(self, z):
        return z[:, 0] if self.rank == 1 else z

    def _scatter(self, pieces) -> np.ndarray:
        """dx from ``pieces(start, stop)``, a function ``piece(k, out)`` giving the gradient
        (stop - start, OH, OW, C) of those images at window offset k: written straight into
        place when windows do not overlap, else added; then cropped."""
        exact = self.disjoint and all(k == s and k * n == size for k, s, n, size in zip(
            self.window, self.stride2d, self.out_size, self.padded_shape[1:3]))
        d_padded = (np.empty if exact else np.zeros)(self.padded_shape, dtype=self.grad_dtype)

        def work(start, stop):
            piece, target = pieces(start, stop), d_padded[start:stop]
            for k, (rows, cols) in enumerate(self.slices):
                if self.disjoint:
                    piece(k, target[:, rows, cols])
                else:
                    target[:, rows, cols] += piece(k, None)

        over_batch_chunks(work, self.padded_shape[0], CHUNK_IMAGES)
        (top, bottom), (left, right) = self.padding2d
        dx = d_padded[:, top:d_padded.shape[1] - bottom, left:d_padded.shape[2] - right]
        if dx.shape[1:3] != d_padded.shape[1:3]:
            dx = np.ascontiguousarray(dx)
        return dx.reshape(self.x_shape)


def _examples(rng=np.random.default_rng(81)):
    def distinct(*shape):  # distinct values: the max is never a tie within eps
        return rng.permutation(np.prod(shape)).reshape(shape) * 0.1 + \
            rng.uniform(0, 0.01, shape)

    return [([distinct(2, 4, 6, 3)], {"pool_size": (2, 2)}),
            ([distinct(2, 5, 7, 2)], {"pool_size": (2, 3)}),
            ([distinct(1, 7, 7, 2)], {"pool_size": (3, 3), "strides": (2, 2)}),
            ([distinct(2, 5, 6, 2)], {"pool_size": (2, 2), "strides": (3, 1)}),
            ([distinct(2, 5, 5, 2)], {"pool_size": (2, 2), "strides": (2, 2), "padding": "same"}),
            ([distinct(1, 6, 5, 2)], {"pool_size": (3, 2), "strides": (1, 1), "padding": "same"}),
            ([distinct(2, 9, 3)], {"pool_size": 3, "strides": 2}),
            ([distinct(2, 7, 3)], {"pool_size": 2, "padding": "same"})]


@register_op(_examples)
class MaxPool(_Pool):
    """z = max over each window;  dx = dz at the window's (first) maximum, 0 elsewhere."""

    label = "max_pool"

    def forward(self, x):
        fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        _, self.offsets = self._setup(x, fill)
        z = np.empty(self.offsets[0].shape, dtype=x.dtype)

        def work(start, stop):
            np.copyto(z[start:stop], self.offsets[0][start:stop])
            for view in self.offsets[1:]:
                np.maximum(z[start:stop], view[start:stop], out=z[start:stop])

        over_batch_chunks(work, z.shape[0], CHUNK_IMAGES)
        self.z = z
        return self._finish(z)

    def backward(self, grad):
        grad = grad[:, None] if self.rank == 1 else grad
        self.grad_dtype = grad.dtype

        def pieces(start, stop):
            # Walk the offsets in row-major window order; each window's gradient goes to
            # the first offset holding its maximum (``taken`` marks windows already served).
            z, dz, state = self.z[start:stop], grad[start:stop], {"taken": None}

            def piece(k, out):
                hit = self.offsets[k][start:stop] == z
                taken = state["taken"]
                if taken is not None:
                    np.greater(hit, taken, out=hit)  # hit and not taken
                if k + 1 < len(self.offsets):
                    state["taken"] = hit.copy() if taken is None else \
                        np.logical_or(taken, hit, out=taken)
                return np.multiply(dz, hit, out=out)
            return piece

        return (self._scatter(pieces),)


@register_op(_examples)
class AveragePool(_Pool):
    """z = mean over each window (padding not counted);  dx = dz / count at every position."""

    label = "average_pool"

    def forward(self, x):
        _, offsets = self._setup(x, 0)
        z = offsets[0].copy()
        for view in offsets[1:]:
            z += view
        self.count = self._counts(x.dtype)
        z /= self.count
        return self._finish(z)

    def _counts(self, dtype):
        """How many real inputs each window holds: a scalar, or (1, OH, OW, 1) with padding."""
        if not any(a or b for a, b in self.padding2d):
            return np.asarray(self.window[0] * self.window[1], dtype=dtype)
        (top, bottom), (left, right) = self.padding2d
        ones = np.zeros((1,) + self.padded_shape[1:3] + (1,), dtype=dtype)
        ones[:, top:ones.shape[1] - bottom, left:ones.shape[2] - right] = 1
        counts = np.zeros((1,) + self.out_size + (1,), dtype=dtype)
        for rows, cols in self.slices:
            counts += ones[:, rows, cols]
        return counts

    def backward(self, grad):
        grad = grad[:, None] if self.rank == 1 else grad
        self.grad_dtype = grad.dtype
        share = grad / self.count

        def pieces(start, stop):
            def piece(k, out):
                if out is None:
                    return share[start:stop]
                out[...] = share[start:stop]
            return piece
        return (self._scatter(pieces),)


def max_pool(x, pool_size, strides=None, padding: str = "valid"):
    """Max pooling of channels_last ``x`` (1-D or 2-D); ``strides`` defaults to the pool."""
    return MaxPool(pool_size, strides, padding)(x)


def average_pool(x, pool_size, strides=None, padding: str = "valid"):
    """Average pooling of channels_last ``x`` (1-D or 2-D), padding excluded from the mean."""
    return AveragePool(pool_size, strides, padding)(x)
