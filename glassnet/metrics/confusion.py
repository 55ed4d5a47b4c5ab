"""Confusion-matrix metrics, as in ``keras.metrics``: TruePositives ... FalseNegatives,
Precision, Recall and AUC, each counting (weighted) outcomes at one or more thresholds.

A prediction is positive when it is strictly above the threshold.  Evenly spaced
thresholds (AUC's default 200) are counted by bucketing each prediction once, as Keras
does, instead of comparing it with every threshold.

Example:
    >>> m = AUC()
    >>> m.update_state([0, 0, 1, 1], [0.0, 0.5, 0.3, 0.9])
    >>> round(float(m.result()), 4)
    0.75
"""

from __future__ import annotations

import numpy as np

from glassnet import backend
from glassnet.core.tensor import Tensor
from glassnet.losses.loss import squeeze_or_expand_to_same_rank, to_array
from glassnet.metrics.metric import Metric

NEG_INF = -1e10


def _array(x, dtype) -> np.ndarray:
    array = x.data if isinstance(x, Tensor) else to_array(x)
    return array.astype(dtype, copy=False)


def _divide_no_nan(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1), 0).astype(np.result_type(a, b))


def parse_thresholds(thresholds, default: float = 0.5) -> list:
    """A list of thresholds in [0, 1] from a float, a list or None (the default)."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) \
        else [thresholds]
    bad = [t for t in values if t is None or t < 0 or t > 1]
    if bad:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {bad}")
    return values


def evenly_distributed(thresholds) -> bool:
    """True for [0, 1/(n-1), ..., 1] with n >= 3 (within epsilon), which can be bucketed."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=backend.epsilon()))


def _filter_top_k(x: np.ndarray, k: int) -> np.ndarray:
    top = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    mask = np.zeros_like(x)
    np.put_along_axis(mask, top, 1, axis=-1)
    return x * mask + NEG_INF * (1 - mask)


def update_confusion_matrix(variables: dict, y_true, y_pred, thresholds, top_k=None,
                            class_id=None, sample_weight=None, multi_label: bool = False,
                            label_weights=None, evenly: bool = False) -> None:
    """Add this batch's weighted counts to ``variables`` (keys 'tp', 'fp', 'tn', 'fn')."""
    dtype = next(iter(variables.values())).data.dtype
    y_true, y_pred = _array(y_true, dtype), _array(y_pred, dtype)
    thresholds = np.asarray(thresholds, dtype=dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = _array(sample_weight, dtype)[..., None]
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             f"(num_samples, num_classes), found shape: {y_pred.shape}")
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
    weights = None
    if sample_weight is not None:
        weights = np.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        lw = np.broadcast_to(np.asarray(label_weights, dtype)[None], y_pred.shape)
        weights = lw if weights is None else weights * lw
    positive = y_true.astype(bool)
    if not multi_label:
        y_pred, positive = y_pred.reshape(-1), positive.reshape(-1)
        weights = None if weights is None else weights.reshape(-1)
    if evenly:
        tp, fp, total_true, total_false = _bucket_counts(positive, y_pred, weights,
                                                         thresholds, multi_label, dtype)
    else:
        tp, fp, total_true, total_false = _threshold_counts(positive, y_pred, weights,
                                                            thresholds, multi_label, dtype)
    counts = {"tp": tp, "fp": fp}
    if "tn" in variables:
        counts["tn"] = total_false - fp
    if "fn" in variables:
        counts["fn"] = total_true - tp
    for kind, variable in variables.items():
        variable.data += counts[kind].astype(dtype, copy=False)


def _threshold_counts(positive, y_pred, weights, thresholds, multi_label, dtype):
    """Compare every prediction with every threshold: counts of shape (T,) or (T, labels)."""
    shape = (-1,) + (1,) * y_pred.ndim
    above = y_pred[None] > thresholds.reshape(shape)
    w = np.ones(y_pred.shape, dtype) if weights is None else weights.astype(dtype, copy=False)
    true_w, false_w = np.where(positive, w, 0), np.where(positive, 0, w)
    tp = np.sum(above * true_w, axis=1, dtype=dtype)
    fp = np.sum(above * false_w, axis=1, dtype=dtype)
    return tp, fp, np.sum(true_w, axis=0, dtype=dtype), np.sum(false_w, axis=0, dtype=dtype)


