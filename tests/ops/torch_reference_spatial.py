"""PyTorch references for the weightless channels_last image ops and the embedding lookup,
and for batch normalization (float64).

Example:
    >>> upsample_nearest(torch.ones(1, 2, 2, 1, dtype=torch.float64), size=(2, 3)).shape
    torch.Size([1, 4, 6, 1])
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def _channels_first(x):
    return x.movedim(-1, 1)


def _channels_last(x):
    return x.movedim(1, -1)


def zero_pad(x, padding):
    flat = [int(v) for pair in reversed(padding) for v in pair]
    return _channels_last(F.pad(_channels_first(x), flat))


def crop(x, cropping):
    key = (slice(None),) + tuple(slice(a, n - b) for n, (a, b) in zip(x.shape[1:-1], cropping))
    return x[key]


def _upsample(x, size, mode):
    # Integer factors: torch's half-pixel sampling (align_corners=False) is Keras's.
    scaled = F.interpolate(_channels_first(x), scale_factor=tuple(float(f) for f in size),
                           mode=mode, **({} if mode == "nearest" else {"align_corners": False}))
    return _channels_last(scaled)


def upsample_nearest(x, size):
    return _upsample(x, size, "nearest")


def upsample_bilinear(x, size):
    return _upsample(x, size, "linear" if x.ndim == 3 else "bilinear")


def embedding(table, indices):
    return F.embedding(indices, table)


def _feature_first(x, axis):
    """x with the feature ``axis`` moved to 1, where F.batch_norm expects it."""
    return x.movedim(axis % x.ndim, 1)


def batch_norm(x, gamma=None, beta=None, axis=-1, epsilon=1e-3, *, op):
    # Keras's BatchNormalization in training: the batch's mean and biased variance.
    moved = _feature_first(x, axis)
    y = F.batch_norm(moved, None, None, gamma, beta, training=True, eps=epsilon)
    reduce = tuple(a for a in range(moved.ndim) if a != 1)
    mean = moved.mean(dim=reduce)
    variance = moved.var(dim=reduce, unbiased=False)
    # The layer updates its moving statistics from these.
    np.testing.assert_allclose(op.mean, mean.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(op.variance, variance.detach().numpy(), rtol=1e-12)
    return y.movedim(1, axis % x.ndim)


def batch_norm_inference(x, mean, variance, gamma=None, beta=None, axis=-1, epsilon=1e-3):
    # keras.ops.batch_normalization: (x - mean) * scale / sqrt(variance + epsilon) + offset.
    shape = [1] * x.ndim
    shape[axis % x.ndim] = x.shape[axis]
    y = (x - mean.reshape(shape)) / torch.sqrt(variance.reshape(shape) + epsilon)
    if gamma is not None:
        y = y * gamma.reshape(shape)
    if beta is not None:
        y = y + beta.reshape(shape)
    return y


REFERENCES = {
    "zero_pad": zero_pad, "crop": crop, "upsample_nearest": upsample_nearest,
    "upsample_bilinear": upsample_bilinear, "embedding": embedding, "batch_norm": batch_norm,
    "batch_norm_inference": batch_norm_inference,
}
