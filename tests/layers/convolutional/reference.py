"""PyTorch formulations of the convolution, pooling, normalization and spatial ops.

Each function takes the op's inputs as torch tensors (channels_last, as glassnet) and the
op's constructor keyword arguments by name, and returns what the op should return.  The
'same' padding is TensorFlow's rule (total = max((ceil(n / s) - 1) * s + span - n, 0),
the odd pixel after), written here from that rule rather than taken from glassnet.

``CONV_REFERENCES`` maps op labels to these functions, in the form of
``tests/ops/torch_reference.py``'s ``REFERENCES``.

Example:
    >>> conv(torch.ones(1, 4, 4, 1, dtype=torch.float64),
    ...      torch.ones(3, 3, 1, 2, dtype=torch.float64)).shape
    torch.Size([1, 2, 2, 2])
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def _tuple(value, rank: int) -> tuple:
    return (int(value),) * rank if isinstance(value, int) else tuple(int(v) for v in value)


def tf_padding(length: int, kernel: int, stride: int, dilation: int, padding: str) -> tuple:
    """(before, after) zeros for 'valid', 'same' (TensorFlow's rule) or 'causal'."""
    span = dilation * (kernel - 1) + 1
    if padding == "valid":
        return 0, 0
    if padding == "causal":
        return span - 1, 0
    total = max((math.ceil(length / stride) - 1) * stride + span - length, 0)
    return total // 2, total - total // 2


def _pad_spatial(x_cf: torch.Tensor, pads, value=0.0) -> torch.Tensor:
    """Pad the spatial axes of a channels_first tensor with (before, after) pairs."""
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]
    return F.pad(x_cf, flat, value=value)


def _channels_first(x):
    return x.movedim(-1, 1)


def _channels_last(x):
    return x.movedim(1, -1)


def conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1,
         activation=None, chunk_rows=None):
    rank = kernel.ndim - 2
    strides, dilation = _tuple(strides, rank), _tuple(dilation_rate, rank)
    pads = [tf_padding(n, k, s, d, padding) for n, k, s, d in
            zip(x.shape[1:-1], kernel.shape[:rank], strides, dilation)]
    weight = kernel.permute(rank + 1, rank, *range(rank))  # (F, C / groups, *kernel_size)
    function = F.conv1d if rank == 1 else F.conv2d
    y = function(_pad_spatial(_channels_first(x), pads), weight, bias, stride=strides,
                 dilation=dilation, groups=groups)
    y = _channels_last(y)
    return torch.relu(y) if activation == "relu" else y


def conv_transpose_length(length, kernel, stride, dilation, padding, output_padding):
    """Keras's output length of a transposed convolution (TensorFlow's rule)."""
    span = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(stride - span, 0) if output_padding is None else output_padding
        return (length - 1) * stride + span + extra
    if output_padding is None:
        return length * stride
    return (length - 1) * stride + span % 2 + output_padding


