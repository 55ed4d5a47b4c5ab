"""The same computation as each registered glassnet op, written with PyTorch (float64).

``REFERENCES`` maps an op label to a function taking the op's inputs as torch tensors (float
inputs as float64 tensors, integer inputs as int64 tensors, boolean masks as bool tensors,
None as None) and the op's constructor kwargs by name, and returning a tensor or a tuple of
tensors.  A function that
also names an ``op`` parameter receives the glassnet op instance after its forward pass (the
dropout reference reuses its mask).  Formulas follow Keras 3 where Keras defines the op: the
probability forms of the cross-entropies clip with Keras's ``epsilon()`` before the log, the
logit forms use ``torch.nn.functional``.  Convolution and pooling live in
``torch_reference_conv``, the recurrent ops in ``torch_reference_recurrent``, padding,
cropping, upsampling, embedding and batch normalization in ``torch_reference_spatial``; their
entries are merged into ``REFERENCES`` here.

Example:
    >>> REFERENCES["softmax"](torch.zeros(2, 3, dtype=torch.float64), axis=-1)
    tensor([[0.3333, 0.3333, 0.3333], [0.3333, 0.3333, 0.3333]], dtype=torch.float64)
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from tests.layers.attention import torch_attention
from tests.ops import torch_reference_conv, torch_reference_recurrent, torch_reference_spatial

#: keras.config.epsilon() default, used by Keras's clip on probabilities.
KERAS_EPSILON = 1e-7


def _all_axes(x: torch.Tensor, axis) -> tuple:
    if axis is None:
        return tuple(range(x.ndim))
    return tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)


def _torch_key(key):
    """A NumPy indexing key with any index arrays turned into torch tensors."""
    if isinstance(key, tuple):
        return tuple(_torch_key(k) for k in key)
    if isinstance(key, np.ndarray):
        return torch.from_numpy(key.astype(np.int64) if key.dtype.kind in "iu" else key)
    return key


def _classes_second(x: torch.Tensor) -> torch.Tensor:
    """(N, ..., C) -> (N, C, ...) as torch's cross-entropies expect."""
    return x.movedim(-1, 1) if x.ndim > 2 else x


# --- activations (keras.activations) ------------------------------------------------------

def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    # keras.activations.relu: x above the threshold, capped at max_value, minus
    # negative_slope * relu(threshold - x) below it.
    z = x * (x > threshold).to(x.dtype)
    if max_value is not None:
        z = torch.clamp(z, 0.0, max_value)
    if negative_slope != 0.0:
        z = z - negative_slope * torch.relu(threshold - x)
    return z


def gelu(x, approximate=False):
    return F.gelu(x, approximate="tanh" if approximate else "none")


def dropout(x, rate, rng=None, noise_shape=None, *, op):
    # Randomness is glassnet's: take which units it kept, apply inverted-dropout scaling here.
    keep = torch.from_numpy(np.asarray(op.mask) != 0)
    expected_shape = x.shape if noise_shape is None else tuple(
        x.shape[i] if n is None else n for i, n in enumerate(noise_shape))
    assert tuple(keep.shape) == tuple(expected_shape), (
        f"dropout mask has shape {tuple(keep.shape)}, expected {tuple(expected_shape)}")
    return x * keep.to(x.dtype) / (1.0 - rate)


# --- fused losses: one value per sample, the last axis reduced ----------------------------

def softmax_cross_entropy(logits, target):
    classes = logits.shape[-1]
    flat = F.cross_entropy(logits.reshape(-1, classes), target.reshape(-1, classes),
                           reduction="none")
    return flat.reshape(logits.shape[:-1])


def sparse_softmax_cross_entropy(logits, labels):
    return F.cross_entropy(_classes_second(logits), labels, reduction="none")


def categorical_cross_entropy(probs, target):
    q = probs / probs.sum(dim=-1, keepdim=True)
    clipped = torch.clamp(q, KERAS_EPSILON, 1.0 - KERAS_EPSILON)
    return -(target * torch.log(clipped)).sum(dim=-1)


