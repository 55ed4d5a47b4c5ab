"""The Loss base class and the batch reduction with sample weights, as in ``keras.losses``.

A loss object is called as ``loss(y_true, y_pred, sample_weight=None)`` and returns a
scalar Tensor recorded on ``y_pred``'s graph, so ``glassnet.grad(loss, weights)`` works.
``call(y_true, y_pred)`` gives the per-sample values; ``reduction`` says how they become
one number:

=======================  ===================================================
'sum_over_batch_size'     sum(values * weights) / number of values (default)
'mean'                    the same
'mean_with_sample_weight' sum(values * weights) / sum(weights)
'sum'                     sum(values * weights)
'none' or None            values * weights, unreduced
=======================  ===================================================

Example:
    >>> class MeanSquared(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return glassnet.ops.mean(glassnet.ops.square(y_pred - y_true), axis=-1)
    >>> float(MeanSquared()(np.zeros((2, 1)), np.ones((2, 1))))
    1.0
"""

from __future__ import annotations

import numpy as np

from glassnet import backend
from glassnet.core.tensor import Tensor
from glassnet.ops.elementwise import multiply
from glassnet.ops.loss_extras import WeightedSum
from glassnet.ops.shape import reshape
from glassnet.utils.naming import to_snake_case, unique_name

REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def standardize_reduction(reduction):
    """Check ``reduction`` against the names Keras accepts and return it unchanged."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            "Invalid value for argument `reduction`. Expected one of "
            f"{{'sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none', None}}. "
            f"Received: reduction={reduction!r}")
    return reduction


def float_dtype(dtype=None) -> np.dtype:
    """The compute dtype of a loss or metric: ``dtype`` or floatx ('float32')."""
    if dtype is None:
        return np.dtype(backend.floatx())
    if hasattr(dtype, "compute_dtype"):  # a dtype policy object
        dtype = dtype.compute_dtype
    return np.dtype(dtype)


def to_array(value) -> np.ndarray:
    """A NumPy array from a Tensor, pandas object, list or array (no copy when possible)."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, Tensor):
        return value.data
    if hasattr(value, "to_numpy"):
        return value.to_numpy()
    return np.asarray(value)


def to_prediction(y_pred, dtype=None) -> Tensor:
    """``y_pred`` as a Tensor; arrays are cast to the float ``dtype`` (a Tensor keeps its graph)."""
    if isinstance(y_pred, Tensor):
        if y_pred.data.dtype.kind == "f":
            return y_pred
        return Tensor(y_pred.data.astype(float_dtype(dtype)))
    return Tensor(to_array(y_pred).astype(float_dtype(dtype), copy=False))


def to_target(y_true, dtype) -> np.ndarray:
    """``y_true`` as an array of ``dtype`` (labels never carry gradients)."""
    array = to_array(y_true)
    if array.dtype != dtype:
        if array.dtype == object:
            array = array.astype(np.float64)
        array = array.astype(dtype)
    return array


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """Make ranks equal when they differ by one trailing axis of size 1 (Keras's rule).

    The rank-1 side is expanded to (N, 1) when ``expand_rank_1``; otherwise the side
    with the extra size-1 axis is squeezed.  Works on arrays and Tensors alike.
    """
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = _reshape(x2, tuple(x2.shape) + (1,))
        else:
            x1 = _reshape(x1, tuple(x1.shape[:-1]))
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = _reshape(x1, tuple(x1.shape) + (1,))
        else:
            x2 = _reshape(x2, tuple(x2.shape[:-1]))
    return x1, x2


def _reshape(x, shape):
    return reshape(x, shape) if isinstance(x, Tensor) else np.reshape(x, shape)


def _weights_for(values_shape: tuple, weights: np.ndarray) -> np.ndarray:
    """Reshape sample weights so ``values * weights`` equals Keras's squeeze/expand product."""
    rv, rw = len(values_shape), weights.ndim
    if rv == rw + 1 and values_shape[-1] == 1:
        weights = weights[..., None]
    elif rw == rv + 1 and weights.shape[-1] == 1:
        weights = weights[..., 0]
    return weights