def conv_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None,
                   dilation_rate=1):
    """Transposed convolution, cropped as JAX / Keras do: the full scatter result
    (length - 1) * stride + span, from which 'same' removes the padding's left part (and
    zeros added on the right when output_padding asks for more)."""
    rank = kernel.ndim - 2
    strides, dilation = _tuple(strides, rank), _tuple(dilation_rate, rank)
    extra = (None,) * rank if output_padding is None else _tuple(output_padding, rank)
    weight = kernel.permute(rank + 1, rank, *range(rank))  # (C, F, *kernel_size)
    function = F.conv_transpose1d if rank == 1 else F.conv_transpose2d
    y = function(_channels_first(x), weight, stride=strides, dilation=dilation)
    for axis in range(rank):
        length, k, s, d = x.shape[1 + axis], kernel.shape[axis], strides[axis], dilation[axis]
        span = (k - 1) * d + 1
        if padding == "valid":
            start = 0
        else:
            total = s + span - 2 if extra[axis] is None else span + span % 2 - 2 + extra[axis]
            start = span - 1 - min(total // 2 + total % 2, span - 1)
        out = conv_transpose_length(length, k, s, d, padding, extra[axis])
        dim = 2 + axis
        if start + out > y.shape[dim]:
            widths = [0, 0] * (y.ndim - dim - 1) + [0, start + out - y.shape[dim]]
            y = F.pad(y, widths)
        y = y.narrow(dim, start, out)
    y = _channels_last(y)
    return y if bias is None else y + bias  # after the crop, as Keras adds it


def depthwise_conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    rank = kernel.ndim - 2
    channels, multiplier = kernel.shape[-2:]
    grouped = kernel.reshape(tuple(kernel.shape[:rank]) + (1, channels * multiplier))
    return conv(x, grouped, bias, strides, padding, dilation_rate, groups=channels)


def _pool_setup(x, pool_size, strides, padding):
    rank = x.ndim - 2
    size = _tuple(pool_size, rank)
    strides = size if strides is None else _tuple(strides, rank)
    pads = [tf_padding(n, k, s, 1, padding) for n, k, s in zip(x.shape[1:-1], size, strides)]
    return rank, size, strides, pads


def max_pool(x, pool_size, strides=None, padding="valid"):
    rank, size, strides, pads = _pool_setup(x, pool_size, strides, padding)
    function = F.max_pool1d if rank == 1 else F.max_pool2d
    padded = _pad_spatial(_channels_first(x), pads, value=-math.inf)
    return _channels_last(function(padded, size, strides))


def average_pool(x, pool_size, strides=None, padding="valid"):
    """Window sums divided by the number of real (unpadded) inputs in each window."""
    rank, size, strides, pads = _pool_setup(x, pool_size, strides, padding)
    function = F.avg_pool1d if rank == 1 else F.avg_pool2d
    padded = _pad_spatial(_channels_first(x), pads)
    ones = _pad_spatial(torch.ones_like(_channels_first(x)), pads)
    return _channels_last(function(padded, size, strides) / function(ones, size, strides))


def _feature_view(x, axis):
    axis = axis % x.ndim
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    return tuple(a for a in range(x.ndim) if a != axis), shape


def batch_norm(x, gamma=None, beta=None, axis=-1, epsilon=1e-3):
    axes, shape = _feature_view(x, axis)
    mean = x.mean(dim=axes, keepdim=True)
    variance = x.var(dim=axes, unbiased=False, keepdim=True)
    y = (x - mean) / torch.sqrt(variance + epsilon)
    if gamma is not None:
        y = y * gamma.reshape(shape)
    return y + beta.reshape(shape) if beta is not None else y


def batch_norm_inference(x, mean, variance, gamma=None, beta=None, axis=-1, epsilon=1e-3):
    _, shape = _feature_view(x, axis)
    y = (x - mean.reshape(shape)) / torch.sqrt(variance.reshape(shape) + epsilon)
    if gamma is not None:
        y = y * gamma.reshape(shape)
    return y + beta.reshape(shape) if beta is not None else y


def zero_pad(x, padding):
    return _channels_last(_pad_spatial(_channels_first(x), padding))


def crop(x, cropping):
    for axis, (before, after) in enumerate(cropping, start=1):
        x = x.narrow(axis, before, x.shape[axis] - before - after)
    return x


def upsample_nearest(x, size):
    for axis, factor in enumerate(size, start=1):
        x = torch.repeat_interleave(x, factor, dim=axis)
    return x


def upsample_bilinear(x, size):
    mode = "linear" if x.ndim == 3 else "bilinear"
    y = F.interpolate(_channels_first(x), scale_factor=tuple(size), mode=mode,
                      align_corners=False)
    return _channels_last(y)


CONV_REFERENCES = {
    "conv": conv,
    "conv_transpose": conv_transpose,
    "depthwise_conv": depthwise_conv,
    "max_pool": max_pool,
    "average_pool": average_pool,
    "batch_norm": batch_norm,
    "batch_norm_inference": batch_norm_inference,
    "zero_pad": zero_pad,
    "crop": crop,
    "upsample_nearest": upsample_nearest,
    "upsample_bilinear": upsample_bilinear,
}