def sparse_categorical_cross_entropy(probs, labels):
    q = probs / probs.sum(dim=-1, keepdim=True)
    clipped = torch.clamp(q, KERAS_EPSILON, 1.0 - KERAS_EPSILON)
    return -torch.log(clipped).gather(-1, labels.unsqueeze(-1)).squeeze(-1)


def sigmoid_binary_cross_entropy(logits, target):
    return F.binary_cross_entropy_with_logits(logits, target, reduction="none").mean(dim=-1)


def binary_cross_entropy_elementwise(probs, target):
    """y log c + (1 - y) log(1 - c) with c = clip(p, eps, 1 - eps): minus Keras's BCE."""
    c = torch.clamp(probs, KERAS_EPSILON, 1.0 - KERAS_EPSILON)
    return target * torch.log(c) + (1.0 - target) * torch.log(1.0 - c)


def binary_cross_entropy(probs, target):
    return (-binary_cross_entropy_elementwise(probs, target)).mean(dim=-1)


def mean_squared_error(pred, target):
    return F.mse_loss(pred, target, reduction="none").mean(dim=-1)


def mean_absolute_error(pred, target):
    return F.l1_loss(pred, target, reduction="none").mean(dim=-1)


def huber(pred, target, delta=1.0):
    return F.huber_loss(pred, target, reduction="none", delta=delta).mean(dim=-1)


def log_cosh(pred, target):
    return torch.log(torch.cosh(pred - target)).mean(dim=-1)


def mean_absolute_percentage_error(pred, target):
    scale = torch.clamp(torch.abs(target), min=KERAS_EPSILON)
    return 100.0 * torch.abs((target - pred) / scale).mean(dim=-1)


def mean_squared_logarithmic_error(pred, target):
    first = torch.log(torch.clamp(pred, min=KERAS_EPSILON) + 1.0)
    second = torch.log(torch.clamp(target, min=KERAS_EPSILON) + 1.0)
    return torch.square(first - second).mean(dim=-1)


def hinge(pred, target):
    # The op takes labels already in {-1, 1}; the 0/1 conversion belongs to the loss class.
    return torch.clamp(1.0 - target * pred, min=0.0).mean(dim=-1)


def squared_hinge(pred, target):
    return torch.square(torch.clamp(1.0 - target * pred, min=0.0)).mean(dim=-1)


def categorical_hinge(pred, target):
    positive = (target * pred).sum(dim=-1)
    negative = torch.amax((1.0 - target) * pred, dim=-1)
    return torch.clamp(negative - positive + 1.0, min=0.0)


def kl_divergence(pred, target):
    t = torch.clamp(target, KERAS_EPSILON, 1.0)
    c = torch.clamp(pred, KERAS_EPSILON, 1.0)
    return (t * torch.log(t / c)).sum(dim=-1)


def poisson(pred, target):
    return (pred - target * torch.log(pred + KERAS_EPSILON)).mean(dim=-1)


def cosine_similarity(pred, target, axis=-1):
    u = F.normalize(pred, p=2.0, dim=axis, eps=KERAS_EPSILON)
    v = F.normalize(target, p=2.0, dim=axis, eps=KERAS_EPSILON)
    return -(u * v).sum(dim=axis)


def binary_focal_cross_entropy(probs, target, gamma=2.0, alpha=0.25,
                               apply_class_balancing=False):
    # keras.losses.binary_focal_crossentropy: clipped BCE times (1 - p_t)**gamma, p_t from
    # the unclipped probabilities, optionally weighted by alpha / (1 - alpha).
    bce = -binary_cross_entropy_elementwise(probs, target)
    p_t = target * probs + (1.0 - target) * (1.0 - probs)
    focal = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (target * alpha + (1.0 - target) * (1.0 - alpha)) * focal
    return focal.mean(dim=-1)


def weighted_sum(values, weights=None, scale=1.0):
    return scale * (values.sum() if weights is None else (values * weights).sum())


