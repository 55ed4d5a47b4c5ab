"""Accuracy metrics, as in ``keras.metrics``: per-sample match functions and the running
means over them.

Example:
    >>> m = SparseCategoricalAccuracy()
    >>> m.update_state([2, 1], [[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    >>> float(m.result())
    0.5
"""

from __future__ import annotations

import numpy as np

from glassnet import backend
from glassnet.core.tensor import Tensor
from glassnet.losses.loss import squeeze_or_expand_to_same_rank, to_array
from glassnet.metrics.reduction import MeanMetricWrapper


def _array(x) -> np.ndarray:
    return x.data if isinstance(x, Tensor) else to_array(x)


def _float_pred(y_pred) -> np.ndarray:
    y_pred = _array(y_pred)
    return y_pred if y_pred.dtype.kind == "f" else y_pred.astype(backend.floatx())


def _as_float(matches: np.ndarray) -> np.ndarray:
    return matches.astype(backend.floatx())


def accuracy(y_true, y_pred) -> np.ndarray:
    """1.0 where y_true equals y_pred exactly, else 0.0."""
    y_pred = _float_pred(y_pred)
    y_true = _array(y_true).astype(y_pred.dtype, copy=False)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _as_float(y_true == y_pred)


def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> np.ndarray:
    """1.0 where (y_pred > threshold) equals the 0/1 label, else 0.0."""
    y_pred, y_true = _array(y_pred), _array(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _as_float(y_true == (y_pred > threshold).astype(y_true.dtype))


def categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """1.0 where argmax(y_pred) is the argmax of the one-hot y_true, else 0.0."""
    y_true = np.argmax(_array(y_true), axis=-1)
    y_pred = _float_pred(y_pred)
    original_shape = y_true.shape
    if y_true.ndim == y_pred.ndim:
        y_true = np.squeeze(y_true, -1)
    matches = _as_float(y_true == np.argmax(y_pred, axis=-1))
    return matches.reshape(original_shape) if matches.shape != original_shape else matches


def sparse_categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """1.0 where argmax(y_pred) equals the integer label y_true ((N,) or (N, 1)), else 0.0."""
    y_pred = _float_pred(y_pred)
    y_true = _array(y_true)
    original_shape = y_true.shape
    squeezed = y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1
    if squeezed:
        y_true = y_true[..., 0]
    matches = _as_float(y_true == np.argmax(y_pred, axis=-1))
    if squeezed:
        matches = matches.reshape(original_shape)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = matches[..., 0]
    return matches


def _in_top_k(labels: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Whether each label's score is at least the k-th largest (ties count as in)."""
    k = min(int(k), scores.shape[-1])
    kth = np.partition(scores, -k, axis=-1)[..., -k]
    picked = np.take_along_axis(scores, labels.astype(np.intp)[:, None], axis=-1)[:, 0]
    return picked >= kth


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> np.ndarray:
    """1.0 where the one-hot target is among the k highest predictions, else 0.0."""
    y_pred = _float_pred(y_pred)
    labels = np.argmax(_array(y_true), axis=-1)
    original_shape = labels.shape
    matches = _as_float(_in_top_k(labels.reshape(-1), y_pred.reshape(-1, y_pred.shape[-1]), k))
    return matches.reshape(original_shape)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k: int = 5,
                                      from_sorted_ids: bool = False) -> np.ndarray:
    """1.0 where the integer label is among the k highest predictions, else 0.0.

    With ``from_sorted_ids=True``, y_pred already holds class ids sorted by score.
    """
    y_pred = _float_pred(y_pred)
    labels = _array(y_true)
    original_shape = labels.shape
    flat_labels = labels.reshape(-1)
    flat_pred = y_pred.reshape(-1, y_pred.shape[-1])
    if from_sorted_ids:
        hits = np.any(flat_labels[:, None].astype(y_pred.dtype) == flat_pred[:, :k], axis=1)
    else:
        hits = _in_top_k(flat_labels, flat_pred, k)
    return _as_float(hits).reshape(original_shape)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.  Example: ``Accuracy()([1, 2], [1, 3])``."""

    def __init__(self, name: str = "accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often (y_pred > threshold) matches the 0/1 label.  Example: ``BinaryAccuracy()``."""

    def __init__(self, name: str = "binary_accuracy", dtype=None, threshold: float = 0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often argmax(y_pred) is the one-hot target's class.

    Example:
        >>> model.compile(loss="categorical_crossentropy", metrics=[CategoricalAccuracy()])
    """

    def __init__(self, name: str = "categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often argmax(y_pred) equals the integer label.

    Example:
        >>> SparseCategoricalAccuracy()(np.array([1]), np.array([[0.2, 0.8]]))
    """

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_pred = y_pred.data if isinstance(y_pred, Tensor) else y_pred
        if (sample_weight is None and isinstance(y_pred, np.ndarray) and y_pred.ndim == 2
                and isinstance(y_true, np.ndarray) and y_true.shape[0] == y_pred.shape[0]
                and (y_true.ndim == 1 or y_true.shape == (y_pred.shape[0], 1))):
            # The per-step case of a classifier, kept to a few microseconds.
            hits = np.count_nonzero(y_true.reshape(-1) == y_pred.argmax(axis=-1))
            self._pending_total += hits
            self._pending_count += y_pred.shape[0]
            return
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target is among the top ``k`` predictions.

    Example:
        >>> TopKCategoricalAccuracy(k=3)
    """

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top ``k`` predictions.

    Example:
        >>> SparseTopKCategoricalAccuracy(k=2)
    """

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids: bool = False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k, self.from_sorted_ids = k, from_sorted_ids

    def get_config(self) -> dict:
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
