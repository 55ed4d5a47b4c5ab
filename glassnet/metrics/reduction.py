"""Running sums and means: ``Sum``, ``Mean`` and ``MeanMetricWrapper`` (a per-sample
function averaged over every sample seen, weighted by the sample weights), as in Keras.

Example:
    >>> m = Mean()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
"""

from __future__ import annotations

import numpy as np

from glassnet.core.tensor import Tensor
from glassnet.losses.loss import apply_mask, squeeze_or_expand_to_same_rank, to_array
from glassnet.metrics.metric import Metric


def as_values(value, dtype) -> np.ndarray:
    """An array of ``dtype`` from a Tensor, list, pandas object or array."""
    array = value.data if isinstance(value, Tensor) else to_array(value)
    return array if array.dtype == dtype else array.astype(dtype)


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weight ``values`` and reduce them to one value per sample, as Keras's metrics do.

    Returns ``(values, sample_weight)`` with the weights reduced the same way (or None).
    """
    mask = getattr(values, "_keras_mask", None)
    values = as_values(values, dtype)
    if sample_weight is not None:
        sample_weight = as_values(sample_weight, dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype, "sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.ndim, values.ndim
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
        sample_weight = np.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The running (weighted) sum of the values given.

    Example:
        >>> s = Sum()
        >>> s.update_state([1, 3, 5, 7])
        >>> float(s.result())
        16.0
    """

    def __init__(self, name: str = "sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), name="total")

    def update_state(self, values, sample_weight=None) -> None:
        values, _ = reduce_to_samplewise_values(values, sample_weight, np.sum, self._dtype)
        self.total.data += np.sum(values)

    def result(self):
        return self.total.data[()]


class Mean(Metric):
    """The running (weighted) mean of the values given: total / count.

    The common per-step updates add into two Python numbers first, which are folded into
    the ``total`` and ``count`` variables whenever those (or the result) are read.

    Example:
        >>> loss_tracker = Mean(name="loss")
        >>> loss_tracker.update_state(0.25, sample_weight=32)
    """

    def __init__(self, name: str = "mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._total = self.add_variable(shape=(), name="total")
        self._count = self.add_variable(shape=(), name="count")
        self._pending_total = 0.0
        self._pending_count = 0

    def _flush(self) -> None:
        if self._pending_count or self._pending_total:
            self._total.data += self._pending_total
            self._count.data += self._pending_count
            self._pending_total = 0.0
            self._pending_count = 0

    @property
    def total(self):
        self._flush()
        return self._total

    @property
    def count(self):
        self._flush()
        return self._count

    @property
    def variables(self) -> list:
        self._flush()
        return super().variables

    def update_state(self, values, sample_weight=None) -> None:
        if isinstance(values, np.ndarray) and values.ndim <= 1 and (
                sample_weight is None or (values.ndim == 0 and
                                          isinstance(sample_weight, (int, float)))):
            # The per-step cases (one value per sample; or a batch loss weighted by the
            # batch size) without the general path.
            if values.ndim == 0:
                weight = 1 if sample_weight is None else sample_weight
                self._pending_total += float(values) * weight
                self._pending_count += weight
            else:
                self._pending_total += float(np.sum(values, dtype=self._dtype))
                self._pending_count += values.shape[0]
            return
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, np.mean,
                                                            self._dtype)
        total = np.sum(values)
        count = np.sum(sample_weight) if sample_weight is not None else (
            values.shape[0] if values.ndim >= 1 else 1)
        self._pending_total += float(total)
        self._pending_count += float(count)

    def reset_state(self) -> None:
        self._pending_total = 0.0
        self._pending_count = 0
        super().reset_state()

    def result(self):
        self._flush()
        count = self._count.data[()]
        # divide_no_nan: a metric that saw no samples reads 0.
        return self._total.data[()] / count if count else self._dtype.type(0)


class MeanMetricWrapper(Mean):
    """The weighted mean over all samples of a per-sample function ``fn(y_true, y_pred)``.

    Example:
        >>> m = MeanMetricWrapper(fn=losses.mean_squared_error, name="mse")
        >>> m.update_state(y, y_hat)
    """

    def __init__(self, fn, name: str | None = None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        mask = getattr(y_pred, "_keras_mask", None)
        if isinstance(y_pred, Tensor):
            y_pred = y_pred.data
        if isinstance(y_true, Tensor):
            y_true = y_true.data
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        out_mask = getattr(values, "_keras_mask", None)
        if isinstance(values, Tensor):
            values = values.data
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, self._dtype, "sum")
        if out_mask is not None and sample_weight is not None:
            # As in Keras, a mask the function puts on its values (ignore_class) only
            # takes effect together with sample weights.
            sample_weight = apply_mask(sample_weight, out_mask, self._dtype, "sum")
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        from glassnet.metrics import serialize_function
        config = super().get_config()
        config["fn"] = serialize_function(self._fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if "fn" in config:
            from glassnet.metrics import deserialize_function
            config["fn"] = deserialize_function(config["fn"])
        return cls(**config)
