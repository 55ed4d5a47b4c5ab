"""The depthwise convolution op: every input channel convolved with its own
``depth_multiplier`` kernels (1-D or 2-D, channels_last), as in MobileNet-style layers.

Output channel c * M + m is channel c convolved with kernel[..., c, m].  With one
channel per group a GEMM has nothing to gain, so the op walks the KH * KW kernel offsets:
each offset's strided view v (N, OH, OW, C) of the padded input adds v * kernel[i, j]::

    z[..., c, m] = sum_ij v_ij[..., c] * kernel[i, j, c, m] + b
    dkernel[i, j] = sum over pixels of v_ij * dz       dx[offset ij] += sum_m dz * kernel[i, j]

Example:
    >>> x = Tensor(np.ones((2, 5, 5, 3)))
    >>> depthwise_conv(x, Variable(np.ones((3, 3, 3, 2))), None).shape
    (2, 3, 3, 6)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op
from glassnet.ops.conv import as_tuple, resolve_padding
from glassnet.ops.im2col import offset_slices, pad_spatial, windows


def _examples(rng=np.random.default_rng(93)):
    def normal(*shape):
        return rng.standard_normal(shape)

    return [([normal(2, 5, 6, 3), normal(3, 3, 3, 2), normal(6)], {}),
            ([normal(2, 6, 5, 2), normal(2, 2, 2, 1), None], {"strides": 2, "padding": "same"}),
            ([normal(1, 7, 7, 2), normal(3, 2, 2, 3), normal(6)],
             {"dilation_rate": (2, 1), "padding": "same"}),
            ([normal(2, 8, 3), normal(3, 3, 2), normal(6)], {"strides": 3})]


@register_op(_examples)
class DepthwiseConv(Op):
    """z[..., c*M + m] = sum_ij x_window_ij[..., c] * kernel[i, j, c, m] + b;  the gradients
    are the same sums read backwards (see the module docstring).

    Inputs: x (N, [H,] W, C), kernel (KH, [KW,] C, M), bias (C * M,) or None.
    """

    label = "depthwise_conv"

    def __init__(self, strides=1, padding="valid", dilation_rate=1):
        self.strides, self.padding, self.dilation_rate = strides, padding, dilation_rate

    def forward(self, x, kernel, bias=None):
        rank = kernel.ndim - 2
        if x.ndim != rank + 2:
            raise ValueError(f"A {rank}-D depthwise convolution expects inputs of rank "
                             f"{rank + 2}; received x.shape={x.shape}")
        self.rank, self.x_shape, self.kernel_shape = rank, x.shape, kernel.shape
        if rank == 1:
            x, kernel = x[:, None], kernel[None]
        strides = as_tuple(self.strides, rank, "strides")
        dilation = as_tuple(self.dilation_rate, rank, "dilation_rate")
        padding = resolve_padding(self.padding, x.shape[3 - rank:3], kernel.shape[2 - rank:2],
                                  strides, dilation)
        self.stride2d = (1,) * (2 - rank) + strides
        self.dilation2d = (1,) * (2 - rank) + dilation
        self.padding2d = ((0, 0),) * (2 - rank) + padding
        self.x_padded = pad_spatial(x, self.padding2d)
        kh, kw, channels, multiplier = kernel.shape
        view = windows(self.x_padded, (kh, kw), self.stride2d, self.dilation2d)
        self.out_size = view.shape[1:3]
        if min(self.out_size) <= 0:
            raise ValueError(f"The depthwise convolution output would be empty: input "
                             f"{self.x_shape}, kernel {self.kernel_shape}.")
        self.kernel, self.has_bias = kernel, bias is not None
        z = np.zeros(view.shape[:3] + (channels, multiplier), dtype=np.result_type(x, kernel))
        for i in range(kh):
            for j in range(kw):
                z += view[:, :, :, i, j, :, None] * kernel[i, j]
        z = z.reshape(view.shape[:3] + (channels * multiplier,))
        if bias is not None:
            z += bias
        return z if rank == 2 else z[:, 0]

    def backward(self, grad):
        needs = tuple(self.needs_input_grad) + (False,) * 3
        kh, kw, channels, multiplier = self.kernel.shape
        grad = grad[:, None] if self.rank == 1 else grad
        d_bias = grad.sum(axis=(0, 1, 2)) if needs[2] and self.has_bias else None
        grad5 = grad.reshape(grad.shape[:3] + (channels, multiplier))
        view = windows(self.x_padded, (kh, kw), self.stride2d, self.dilation2d)
        d_kernel = np.empty(self.kernel.shape, dtype=grad.dtype) if needs[1] else None
        d_padded = np.zeros(self.x_padded.shape, dtype=grad.dtype) if needs[0] else None
        slices = offset_slices((kh, kw), self.stride2d, self.dilation2d, self.out_size)
        for k, (rows, cols) in enumerate(slices):
            i, j = divmod(k, kw)
            if needs[1]:
                d_kernel[i, j] = np.einsum("nhwc,nhwcm->cm", view[:, :, :, i, j], grad5)
            if needs[0]:
                d_padded[:, rows, cols] += np.einsum("nhwcm,cm->nhwc", grad5, self.kernel[i, j])
        dx = None
        if needs[0]:
            (top, bottom), (left, right) = self.padding2d
            dx = d_padded[:, top:d_padded.shape[1] - bottom, left:d_padded.shape[2] - right]
            dx = np.ascontiguousarray(dx).reshape(self.x_shape)
        if d_kernel is not None:
            d_kernel = d_kernel.reshape(self.kernel_shape)
        return dx, d_kernel, d_bias


def depthwise_conv(x, kernel, bias=None, strides=1, padding: str = "valid", dilation_rate=1):
    """Depthwise convolution of channels_last ``x``; see :class:`DepthwiseConv`."""
    return DepthwiseConv(strides, padding, dilation_rate)(x, kernel, bias)