def _bucket_counts(positive, y_pred, weights, thresholds, multi_label, dtype):
    """Counts for evenly spaced thresholds: bucket each prediction, then sum from the top."""
    n = thresholds.shape[0]
    with_epsilon = thresholds[0] < 0 or thresholds[-1] > 1
    w = dtype.type(1) if weights is None else weights.astype(dtype, copy=False)
    truth = positive.astype(dtype)
    true_w, false_w = truth * w, (1 - truth) * w
    true_w, false_w = np.broadcast_to(true_w, y_pred.shape), np.broadcast_to(false_w,
                                                                             y_pred.shape)
    buckets = np.ceil(np.clip(y_pred, 0, 1) * dtype.type(n - 1)) - 1
    if with_epsilon:
        buckets = np.maximum(buckets, 0)
    buckets = buckets.astype(np.intp)
    keep = buckets >= 0  # a prediction of exactly 0 is above no threshold in [0, 1]
    if multi_label:
        labels = np.broadcast_to(np.arange(y_pred.shape[-1]), y_pred.shape)
        tp_bucket = np.zeros((n, y_pred.shape[-1]), dtype)
        fp_bucket = np.zeros((n, y_pred.shape[-1]), dtype)
        np.add.at(tp_bucket, (buckets[keep], labels[keep]), true_w[keep])
        np.add.at(fp_bucket, (buckets[keep], labels[keep]), false_w[keep])
        totals = np.sum(true_w, axis=0, dtype=dtype), np.sum(false_w, axis=0, dtype=dtype)
    else:
        tp_bucket = np.bincount(buckets[keep], weights=true_w[keep], minlength=n)
        fp_bucket = np.bincount(buckets[keep], weights=false_w[keep], minlength=n)
        totals = np.sum(true_w, dtype=dtype), np.sum(false_w, dtype=dtype)
    tp = np.cumsum(tp_bucket[::-1], axis=0)[::-1]
    fp = np.cumsum(fp_bucket[::-1], axis=0)[::-1]
    return tp.astype(dtype), fp.astype(dtype), totals[0], totals[1]


class _ConfusionMatrixConditionCount(Metric):
    """The weighted count of one outcome ('tp', 'fp', 'tn' or 'fn') at each threshold."""

    kind = "tp"

    def __init__(self, thresholds=None, name: str | None = None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, 0.5)
        self._evenly = evenly_distributed(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        update_confusion_matrix({self.kind: self.accumulator}, y_true, y_pred,
                                self.thresholds, sample_weight=sample_weight,
                                evenly=self._evenly)

    def result(self):
        values = self.accumulator.data
        return values[0] if len(self.thresholds) == 1 else values.copy()

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """Weighted count of positive labels predicted positive.  Example: ``TruePositives()``."""

    kind = "tp"


class FalsePositives(_ConfusionMatrixConditionCount):
    """Weighted count of negative labels predicted positive.  Example: ``FalsePositives()``."""

    kind = "fp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    """Weighted count of negative labels predicted negative.  Example: ``TrueNegatives()``."""

    kind = "tn"


class FalseNegatives(_ConfusionMatrixConditionCount):
    """Weighted count of positive labels predicted negative.  Example: ``FalseNegatives()``."""

    kind = "fn"


class _PrecisionRecall(Metric):
    """tp / (tp + other) at each threshold; ``top_k`` and ``class_id`` as in Keras."""

    other = "fp"

    def __init__(self, thresholds=None, top_k: int | None = None, class_id: int | None = None,
                 name: str | None = None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds, self.top_k, self.class_id = thresholds, top_k, class_id
        self.thresholds = parse_thresholds(thresholds, 0.5 if top_k is None else NEG_INF)
        self._evenly = evenly_distributed(self.thresholds)
        size = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=size, name="true_positives")
        other = "false_positives" if self.other == "fp" else "false_negatives"
        setattr(self, other, self.add_variable(shape=size, name=other))
        self._other_variable = getattr(self, other)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        update_confusion_matrix({"tp": self.true_positives, self.other: self._other_variable},
                                y_true, y_pred, self.thresholds, top_k=self.top_k,
                                class_id=self.class_id, sample_weight=sample_weight,
                                evenly=self._evenly)

    def result(self):
        tp = self.true_positives.data
        values = _divide_no_nan(tp, tp + self._other_variable.data)
        return values[0] if len(self.thresholds) == 1 else values

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """tp / (tp + fp): how many predicted positives are right.  Example: ``Precision()``."""

    other = "fp"


class Recall(_PrecisionRecall):
    """tp / (tp + fn): how many actual positives are found.  Example: ``Recall()``."""

    other = "fn"
