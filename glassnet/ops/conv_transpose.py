"""The transposed convolution op (the adjoint of ``conv``), 1-D or 2-D, channels_last.

Each input pixel spreads ``x[n, i, j] @ kernel[a, b].T`` onto output pixel
(i * stride + a * dilation, j * stride + b * dilation): one GEMM gives every pixel's
contribution window and col2im adds the windows into place.  The backward pass is a
convolution: im2col of the output gradient, then GEMMs::

    windows = x @ K           (N * H * W, KH * KW * F), K = kernel as (C, KH * KW * F)
    z = crop(col2im(windows)) + b
    dx = im2col(dz) @ K.T     dK = x.T @ im2col(dz)      db = sum(dz)

The crop and output size follow Keras's 'valid' / 'same' and ``output_padding`` rules.

Example:
    >>> x = Tensor(np.ones((2, 4, 4, 3)))
    >>> conv_transpose(x, Variable(np.ones((3, 3, 8, 3))), None, strides=2,
    ...                padding="same").shape
    (2, 8, 8, 8)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op
from glassnet.ops.conv import as_tuple
from glassnet.ops.im2col import col2im, im2col


def transpose_geometry(length, kernel: int, stride: int, dilation: int, padding: str,
                       output_padding=None) -> tuple:
    """(output length, pixels cropped at the start) of a transposed convolution, as Keras.

    The uncropped result of scattering every window is (length - 1) * stride + span long.
    """
    span = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        before, after = span - 1, span - 1 + extra
    elif padding == "same":
        total = stride + span - 2 if output_padding is None else \
            span + span % 2 - 2 + output_padding
        before = min(total // 2 + total % 2, span - 1)
        after = total - before
    else:
        raise ValueError(f"padding must be 'valid' or 'same'; received {padding!r}.")
    if length is None:
        return None, span - 1 - before
    return (length - 1) * stride + before + after - span + 2, span - 1 - before


def _examples(rng=np.random.default_rng(92)):
    def normal(*shape):
        return rng.standard_normal(shape)

    return [([normal(2, 3, 4, 2), normal(3, 3, 4, 2), normal(4)], {}),
            ([normal(2, 3, 3, 2), normal(3, 3, 3, 2), normal(3)],
             {"strides": 2, "padding": "same"}),
            ([normal(1, 3, 4, 3), normal(2, 2, 2, 3), None],
             {"strides": (3, 2), "padding": "valid"}),
            ([normal(2, 4, 3, 2), normal(2, 3, 2, 2), normal(2)],
             {"strides": 2, "padding": "same", "output_padding": (1, 0)}),
            ([normal(1, 4, 4, 2), normal(3, 2, 2, 2), normal(2)],
             {"dilation_rate": (2, 1), "padding": "same"}),
            ([normal(2, 5, 3), normal(4, 2, 3), normal(2)], {"strides": 3}),
            ([normal(2, 5, 2), normal(3, 2, 2), None],
             {"strides": 2, "padding": "valid", "output_padding": 1})]


@register_op(_examples)
class ConvTranspose(Op):
    """z = crop(col2im(x @ K)) + b;  dx = im2col(dz) @ K.T,  dK = x.T @ im2col(dz).

    Inputs: x (N, [H,] W, C), kernel (KH, [KW,] F, C) as Keras stores it, bias (F,) or None.
    """

    label = "conv_transpose"

    def __init__(self, strides=1, padding="valid", output_padding=None, dilation_rate=1):
        self.strides, self.padding = strides, padding
        self.output_padding, self.dilation_rate = output_padding, dilation_rate

    def forward(self, x, kernel, bias=None):
        rank = kernel.ndim - 2
        if x.ndim != rank + 2:
            raise ValueError(f"A {rank}-D transposed convolution expects inputs of rank "
                             f"{rank + 2}; received x.shape={x.shape}")
        self.rank, self.x_shape, self.kernel_shape = rank, x.shape, kernel.shape
        if rank == 1:
            x, kernel = x[:, None], kernel[None]
        extra = (None,) * rank if self.output_padding is None else \
            as_tuple(self.output_padding, rank, "output_padding")
        strides = as_tuple(self.strides, rank, "strides")
        dilation = as_tuple(self.dilation_rate, rank, "dilation_rate")
        geometry = [transpose_geometry(n, k, s, d, self.padding, e) for n, k, s, d, e in
                    zip(x.shape[3 - rank:3], kernel.shape[2 - rank:2], strides, dilation, extra)]
        self.stride2d, self.dilation2d = (1,) * (2 - rank) + strides, (1,) * (2 - rank) + dilation
        self.out_size = (1,) * (2 - rank) + tuple(length for length, _ in geometry)
        self.crop = (0,) * (2 - rank) + tuple(start for _, start in geometry)
        kh, kw, filters, channels = kernel.shape
        self.kernel_size = (kh, kw)
        # Room for every scattered window and for the whole cropped output.
        self.full_size = tuple(max((n - 1) * s + (k - 1) * d + 1, c + o) for n, k, s, d, c, o in
                               zip(x.shape[1:3], (kh, kw), self.stride2d, self.dilation2d,
                                   self.crop, self.out_size))
        self.x2d = x.reshape(-1, channels)
        self.K = kernel.transpose(3, 0, 1, 2).reshape(channels, kh * kw * filters)
        windows = (self.x2d @ self.K).reshape(x.shape[:3] + (kh, kw, filters))
        full = col2im(windows, (x.shape[0],) + self.full_size + (filters,), self.stride2d,
                      self.dilation2d)
        (top, left), (oh, ow) = self.crop, self.out_size
        z = full[:, top:top + oh, left:left + ow]
        z = z + bias if bias is not None else np.ascontiguousarray(z)
        self.has_bias = bias is not None
        return z if rank == 2 else z[:, 0]

    def backward(self, grad):
        needs = tuple(self.needs_input_grad) + (False,) * 3
        if self.rank == 1:
            grad = grad[:, None]
        n, filters = grad.shape[0], grad.shape[-1]
        (top, left), (oh, ow) = self.crop, self.out_size
        full = np.zeros((n,) + self.full_size + (filters,), dtype=grad.dtype)
        full[:, top:top + oh, left:left + ow] = grad
        # The windows every input pixel wrote to, read back: a convolution of dz.
        height, width = (self.x_shape[1], self.x_shape[2]) if self.rank == 2 else \
            (1, self.x_shape[1])
        col = _im2col_sized(full, self.kernel_size, self.stride2d, self.dilation2d,
                            (height, width))
        dx = (col @ self.K.T).reshape(self.x_shape) if needs[0] else None
        d_kernel = None
        if needs[1]:
            kh, kw = self.kernel_size
            dK = (self.x2d.T @ col).reshape(-1, kh, kw, filters).transpose(1, 2, 3, 0)
            d_kernel = np.ascontiguousarray(dK).reshape(self.kernel_shape)
        d_bias = grad.sum(axis=(0, 1, 2)) if needs[2] and self.has_bias else None
        return dx, d_kernel, d_bias


def _im2col_sized(image, kernel_size, strides, dilation, out_size) -> np.ndarray:
    """im2col over only the first ``out_size`` window positions of ``image``."""
    (kh, kw), (sh, sw), (dh, dw) = kernel_size, strides, dilation
    rows = (out_size[0] - 1) * sh + (kh - 1) * dh + 1
    cols = (out_size[1] - 1) * sw + (kw - 1) * dw + 1
    return im2col(image[:, :rows, :cols], kernel_size, strides, dilation)


def conv_transpose(x, kernel, bias=None, strides=1, padding: str = "valid",
                   output_padding=None, dilation_rate=1):
    """Transposed convolution of channels_last ``x``; see :class:`ConvTranspose`."""
    return ConvTranspose(strides, padding, output_padding, dilation_rate)(x, kernel, bias)