# --- reductions and shapes -----------------------------------------------------------------

def reduce_sum(x, axis=None, keepdims=False):
    return torch.sum(x, dim=_all_axes(x, axis), keepdim=keepdims)


def reduce_mean(x, axis=None, keepdims=False):
    return torch.mean(x, dim=_all_axes(x, axis), keepdim=keepdims)


def reduce_max(x, axis=None, keepdims=False):
    return torch.amax(x, dim=_all_axes(x, axis), keepdim=keepdims)


def transpose(x, axes=None):
    return x.permute(tuple(axes) if axes is not None else tuple(reversed(range(x.ndim))))


def weight_penalty(w, l1=0.0, l2=0.0):
    return l1 * torch.abs(w).sum() + l2 * torch.square(w).sum()


REFERENCES = {
    # activations
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": relu,
    "relu6": F.relu6,
    "leaky_relu": lambda x, negative_slope=0.2: F.leaky_relu(x, negative_slope),
    "elu": lambda x, alpha=1.0: F.elu(x, alpha),
    "selu": F.selu,
    "softplus": F.softplus,
    "softsign": F.softsign,
    "swish": F.silu,
    "gelu": gelu,
    "hard_sigmoid": F.hardsigmoid,
    "exponential": torch.exp,
    "softmax": lambda x, axis=-1: torch.softmax(x, dim=axis),
    "log_softmax": lambda x, axis=-1: torch.log_softmax(x, dim=axis),
    # randomness
    "dropout": dropout,
    # losses
    "softmax_cross_entropy": softmax_cross_entropy,
    "sparse_softmax_cross_entropy": sparse_softmax_cross_entropy,
    "categorical_cross_entropy": categorical_cross_entropy,
    "sparse_categorical_cross_entropy": sparse_categorical_cross_entropy,
    "sigmoid_binary_cross_entropy": sigmoid_binary_cross_entropy,
    "binary_cross_entropy": binary_cross_entropy,
    "mean_squared_error": mean_squared_error,
    "mean_absolute_error": mean_absolute_error,
    "huber": huber,
    "log_cosh": log_cosh,
    "mean_absolute_percentage_error": mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error,
    "hinge": hinge,
    "squared_hinge": squared_hinge,
    "categorical_hinge": categorical_hinge,
    "kl_divergence": kl_divergence,
    "poisson": poisson,
    "cosine_similarity": cosine_similarity,
    "binary_focal_cross_entropy": binary_focal_cross_entropy,
    "weighted_sum": weighted_sum,
    "weight_penalty": weight_penalty,
    # linear algebra
    "dense": lambda x, kernel, bias=None: F.linear(x, kernel.T, bias),
    "matmul": torch.matmul,
    # sequences
    "reverse_sequence": lambda x: torch.flip(x, dims=(1,)),
    "repeat_vector": lambda x, n: x.unsqueeze(1).expand(-1, n, -1),
    # elementwise
    "add": torch.add,
    "subtract": torch.subtract,
    "multiply": torch.multiply,
    "divide": torch.divide,
    "negative": torch.negative,
    "power": lambda x, exponent=2.0: torch.pow(x, exponent),
    "square": torch.square,
    "sqrt": torch.sqrt,
    "exp": torch.exp,
    "log": torch.log,
    "abs": torch.abs,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    "clip": lambda x, low, high: torch.clamp(x, low, high),
    # reductions
    "sum": reduce_sum,
    "mean": reduce_mean,
    "max": reduce_max,
    # shapes
    "reshape": lambda x, shape: x.reshape(tuple(shape)),
    "transpose": transpose,
    "get_item": lambda x, key: x[_torch_key(key)],
    "concatenate": lambda *xs, axis=-1: torch.cat(xs, dim=axis),
}

REFERENCES.update(torch_reference_conv.REFERENCES)
REFERENCES.update(torch_reference_recurrent.REFERENCES)
REFERENCES.update(torch_reference_spatial.REFERENCES)
REFERENCES.update(torch_attention.REFERENCES)
