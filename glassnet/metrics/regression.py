"""Metrics that average a loss function over all samples seen (regression errors,
cross-entropies, hinge, KL divergence), plus ``RootMeanSquaredError``.

Example:
    >>> m = MeanAbsoluteError()
    >>> m.update_state([[1.0], [2.0]], [[1.5], [2.0]])
    >>> float(m.result())
    0.25
"""

from __future__ import annotations

import numpy as np

from glassnet import losses
from glassnet.core.tensor import Tensor
from glassnet.losses.loss import squeeze_or_expand_to_same_rank, to_array
from glassnet.metrics.reduction import Mean, MeanMetricWrapper


def cosine_similarity(y_true, y_pred, axis: int = -1) -> np.ndarray:
    """sum(l2_normalize(y_true) * l2_normalize(y_pred)) along ``axis`` (1 = same direction)."""
    return -losses.cosine_similarity(y_true, y_pred, axis=axis).data


class _Wrapped(MeanMetricWrapper):
    """A MeanMetricWrapper whose config is just its name and dtype."""

    function = None
    default_name = ""

    def __init__(self, name: str | None = None, dtype=None):
        super().__init__(type(self).function, name=name or self.default_name, dtype=dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredError(_Wrapped):
    """Running mean of (y_true - y_pred)**2.  Example: ``metrics=[MeanSquaredError()]``."""

    function, default_name = staticmethod(losses.mean_squared_error), "mean_squared_error"


class MeanAbsoluteError(_Wrapped):
    """Running mean of |y_true - y_pred|.  Example: ``metrics=[MeanAbsoluteError()]``."""

    function, default_name = staticmethod(losses.mean_absolute_error), "mean_absolute_error"


class MeanAbsolutePercentageError(_Wrapped):
    """Running mean absolute percentage error.  Example: ``MeanAbsolutePercentageError()``."""

    function = staticmethod(losses.mean_absolute_percentage_error)
    default_name = "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_Wrapped):
    """Running mean squared logarithmic error.  Example: ``MeanSquaredLogarithmicError()``."""

    function = staticmethod(losses.mean_squared_logarithmic_error)
    default_name = "mean_squared_logarithmic_error"


class LogCoshError(_Wrapped):
    """Running mean of log(cosh(y_pred - y_true)).  Example: ``LogCoshError()``."""

    function, default_name = staticmethod(losses.log_cosh), "logcosh"


class KLDivergence(_Wrapped):
    """Running mean KL divergence.  Example: ``KLDivergence()``."""

    function, default_name = staticmethod(losses.kl_divergence), "kl_divergence"


class Poisson(_Wrapped):
    """Running mean Poisson loss.  Example: ``Poisson()``."""

    function, default_name = staticmethod(losses.poisson), "poisson"


class Hinge(_Wrapped):
    """Running mean hinge loss.  Example: ``Hinge()``."""

    function, default_name = staticmethod(losses.hinge), "hinge"


class SquaredHinge(_Wrapped):
    """Running mean squared hinge loss.  Example: ``SquaredHinge()``."""

    function, default_name = staticmethod(losses.squared_hinge), "squared_hinge"


class CategoricalHinge(_Wrapped):
    """Running mean categorical hinge loss.  Example: ``CategoricalHinge()``."""

    function, default_name = staticmethod(losses.categorical_hinge), "categorical_hinge"


class CosineSimilarity(MeanMetricWrapper):
    """Running mean cosine similarity of y_true and y_pred.  Example: ``CosineSimilarity()``."""

    def __init__(self, name: str = "cosine_similarity", dtype=None, axis: int = -1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """sqrt of the running mean of (y_pred - y_true)**2 over all values.

    Example:
        >>> model.compile(loss="mse", metrics=[RootMeanSquaredError()])
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true = (y_true.data if isinstance(y_true, Tensor) else to_array(y_true))
        y_pred = (y_pred.data if isinstance(y_pred, Tensor) else to_array(y_pred))
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true.astype(self._dtype, copy=False),
                                                        y_pred.astype(self._dtype, copy=False))
        error = y_pred - y_true
        super().update_state(error * error, sample_weight=sample_weight)

    def result(self):
        return np.sqrt(super().result())

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class BinaryCrossentropy(MeanMetricWrapper):
    """Running mean binary cross-entropy.  Example: ``BinaryCrossentropy(from_logits=True)``."""

    def __init__(self, name: str = "binary_crossentropy", dtype=None, from_logits: bool = False,
                 label_smoothing: float = 0):
        super().__init__(losses.binary_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing)
        self.from_logits, self.label_smoothing = from_logits, label_smoothing

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}


class CategoricalCrossentropy(MeanMetricWrapper):
    """Running mean categorical cross-entropy.  Example: ``CategoricalCrossentropy()``."""

    def __init__(self, name: str = "categorical_crossentropy", dtype=None,
                 from_logits: bool = False, label_smoothing: float = 0, axis: int = -1):
        super().__init__(losses.categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Running mean sparse categorical cross-entropy.  Example:
    ``SparseCategoricalCrossentropy(from_logits=True)``."""

    def __init__(self, name: str = "sparse_categorical_crossentropy", dtype=None,
                 from_logits: bool = False, ignore_class: int | None = None, axis: int = -1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits, self.ignore_class, self.axis = from_logits, ignore_class, axis

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "ignore_class": self.ignore_class, "axis": self.axis}
