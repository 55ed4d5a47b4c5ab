"""Losses, as in ``keras.losses``: classes, per-sample functions and lookup by name.

Example:
    >>> from glassnet import losses
    >>> losses.get("mse") is losses.mean_squared_error
    True
    >>> losses.get("BinaryCrossentropy")
    <BinaryCrossentropy name=binary_crossentropy>
"""

from __future__ import annotations

import inspect

from glassnet.losses.classes import (BinaryCrossentropy, BinaryFocalCrossentropy,
                                     CategoricalCrossentropy, CategoricalHinge,
                                     CosineSimilarity, Hinge, Huber, KLDivergence, LogCosh,
                                     MeanAbsoluteError, MeanAbsolutePercentageError,
                                     MeanSquaredError, MeanSquaredLogarithmicError, Poisson,
                                     SparseCategoricalCrossentropy, SquaredHinge)
from glassnet.losses.crossentropy import (binary_crossentropy, binary_focal_crossentropy,
                                          categorical_crossentropy,
                                          sparse_categorical_crossentropy)
from glassnet.losses.functions import (categorical_hinge, cosine_similarity, hinge, huber,
                                       kl_divergence, log_cosh, mean_absolute_error,
                                       mean_absolute_percentage_error, mean_squared_error,
                                       mean_squared_logarithmic_error, poisson, squared_hinge)
from glassnet.losses.loss import Loss, LossFunctionWrapper, reduce_weighted_values
from glassnet.utils.naming import lookup

CLASSES = (Loss, LossFunctionWrapper, BinaryCrossentropy, BinaryFocalCrossentropy,
           CategoricalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge, Huber,
           KLDivergence, LogCosh, MeanAbsoluteError, MeanAbsolutePercentageError,
           MeanSquaredError, MeanSquaredLogarithmicError, Poisson,
           SparseCategoricalCrossentropy, SquaredHinge)
FUNCTIONS = (binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
             sparse_categorical_crossentropy, categorical_hinge, cosine_similarity, hinge, huber,
             kl_divergence, log_cosh, mean_absolute_error, mean_absolute_percentage_error,
             mean_squared_error, mean_squared_logarithmic_error, poisson, squared_hinge)

#: Every name ``losses.get`` understands: class names, function names, Keras's short
#: aliases, and the older spellings (logcosh, kullback_leibler_divergence) of Keras 2.
ALL_OBJECTS_DICT: dict = {obj.__name__: obj for obj in CLASSES + FUNCTIONS}
ALL_OBJECTS_DICT.update({
    "bce": binary_crossentropy, "BCE": binary_crossentropy,
    "kld": kl_divergence, "KLD": kl_divergence,
    "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mse": mean_squared_error, "MSE": mean_squared_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "logcosh": log_cosh, "kullback_leibler_divergence": kl_divergence,
    "huber_loss": huber,
})
# Short spellings as attributes too: ``losses.mse(y, p)``.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
bce = BCE = binary_crossentropy
logcosh = log_cosh


def get(identifier):
    """A loss from a name ('mse', 'BinaryCrossentropy'), a config dict, a class, an
    instance or a function.  Class names give an instance, function names the function.

    Example:
        >>> get("sparse_categorical_crossentropy")
        <function sparse_categorical_crossentropy ...>
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
        if obj is None:
            from glassnet.saving.registry import find_registered
            obj = find_registered(identifier) or lookup("loss", identifier, ALL_OBJECTS_DICT)
    else:
        obj = identifier
    if inspect.isclass(obj):
        return obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}. Expected a name "
                     "such as 'mse', a Loss instance or a function (y_true, y_pred).")


def serialize(loss):
    """A Keras-style config dict for a loss instance or function.

    Example:
        >>> serialize(MeanSquaredError())["class_name"]
        'MeanSquaredError'
    """
    from glassnet.saving.registry import registered_name
    if isinstance(loss, Loss):
        name = registered_name(type(loss))
        return {"module": "keras.losses", "class_name": type(loss).__name__,
                "config": loss.get_config(), "registered_name": name}
    if callable(loss):
        name = registered_name(loss)
        if name is not None:
            return {"module": None, "class_name": "function", "config": name,
                    "registered_name": name}
        if ALL_OBJECTS_DICT.get(getattr(loss, "__name__", None)) is loss:
            return {"module": "builtins", "class_name": "function", "config": loss.__name__,
                    "registered_name": "function"}
    raise ValueError(f"Cannot serialize loss {loss!r}: it is neither a glassnet loss nor "
                     "registered with @glassnet.saving.register_keras_serializable().")


def deserialize(config, custom_objects: dict | None = None):
    """The loss described by ``config`` (a name or a dict from ``serialize``)."""
    from glassnet.saving.registry import get_registered_object
    if isinstance(config, str):
        found = get_registered_object(config, custom_objects)
        return found if found is not None else get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A loss config must be a name or a dict with 'class_name'; "
                         f"received {config!r}.")
    class_name, inner = config["class_name"], config.get("config", {})
    if class_name == "function":
        found = get_registered_object(inner, custom_objects)
        return found if found is not None else lookup("loss", inner, ALL_OBJECTS_DICT)
    cls = get_registered_object(config.get("registered_name") or class_name, custom_objects)
    if cls is None:
        cls = lookup("loss", class_name, {c.__name__: c for c in CLASSES})
    return cls.from_config(dict(inner or {}))


__all__ = sorted([obj.__name__ for obj in CLASSES + FUNCTIONS] + [
    "get", "serialize", "deserialize", "reduce_weighted_values", "mse", "MSE", "mae", "MAE",
    "mape", "MAPE", "msle", "MSLE", "kld", "KLD", "kullback_leibler_divergence", "bce", "BCE",
    "logcosh"])
