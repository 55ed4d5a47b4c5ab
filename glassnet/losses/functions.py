"""Per-sample loss functions for regression, hinge and distribution targets, as in
``keras.losses``: each takes ``(y_true, y_pred)`` and returns one value per sample (the
last axis is reduced), recorded on ``y_pred``'s graph when it is a Tensor.

Example:
    >>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy()
    array([0.5], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.tensor import Tensor
from glassnet.losses.loss import squeeze_or_expand_to_same_rank, to_prediction, to_target
from glassnet.ops import loss_extras as extras
from glassnet.ops import losses as fused


def prepare(name: str, y_true, y_pred, squeeze: bool = True):
    """(y_true array, y_pred Tensor) of one float dtype, ranks aligned and shapes checked."""
    y_pred = to_prediction(y_pred)
    y_true = to_target(y_true, y_pred.data.dtype)
    if squeeze:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_shapes(name, y_true.shape, y_pred.shape)
    return y_true, y_pred


def check_shapes(name: str, true_shape: tuple, pred_shape: tuple) -> None:
    """y_true must have y_pred's shape, or one that broadcasts to it."""
    if true_shape == pred_shape:
        return
    try:
        if np.broadcast_shapes(true_shape, pred_shape) == tuple(pred_shape):
            return
    except ValueError:
        pass
    raise ValueError(
        f"{name}: y_true and y_pred must have the same shape. Received: "
        f"y_true.shape={tuple(true_shape)}, y_pred.shape={tuple(pred_shape)}")


def mean_squared_error(y_true, y_pred) -> Tensor:
    """mean((y_true - y_pred)**2) over the last axis."""
    y_true, y_pred = prepare("mean_squared_error", y_true, y_pred)
    return fused.MeanSquaredError()(y_pred, y_true)


def mean_absolute_error(y_true, y_pred) -> Tensor:
    """mean(|y_true - y_pred|) over the last axis."""
    y_true, y_pred = prepare("mean_absolute_error", y_true, y_pred)
    return fused.MeanAbsoluteError()(y_pred, y_true)


def mean_absolute_percentage_error(y_true, y_pred) -> Tensor:
    """100 * mean(|y_true - y_pred| / max(|y_true|, epsilon)) over the last axis."""
    y_true, y_pred = prepare("mean_absolute_percentage_error", y_true, y_pred)
    return extras.MeanAbsolutePercentageError()(y_pred, y_true)


def mean_squared_logarithmic_error(y_true, y_pred) -> Tensor:
    """mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))**2) over the last axis."""
    y_true, y_pred = prepare("mean_squared_logarithmic_error", y_true, y_pred)
    return extras.MeanSquaredLogarithmicError()(y_pred, y_true)


def huber(y_true, y_pred, delta: float = 1.0) -> Tensor:
    """Quadratic for errors up to ``delta``, linear beyond; mean over the last axis."""
    y_true, y_pred = prepare("huber", y_true, y_pred)
    return extras.Huber(delta)(y_pred, y_true)


def log_cosh(y_true, y_pred) -> Tensor:
    """mean(log(cosh(y_pred - y_true))) over the last axis."""
    y_true, y_pred = prepare("log_cosh", y_true, y_pred)
    return extras.LogCosh()(y_pred, y_true)


def _hinge_labels(y_true: np.ndarray) -> np.ndarray:
    """Binary 0/1 labels become -1/1, as Keras does for the hinge losses."""
    if np.all((y_true == 0) | (y_true == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true, y_pred) -> Tensor:
    """mean(max(1 - y_true * y_pred, 0)); 0/1 labels are taken as -1/1."""
    y_true, y_pred = prepare("hinge", y_true, y_pred, squeeze=False)
    return extras.Hinge()(y_pred, _hinge_labels(y_true).astype(y_pred.dtype, copy=False))


def squared_hinge(y_true, y_pred) -> Tensor:
    """mean(max(1 - y_true * y_pred, 0)**2); 0/1 labels are taken as -1/1."""
    y_true, y_pred = prepare("squared_hinge", y_true, y_pred, squeeze=False)
    return extras.SquaredHinge()(y_pred, _hinge_labels(y_true).astype(y_pred.dtype, copy=False))


def categorical_hinge(y_true, y_pred) -> Tensor:
    """max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0) for one-hot y_true."""
    y_true, y_pred = prepare("categorical_hinge", y_true, y_pred, squeeze=False)
    return extras.CategoricalHinge()(y_pred, y_true)


def kl_divergence(y_true, y_pred) -> Tensor:
    """sum(y_true * log(y_true / y_pred)), both clipped to [epsilon, 1]."""
    y_true, y_pred = prepare("kl_divergence", y_true, y_pred, squeeze=False)
    return extras.KLDivergence()(y_pred, y_true)


def poisson(y_true, y_pred) -> Tensor:
    """mean(y_pred - y_true * log(y_pred + epsilon)) over the last axis."""
    y_true, y_pred = prepare("poisson", y_true, y_pred, squeeze=False)
    return extras.Poisson()(y_pred, y_true)


def cosine_similarity(y_true, y_pred, axis: int = -1) -> Tensor:
    """-sum(l2_normalize(y_true) * l2_normalize(y_pred)) along ``axis`` (-1 is best)."""
    y_true, y_pred = prepare("cosine_similarity", y_true, y_pred)
    return extras.CosineSimilarity(axis)(y_pred, np.broadcast_to(y_true, y_pred.shape))


# Keras's short spellings.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
