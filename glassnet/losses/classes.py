"""The loss classes of ``keras.losses``: a per-sample function plus Keras's options.

Example:
    >>> loss = BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
    >>> loss.get_config()["label_smoothing"]
    0.1
"""

from __future__ import annotations

from glassnet.losses import crossentropy as ce
from glassnet.losses import functions as fn
from glassnet.losses.loss import Loss, LossFunctionWrapper

SUM_OVER_BATCH = "sum_over_batch_size"


class _Plain(LossFunctionWrapper):
    """A wrapper whose config is only name and reduction (Keras's regression losses)."""

    function = None
    default_name = ""

    def __init__(self, reduction=SUM_OVER_BATCH, name: str | None = None, dtype=None):
        super().__init__(type(self).function, name=name or self.default_name,
                         reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)


class MeanSquaredError(_Plain):
    """mean((y_true - y_pred)**2).  Example: ``model.compile(loss=MeanSquaredError())``."""

    function, default_name = staticmethod(fn.mean_squared_error), "mean_squared_error"


class MeanAbsoluteError(_Plain):
    """mean(|y_true - y_pred|).  Example: ``MeanAbsoluteError()(y, model(x))``."""

    function, default_name = staticmethod(fn.mean_absolute_error), "mean_absolute_error"


class MeanAbsolutePercentageError(_Plain):
    """100 * mean(|y_true - y_pred| / |y_true|).  Example: ``MeanAbsolutePercentageError()``."""

    function = staticmethod(fn.mean_absolute_percentage_error)
    default_name = "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_Plain):
    """mean((log(y_pred + 1) - log(y_true + 1))**2).  Example: ``MeanSquaredLogarithmicError()``."""

    function = staticmethod(fn.mean_squared_logarithmic_error)
    default_name = "mean_squared_logarithmic_error"


class LogCosh(_Plain):
    """mean(log(cosh(y_pred - y_true))).  Example: ``LogCosh()(y, y_hat)``."""

    function, default_name = staticmethod(fn.log_cosh), "log_cosh"


class Hinge(_Plain):
    """mean(max(1 - y_true * y_pred, 0)) with -1/1 (or 0/1) labels.  Example: ``Hinge()``."""

    function, default_name = staticmethod(fn.hinge), "hinge"


class SquaredHinge(_Plain):
    """mean(max(1 - y_true * y_pred, 0)**2).  Example: ``SquaredHinge()``."""

    function, default_name = staticmethod(fn.squared_hinge), "squared_hinge"


class CategoricalHinge(_Plain):
    """max(max((1 - y) p) - sum(y p) + 1, 0) for one-hot y.  Example: ``CategoricalHinge()``."""

    function, default_name = staticmethod(fn.categorical_hinge), "categorical_hinge"


class KLDivergence(_Plain):
    """sum(y_true * log(y_true / y_pred)).  Example: ``KLDivergence()(p, q)``."""

    function, default_name = staticmethod(fn.kl_divergence), "kl_divergence"


class Poisson(_Plain):
    """mean(y_pred - y_true * log(y_pred)).  Example: ``Poisson()``."""

    function, default_name = staticmethod(fn.poisson), "poisson"


class Huber(LossFunctionWrapper):
    """Quadratic up to ``delta``, linear beyond.  Example: ``Huber(delta=2.0)``."""

    def __init__(self, delta: float = 1.0, reduction=SUM_OVER_BATCH, name: str = "huber_loss",
                 dtype=None):
        super().__init__(fn.huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta

    def get_config(self) -> dict:
        # Keras 3 leaves delta out, so a saved Huber(delta=2.0) comes back with 1.0; kept here.
        return {**Loss.get_config(self), "delta": self.delta}


class CosineSimilarity(LossFunctionWrapper):
    """-sum(l2_normalize(y_true) * l2_normalize(y_pred)).  Example: ``CosineSimilarity(axis=1)``."""

    def __init__(self, axis: int = -1, reduction=SUM_OVER_BATCH,
                 name: str = "cosine_similarity", dtype=None):
        super().__init__(fn.cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)

    def get_config(self) -> dict:
        return Loss.get_config(self)


class _CrossEntropy(LossFunctionWrapper):
    """Shared config of the cross-entropies: from_logits, label_smoothing, axis."""

    def get_config(self) -> dict:
        config = Loss.get_config(self)
        config.update({"from_logits": self.from_logits,
                       "label_smoothing": self.label_smoothing, "axis": self.axis})
        return config


class BinaryCrossentropy(_CrossEntropy):
    """Cross-entropy for 0/1 labels and one sigmoid output per label.

    Example:
        >>> model.compile(loss=BinaryCrossentropy(from_logits=True))
    """

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction=SUM_OVER_BATCH, name: str = "binary_crossentropy", dtype=None):
        super().__init__(ce.binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis


class CategoricalCrossentropy(_CrossEntropy):
    """Cross-entropy for one-hot targets and a softmax output.

    Example:
        >>> CategoricalCrossentropy(label_smoothing=0.1)(y_onehot, probs)
    """

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction=SUM_OVER_BATCH, name: str = "categorical_crossentropy", dtype=None):
        super().__init__(ce.categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for integer class labels (shape (N,) or (N, 1)) and a softmax output.

    Example:
        >>> SparseCategoricalCrossentropy()(np.array([2, 0]), probs)
    """

    def __init__(self, from_logits: bool = False, ignore_class: int | None = None,
                 reduction=SUM_OVER_BATCH, axis: int = -1,
                 name: str = "sparse_categorical_crossentropy", dtype=None):
        super().__init__(ce.sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits, self.ignore_class = from_logits, ignore_class

    def get_config(self) -> dict:
        config = Loss.get_config(self)
        config.update({"from_logits": self.from_logits, "ignore_class": self.ignore_class})
        return config


class BinaryFocalCrossentropy(_CrossEntropy):
    """Binary cross-entropy times (1 - p_t)**gamma, optionally class-balanced by ``alpha``.

    Example:
        >>> BinaryFocalCrossentropy(gamma=2.0, apply_class_balancing=True)
    """

    def __init__(self, apply_class_balancing: bool = False, alpha: float = 0.25,
                 gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                 axis: int = -1, reduction=SUM_OVER_BATCH,
                 name: str = "binary_focal_crossentropy", dtype=None):
        super().__init__(ce.binary_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, apply_class_balancing=apply_class_balancing, alpha=alpha,
                         gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis
        self.apply_class_balancing, self.alpha, self.gamma = apply_class_balancing, alpha, gamma

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"apply_class_balancing": self.apply_class_balancing,
                       "alpha": self.alpha, "gamma": self.gamma})
        return config
