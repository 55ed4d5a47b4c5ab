"""Sliding windows over channels_last images: the im2col gather behind convolution and
pooling, and col2im, its adjoint, which adds window gradients back onto the image.

An image batch has shape (N, H, W, C).  A (KH, KW) window moved with ``strides`` and
spread by ``dilation`` visits OH x OW positions; ``windows`` shows them all as one
strided view of shape (N, OH, OW, KH, KW, C) without copying anything, and ``im2col``
copies that view into the matrix ``col`` of shape (N * OH * OW, KH * KW * C): one row per
output pixel, in the (kh, kw, c) order of a Keras kernel reshaped to (KH * KW * C, F).
A convolution is then one matrix product ``col @ kernel``.

Example:
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> im2col(x, (2, 2), (2, 2), (1, 1)).shape
    (4, 4)
    >>> conv_output_length(28, 3, 1, 1, "valid")
    26
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided


def conv_output_length(length, kernel: int, stride: int, dilation: int, padding: str):
    """Output size along one axis, as Keras computes it (None stays None)."""
    if length is None:
        return None
    if padding in ("same", "causal"):
        return (length - 1) // stride + 1
    span = dilation * (kernel - 1) + 1
    return (length - span) // stride + 1


def same_padding(length: int, kernel: int, stride: int, dilation: int = 1) -> tuple:
    """(before, after) zeros that make 'same' output ceil(length / stride) long.

    The total is split evenly and an odd pixel goes after, as in TensorFlow and Keras.
    """
    span = dilation * (kernel - 1) + 1
    out = (length + stride - 1) // stride
    total = max((out - 1) * stride + span - length, 0)
    return total // 2, total - total // 2


def pad_spatial(x: np.ndarray, padding, value=0.0) -> np.ndarray:
    """x with ``padding`` ((top, bottom), (left, right)) added around H and W (a copy only
    when there is something to add)."""
    (top, bottom), (left, right) = padding
    if not (top or bottom or left or right):
        return x
    n, h, w, c = x.shape
    padded = np.full((n, h + top + bottom, w + left + right, c), value, dtype=x.dtype)
    padded[:, top:top + h, left:left + w] = x
    return padded


def crop_spatial(x: np.ndarray, padding) -> np.ndarray:
    """The inverse of ``pad_spatial``: x without its padding (a view)."""
    (top, bottom), (left, right) = padding
    return x[:, top:x.shape[1] - bottom, left:x.shape[2] - right]


def windows(x: np.ndarray, kernel_size, strides, dilation, out_size=None) -> np.ndarray:
    """Every (KH, KW) window of ``x`` as a read-only view (N, OH, OW, KH, KW, C).

    ``out_size`` (OH, OW) limits the number of positions; by default every position whose
    window lies inside ``x`` is taken.
    """
    n, h, w, c = x.shape
    (kh, kw), (sh, sw), (dh, dw) = kernel_size, strides, dilation
    if out_size is None:
        out_size = ((h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1)
    oh, ow = out_size
    bn, bh, bw, bc = x.strides
    return as_strided(x, (n, oh, ow, kh, kw, c),
                      (bn, bh * sh, bw * sw, bh * dh, bw * dw, bc), writeable=False)


def im2col(x: np.ndarray, kernel_size, strides, dilation, out=None) -> np.ndarray:
    """The windows of ``x`` copied into ``col`` (N * OH * OW, KH * KW * C)."""
    view = windows(x, kernel_size, strides, dilation)
    rows = view.shape[0] * view.shape[1] * view.shape[2]
    if out is None:
        out = np.empty((rows, view.shape[3] * view.shape[4] * view.shape[5]), dtype=x.dtype)
    np.copyto(out.reshape(view.shape), view)
    return out


def col2im(d_windows: np.ndarray, image_shape, strides, dilation, out=None) -> np.ndarray:
    """Adjoint of ``windows``: add each window's gradient (N, OH, OW, KH, KW, C) back onto an
    image of ``image_shape``.  One strided addition per kernel offset (KH * KW of them)."""
    n, oh, ow, kh, kw, c = d_windows.shape
    (sh, sw), (dh, dw) = strides, dilation
    if out is None:
        out = np.zeros(image_shape, dtype=d_windows.dtype)
    for i in range(kh):
        rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
        for j in range(kw):
            cols = slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)
            out[:, rows, cols] += d_windows[:, :, :, i, j]
    return out


def offset_slices(kernel_size, strides, dilation, out_size) -> list:
    """For each kernel offset (i, j): the (rows, cols) slices of the (padded) image that the
    offset touches over all output positions, in (kh, kw) order."""
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel_size, strides, dilation, out_size
    return [(slice(i * dh, i * dh + sh * (oh - 1) + 1, sh),
             slice(j * dw, j * dw + sw * (ow - 1) + 1, sw))
            for i in range(kh) for j in range(kw)]
