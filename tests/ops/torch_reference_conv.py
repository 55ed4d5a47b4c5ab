"""PyTorch references for the channels_last convolutions and pooling ops (float64).

The padding follows Keras: 'valid' none, 'causal' all of it before, and 'same' enough for
ceil(n / stride) outputs with the odd pixel after.  Average pooling divides by the number of
real (unpadded) inputs in each window, as Keras on TensorFlow does.

Example:
    >>> conv(torch.ones(1, 5, 5, 1, dtype=torch.float64),
    ...      torch.ones(3, 3, 1, 1, dtype=torch.float64), padding="same")[0, 0, 0, 0]
    tensor(4., dtype=torch.float64)
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def _per_axis(value, rank: int) -> tuple:
    return (int(value),) * rank if isinstance(value, (int, np.integer)) else tuple(value)


def _padding(padding, sizes, window, strides, dilation) -> list:
    """(before, after) zero padding per spatial axis, by Keras's rules."""
    if not isinstance(padding, str):
        return [tuple(pair) for pair in padding]
    pads = []
    for n, k, s, d in zip(sizes, window, strides, dilation):
        span = (k - 1) * d + 1
        if padding == "valid":
            pads.append((0, 0))
        elif padding == "causal":
            pads.append((span - 1, 0))
        else:  # 'same': ceil(n / s) outputs, the odd pixel of padding after
            total = max((-(-n // s) - 1) * s + span - n, 0)
            pads.append((total // 2, total - total // 2))
    return pads


def _channels_first_padded(x, pads, value=0.0):
    """(N, *spatial, C) -> (N, C, *spatial) with ``pads`` applied."""
    return F.pad(x.movedim(-1, 1), [v for pair in reversed(pads) for v in pair], value=value)


def conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1,
         activation=None, chunk_rows=None):
    # x (N, *spatial, C), kernel (*window, C / groups, F); chunk_rows only splits the work.
    rank = kernel.ndim - 2
    strides, dilation = _per_axis(strides, rank), _per_axis(dilation_rate, rank)
    pads = _padding(padding, x.shape[1:1 + rank], kernel.shape[:rank], strides, dilation)
    weight = kernel.permute(rank + 1, rank, *range(rank))
    convolve = F.conv1d if rank == 1 else F.conv2d
    z = convolve(_channels_first_padded(x, pads), weight, bias, stride=strides,
                 dilation=dilation, groups=groups)
    if activation == "relu":
        z = torch.relu(z)
    return z.movedim(1, -1)


def depthwise_conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    # kernel (*window, C, M): output channel c * M + m is channel c through kernel[..., c, m],
    # which is a grouped convolution with one group per input channel.
    *window, channels, multiplier = kernel.shape
    grouped = kernel.reshape(*window, 1, channels * multiplier)
    return conv(x, grouped, bias, strides, padding, dilation_rate, groups=channels)


def _transpose_padding(span: int, stride: int, padding: str, output_padding) -> tuple:
    """(before, after) padding of the stride-dilated input, as Keras on JAX/TensorFlow."""
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return span - 1, span - 1 + extra
    total = stride + span - 2 if output_padding is None else \
        span + span % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, span - 1)
    return before, total - before


def conv_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None,
                   dilation_rate=1):
    # kernel (*window, F, C).  torch's full transposed convolution equals padding the
    # stride-dilated input by span - 1 on both sides; the Keras padding then crops (or
    # extends with zeros) that full result at each end.
    rank = kernel.ndim - 2
    strides, dilation = _per_axis(strides, rank), _per_axis(dilation_rate, rank)
    extra = (None,) * rank if output_padding is None else _per_axis(output_padding, rank)
    weight = kernel.permute(rank + 1, rank, *range(rank))
    transpose = F.conv_transpose1d if rank == 1 else F.conv_transpose2d
    full = transpose(x.movedim(-1, 1), weight, None, stride=strides, dilation=dilation)
    ends = []
    for k, s, d, e in zip(kernel.shape[:rank], strides, dilation, extra):
        span = (k - 1) * d + 1
        before, after = _transpose_padding(span, s, padding, e)
        ends.append((before - (span - 1), after - (span - 1)))
    z = F.pad(full, [v for pair in reversed(ends) for v in pair]).movedim(1, -1)
    return z if bias is None else z + bias


def _pool_geometry(x, pool_size, strides, padding):
    rank = x.ndim - 2
    window = _per_axis(pool_size, rank)
    strides = window if strides is None else _per_axis(strides, rank)
    pads = _padding(padding, x.shape[1:1 + rank], window, strides, (1,) * rank)
    return rank, window, strides, pads


def max_pool(x, pool_size, strides=None, padding="valid"):
    rank, window, strides, pads = _pool_geometry(x, pool_size, strides, padding)
    pool = F.max_pool1d if rank == 1 else F.max_pool2d
    padded = _channels_first_padded(x, pads, value=-torch.inf)
    return pool(padded, window, strides).movedim(1, -1)


def average_pool(x, pool_size, strides=None, padding="valid"):
    rank, window, strides, pads = _pool_geometry(x, pool_size, strides, padding)
    pool = F.avg_pool1d if rank == 1 else F.avg_pool2d
    real = torch.ones_like(x[:1, ..., :1])
    sums = pool(_channels_first_padded(x, pads), window, strides)
    counts = pool(_channels_first_padded(real, pads), window, strides)
    return (sums / counts).movedim(1, -1)


REFERENCES = {"conv": conv, "depthwise_conv": depthwise_conv, "conv_transpose": conv_transpose,
              "max_pool": max_pool, "average_pool": average_pool}
