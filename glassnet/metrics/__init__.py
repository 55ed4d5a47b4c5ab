"""Metrics, as in ``keras.metrics``: running metric objects, per-sample metric functions
and lookup by name.

Example:
    >>> from glassnet import metrics
    >>> metrics.get("mae")
    <MeanAbsoluteError name=mean_absolute_error>
    >>> metrics.binary_accuracy(np.array([1, 0]), np.array([0.8, 0.6]))
    array([1., 0.], dtype=float32)
"""

from __future__ import annotations

import inspect
import re

from glassnet.losses import (binary_crossentropy, binary_focal_crossentropy,
                             categorical_crossentropy, categorical_hinge, hinge, huber,
                             kl_divergence, log_cosh, mean_absolute_error,
                             mean_absolute_percentage_error, mean_squared_error,
                             mean_squared_logarithmic_error, poisson,
                             sparse_categorical_crossentropy, squared_hinge)
from glassnet.metrics.accuracy import (Accuracy, BinaryAccuracy, CategoricalAccuracy,
                                       SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy,
                                       TopKCategoricalAccuracy, accuracy, binary_accuracy,
                                       categorical_accuracy, sparse_categorical_accuracy,
                                       sparse_top_k_categorical_accuracy,
                                       top_k_categorical_accuracy)
from glassnet.metrics.auc import AUC
from glassnet.metrics.confusion import (FalseNegatives, FalsePositives, Precision, Recall,
                                        TrueNegatives, TruePositives)
from glassnet.metrics.metric import Metric
from glassnet.metrics.reduction import Mean, MeanMetricWrapper, Sum
from glassnet.metrics.regression import (BinaryCrossentropy, CategoricalCrossentropy,
                                         CategoricalHinge, CosineSimilarity, Hinge,
                                         KLDivergence, LogCoshError, MeanAbsoluteError,
                                         MeanAbsolutePercentageError, MeanSquaredError,
                                         MeanSquaredLogarithmicError, Poisson,
                                         RootMeanSquaredError, SparseCategoricalCrossentropy,
                                         SquaredHinge)
from glassnet.utils.naming import lookup

CLASSES = (Metric, Mean, Sum, MeanMetricWrapper, MeanSquaredError, RootMeanSquaredError,
           MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
           CosineSimilarity, LogCoshError, AUC, FalseNegatives, FalsePositives, Precision,
           Recall, TrueNegatives, TruePositives, Hinge, SquaredHinge, CategoricalHinge,
           KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy,
           SparseCategoricalCrossentropy, Accuracy, BinaryAccuracy, CategoricalAccuracy,
           SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy)
FUNCTIONS = (accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
             top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, binary_crossentropy,
             binary_focal_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
             categorical_hinge, hinge, squared_hinge, huber, kl_divergence, log_cosh,
             mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
             mean_squared_logarithmic_error, poisson)


def _keras_snake_case(name: str) -> str:
    """Keras's own snake case (TopKCategoricalAccuracy -> top_k_categorical_accuracy)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


#: Every name ``metrics.get`` understands: class names, their snake-case spellings and the
#: short aliases, each giving a new metric object ('acc' too, the older spelling).
ALL_OBJECTS_DICT: dict = {cls.__name__: cls for cls in CLASSES}
ALL_OBJECTS_DICT.update({_keras_snake_case(cls.__name__): cls for cls in CLASSES})
ALL_OBJECTS_DICT.update({
    "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy,
    "mse": MeanSquaredError, "MSE": MeanSquaredError,
    "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
    "acc": Accuracy, "logcosh": LogCoshError,
})
_FUNCTIONS_BY_NAME = {fn.__name__: fn for fn in FUNCTIONS}
# Short spellings as attributes: ``metrics.mae(y, p)``.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
logcosh = log_cosh


def get(identifier):
    """A metric from a name ('mae', 'accuracy', 'AUC'), a config dict, a class, an instance
    or a function.  Names give a new metric object, as in Keras.

    Example:
        >>> get("binary_accuracy")
        <BinaryAccuracy name=binary_accuracy>
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
        if obj is None:
            from glassnet.saving.registry import find_registered
            obj = find_registered(identifier) or lookup("metric", identifier, ALL_OBJECTS_DICT)
    else:
        obj = identifier
    if inspect.isclass(obj):
        return obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}. Expected a name "
                     "such as 'accuracy', a Metric or a function (y_true, y_pred).")


def serialize_function(fn):
    """The name under which a metric or loss function can be found again."""
    from glassnet.saving.registry import registered_name
    name = registered_name(fn)
    if name is not None:
        return name
    if _FUNCTIONS_BY_NAME.get(getattr(fn, "__name__", None)) is fn:
        return fn.__name__
    from glassnet import losses
    return losses.serialize(fn)["config"]


def deserialize_function(name):
    from glassnet.saving.registry import find_registered
    if not isinstance(name, str):
        from glassnet import losses
        return losses.deserialize(name)
    found = find_registered(name)
    if found is not None:
        return found
    if name in _FUNCTIONS_BY_NAME:
        return _FUNCTIONS_BY_NAME[name]
    from glassnet import losses
    return losses.get(name)


def serialize(metric):
    """A Keras-style config dict for a metric object or function.

    Example:
        >>> serialize(AUC())["config"]["num_thresholds"]
        200
    """
    from glassnet.saving.registry import registered_name
    if isinstance(metric, Metric):
        return {"module": "keras.metrics", "class_name": type(metric).__name__,
                "config": metric.get_config(), "registered_name": registered_name(type(metric))}
    if callable(metric):
        return {"module": "builtins", "class_name": "function",
                "config": serialize_function(metric), "registered_name": "function"}
    raise ValueError(f"Cannot serialize metric {metric!r}.")


def deserialize(config, custom_objects: dict | None = None):
    """The metric described by ``config`` (a name or a dict from ``serialize``)."""
    from glassnet.saving.registry import get_registered_object
    if isinstance(config, str):
        found = get_registered_object(config, custom_objects)
        return found if found is not None else get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A metric config must be a name or a dict with 'class_name'; "
                         f"received {config!r}.")
    class_name, inner = config["class_name"], config.get("config", {})
    if class_name == "function":
        found = get_registered_object(inner, custom_objects)
        return found if found is not None else deserialize_function(inner)
    cls = get_registered_object(config.get("registered_name") or class_name, custom_objects)
    if cls is None:
        cls = lookup("metric", class_name, {c.__name__: c for c in CLASSES})
    return cls.from_config(dict(inner or {}))


__all__ = sorted({c.__name__ for c in CLASSES} | {f.__name__ for f in FUNCTIONS} | {
    "get", "serialize", "deserialize", "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle",
    "MSLE", "kld", "KLD", "logcosh"})
