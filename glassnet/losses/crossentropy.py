"""Cross-entropy loss functions, as in ``keras.losses``: binary, binary focal, categorical
and sparse categorical, each returning one value per sample.

When ``from_logits=False`` and ``y_pred`` was just made by a softmax over the last axis
(or by a sigmoid), the loss is computed from the logits before it with one fused op, so
the backward is the familiar (p - y) and saturated outputs still give a gradient; this is
what Keras's TensorFlow backend does with ``_keras_logits``.  Otherwise the probability
form of Keras is used: probabilities clipped to [1e-7, 1 - 1e-7] before the log.

Example:
    >>> probs = glassnet.activations.softmax(Tensor([[2.0, 0.5, -1.0]]))
    >>> sparse_categorical_crossentropy([0], probs).numpy()   # from the logits
    array([0.2413...], dtype=float32)
"""

from __future__ import annotations

import warnings

import numpy as np

from glassnet.core.tensor import Tensor
from glassnet.losses.functions import check_shapes
from glassnet.losses.loss import (squeeze_or_expand_to_same_rank, to_array, to_prediction,
                                  to_target)
from glassnet.ops import loss_extras as extras
from glassnet.ops import losses as fused
from glassnet.ops.activations import Sigmoid, Softmax
from glassnet.ops.elementwise import multiply
from glassnet.ops.shape import transpose


def _producer(y_pred: Tensor, op_type: type):
    """The input of the op of type ``op_type`` that made ``y_pred`` (its logits), or None."""
    node = y_pred.node
    if node is None or type(node.op) is not op_type:
        return None
    if op_type is Softmax and node.op.axis not in (-1, y_pred.data.ndim - 1):
        return None
    return node.inputs[0]


def _to_last_axis(y_pred: Tensor, y_true: np.ndarray, axis: int):
    """Move ``axis`` of both to the end (the fused ops reduce the last axis)."""
    ndim = y_pred.data.ndim
    axis = axis % ndim
    if axis == ndim - 1:
        return y_pred, y_true
    order = tuple(i for i in range(ndim) if i != axis) + (axis,)
    return transpose(y_pred, order), np.transpose(np.broadcast_to(y_true, y_pred.shape), order)


def _check_axis(axis) -> None:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis!r} of type "
                         f"{type(axis)}")