def apply_mask(sample_weight, mask, dtype, reduction):
    """Fold a boolean mask into the sample weights (averaging over valid entries only)."""
    if mask is None:
        return sample_weight
    mask = to_array(mask)
    if reduction in ("mean", "sum_over_batch_size"):
        valid = np.count_nonzero(mask)
        scale = mask.size / valid if valid else 0.0
        float_mask = np.where(mask.astype(bool), scale, 0.0).astype(dtype)
    else:
        float_mask = mask.astype(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weight the per-sample ``values`` and reduce them as ``reduction`` says."""
    if not isinstance(values, Tensor):
        values = Tensor(to_array(values).astype(float_dtype(dtype), copy=False))
    if sample_weight is None and mask is None and reduction in (
            "sum_over_batch_size", "mean", "mean_with_sample_weight") and values.data.ndim:
        # The per-step case: a plain mean over the batch, one op.
        size = values.data.size
        return WeightedSum(1.0 / size)(values, None) if size else values
    dtype = values.data.dtype
    if sample_weight is not None:
        sample_weight = to_target(sample_weight, dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype, reduction)
    shape = values.data.shape
    raw_weight = sample_weight
    if sample_weight is not None:
        sample_weight = _weights_for(shape, sample_weight)
        try:
            weighted_shape = np.broadcast_shapes(shape, sample_weight.shape)
        except ValueError:
            raise ValueError(
                "sample_weight does not match the per-sample losses: it must have shape "
                f"(batch_size,) or broadcast to the loss values. Received: "
                f"sample_weight.shape={sample_weight.shape}, losses.shape={shape}") from None
    else:
        weighted_shape = shape
    if reduction is None or reduction == "none" or weighted_shape in ((), (0,)):
        if sample_weight is None:
            return values
        # Unreduced values take Keras's shape: (N,) values with (N, 1) weights are (N, 1).
        values, raw_weight = squeeze_or_expand_to_same_rank(values, raw_weight)
        return multiply(values, raw_weight)
    if reduction == "sum":
        return WeightedSum(1.0)(values, sample_weight)
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = float(np.sum(sample_weight, dtype=np.float64))
    else:
        divisor = float(np.prod(weighted_shape))
    # divide_no_nan: an all-zero weight vector gives a loss of 0, not NaN.
    return WeightedSum(1.0 / divisor if divisor else 0.0)(values, sample_weight)


class Loss:
    """Base class of losses; subclasses implement ``call(y_true, y_pred)``.

    Args:
        name: the loss's name (default: the class name in snake case).
        reduction: how per-sample values become one number (see the module docstring).
        dtype: the computation dtype for array inputs (default floatx, 'float32').

    Example:
        >>> loss = MeanSquaredError()
        >>> loss([[0.0], [1.0]], [[1.0], [1.0]])
        Tensor(0.5, op=leaf)
    """

    _integer_labels = False

    def __init__(self, name: str | None = None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = float_dtype(dtype)

    @property
    def dtype(self) -> str:
        return self._dtype.name

    def __call__(self, y_true, y_pred, sample_weight=None) -> Tensor:
        in_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = to_prediction(y_pred, self._dtype)
        # Integer class labels stay integers (Keras casts them to float and back).
        y_true = to_array(y_true) if self._integer_labels else to_target(y_true, self._dtype)
        losses = self.call(y_true, y_pred)
        out_mask = getattr(losses, "_keras_mask", None)
        if in_mask is not None and out_mask is not None:
            mask = to_array(in_mask).astype(bool) & to_array(out_mask).astype(bool)
        else:
            mask = in_mask if out_mask is None else out_mask
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred).")

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


class LossFunctionWrapper(Loss):
    """A Loss from a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    Example:
        >>> loss = LossFunctionWrapper(mean_absolute_error, name="mae")
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name: str | None = None,
                 dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs
        self._integer_labels = getattr(fn, "_integer_labels", False)

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        from glassnet.losses import serialize
        config = super().get_config()
        config["fn"] = serialize(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if "fn" in config:
            from glassnet.losses import deserialize
            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({getattr(self.fn, '__name__', self.fn)}, " \
               f"kwargs={self._fn_kwargs})>"