def binary_crossentropy(y_true, y_pred, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """-mean(y log p + (1 - y) log(1 - p)) over ``axis``; labels smoothed towards 0.5."""
    _check_axis(axis)
    y_pred = to_prediction(y_pred)
    y_true = to_target(y_true, y_pred.data.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_shapes("binary_crossentropy", y_true.shape, y_pred.shape)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if not from_logits:
        logits = _producer(y_pred, Sigmoid)
        if logits is not None:
            y_pred, from_logits = logits, True
    y_pred, y_true = _to_last_axis(y_pred, y_true, axis)
    if from_logits:
        return fused.SigmoidBinaryCrossEntropy()(y_pred, y_true)
    return fused.BinaryCrossEntropy()(y_pred, y_true)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing: bool = False,
                              alpha: float = 0.25, gamma: float = 2.0,
                              from_logits: bool = False, label_smoothing: float = 0.0,
                              axis: int = -1) -> Tensor:
    """Binary cross-entropy scaled by (1 - p_t)**gamma, which down-weights easy examples."""
    _check_axis(axis)
    y_pred = to_prediction(y_pred)
    y_true = to_target(y_true, y_pred.data.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_shapes("binary_focal_crossentropy", y_true.shape, y_pred.shape)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = Sigmoid()(y_pred)
    y_pred, y_true = _to_last_axis(y_pred, y_true, axis)
    return extras.BinaryFocalCrossEntropy(gamma, alpha, apply_class_balancing)(y_pred, y_true)


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """-sum(y log p) over ``axis`` for one-hot (or soft) targets ``y_true``."""
    _check_axis(axis)
    y_pred = to_prediction(y_pred)
    y_true = to_target(y_true, y_pred.data.dtype)
    if y_true.shape != y_pred.shape:
        _categorical_shape_error(y_true, y_pred)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be (batch_size, "
            f"num_classes) with num_classes > 1. Received: y_pred.shape={y_pred.shape}. "
            "Consider using 'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning, stacklevel=2)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if not from_logits and axis % y_pred.data.ndim == y_pred.data.ndim - 1:
        logits = _producer(y_pred, Softmax)
        if logits is not None:
            y_pred, from_logits = logits, True
    y_pred, y_true = _to_last_axis(y_pred, y_true, axis)
    if from_logits:
        return fused.SoftmaxCrossEntropy()(y_pred, y_true)
    return fused.CategoricalCrossEntropy()(y_pred, y_true)


def _categorical_shape_error(y_true: np.ndarray, y_pred: Tensor):
    shapes = f"Received: y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}"
    classes = y_pred.shape[-1] if y_pred.data.ndim else 1
    if y_true.shape in (y_pred.shape[:-1], y_pred.shape[:-1] + (1,)) and classes > 1:
        raise ValueError(
            "categorical_crossentropy expects one-hot targets with the same shape as y_pred, "
            "but y_true looks like integer class labels. Use "
            "loss='sparse_categorical_crossentropy', or one-hot encode the labels with "
            f"glassnet.utils.to_categorical(y, {classes}). {shapes}")
    raise ValueError(
        f"categorical_crossentropy expects y_true and y_pred of the same shape. {shapes}")


def _integer_labels(y_true, classes: int, ignore_class) -> np.ndarray:
    """Labels as an integer array, checked to lie in [0, classes) (``ignore_class`` aside)."""
    labels = to_array(y_true)
    kind = labels.dtype.kind
    if kind == "b":
        labels = labels.astype(np.intp)
    elif kind == "f" or kind == "O":
        labels = labels.astype(np.float64, copy=False)
        whole = np.floor(labels)
        if not np.array_equal(whole, labels):
            odd = labels[whole != labels].ravel()[:3]
            raise ValueError(
                "SparseCategoricalCrossentropy expects integer class labels; received "
                f"non-integer values such as {', '.join(repr(float(v)) for v in odd)}. "
                "For one-hot or probability targets use CategoricalCrossentropy.")
        labels = whole.astype(np.intp)
    elif kind not in "iu":
        raise ValueError("SparseCategoricalCrossentropy expects integer class labels; "
                         f"received an array of dtype {labels.dtype}.")
    checked = labels if ignore_class is None else labels[labels != ignore_class]
    if checked.size:
        # One reduction for unsigned labels (the usual uint8 / int64 from datasets differ).
        high = checked.max()
        low = 0 if checked.dtype.kind == "u" else checked.min()
        if low < 0 or high >= classes:
            raise ValueError(
                f"SparseCategoricalCrossentropy expects integer labels in [0, {classes}); "
                f"received labels from {low} to {high}. The predictions have {classes} "
                f"classes (y_pred's last axis): give the model's last layer one unit per class.")
    return labels


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False,
                                    ignore_class: int | None = None, axis: int = -1) -> Tensor:
    """-log p[label] for integer class labels ``y_true`` (shape (N,) or (N, 1))."""
    _check_axis(axis)
    y_pred = to_prediction(y_pred)
    ndim = y_pred.data.ndim
    if ndim == 0:
        raise ValueError(f"Argument `output` must be at least rank 1. Received: "
                         f"y_pred.shape={y_pred.shape}")
    axis = axis % ndim
    shape = y_pred.shape
    labels = to_array(y_true)
    if labels.ndim == ndim and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    expected = shape[:axis] + shape[axis + 1:]
    if labels.shape != expected:
        hint = (" y_true looks one-hot encoded: use CategoricalCrossentropy "
                "(loss='categorical_crossentropy') for one-hot targets."
                if labels.shape == shape else "")
        raise ValueError(
            "SparseCategoricalCrossentropy expects one integer label per sample: y_true must "
            f"have shape {expected} for y_pred of shape {shape}. Received: "
            f"y_true.shape={to_array(y_true).shape}, y_pred.shape={shape}.{hint}")
    labels = _integer_labels(labels, shape[axis], ignore_class)
    valid = None
    if ignore_class is not None:
        valid = labels != ignore_class
        labels = np.where(valid, labels, 0)
    if not from_logits and axis == ndim - 1:
        logits = _producer(y_pred, Softmax)
        if logits is not None:
            y_pred, from_logits = logits, True
    if axis != ndim - 1:
        y_pred = transpose(y_pred, tuple(i for i in range(ndim) if i != axis) + (axis,))
    if from_logits:
        result = fused.SparseSoftmaxCrossEntropy()(y_pred, labels)
    else:
        result = fused.SparseCategoricalCrossEntropy()(y_pred, labels)
    if valid is not None:
        result = multiply(result, valid.astype(result.data.dtype))
        result._keras_mask = valid
    return result


sparse_categorical_crossentropy._integer_labels = True
bce = BCE = binary_crossentropy
