"""Optimizers, as in ``keras.optimizers``: by name ('adam') or as objects.

Example:
    >>> from glassnet import optimizers
    >>> opt = optimizers.get("adam")
    >>> opt.learning_rate.numpy()
    array(0.001, dtype=float32)
    >>> optimizers.Adam(learning_rate=optimizers.schedules.ExponentialDecay(0.1, 100, 0.96))
    <Adam name=adam_1, learning_rate=ExponentialDecay, iterations=0>
"""

from __future__ import annotations

from glassnet.optimizers import schedules
from glassnet.optimizers.adadelta import Adadelta
from glassnet.optimizers.adagrad import Adagrad
from glassnet.optimizers.adam import Adam
from glassnet.optimizers.adamax import Adamax
from glassnet.optimizers.adamw import AdamW
from glassnet.optimizers.ftrl import Ftrl
from glassnet.optimizers.lion import Lion
from glassnet.optimizers.nadam import Nadam
from glassnet.optimizers.optimizer import OPTIMIZER_CLASSES, Optimizer
from glassnet.optimizers.rmsprop import RMSprop
from glassnet.optimizers.sgd import SGD
from glassnet.utils.naming import lookup

#: The names ``get`` accepts (any case), as Keras's lower-cased class names.
ALL = {cls.__name__.lower(): cls for cls in (
    SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion)}


def _class_for(name: str, custom_objects: dict | None = None, registered: str | None = None):
    from glassnet.saving.registry import get_registered_object

    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if isinstance(name, str) and name.lower() in ALL:
        return ALL[name.lower()]
    return (get_registered_object(registered or name, custom_objects)
            or OPTIMIZER_CLASSES.get(name) or lookup("optimizer", name, ALL))


def serialize(optimizer: Optimizer) -> dict:
    """The optimizer as a config dict: ``{'class_name': 'Adam', 'config': {...}, ...}``.

    Example:
        >>> serialize(Adam())["class_name"]
        'Adam'
    """
    from glassnet.saving.registry import registered_name

    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(),
            "registered_name": registered_name(type(optimizer)) or type(optimizer).__name__}


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """Rebuild an optimizer from :func:`serialize`'s dict (class names in any case).

    Example:
        >>> deserialize({"class_name": "sgd", "config": {"momentum": 0.9}}).momentum
        0.9
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("An optimizer config must be a dict with 'class_name' and 'config'. "
                         f"Received: config={config!r}")
    registered = config.get("registered_name")
    if registered == config["class_name"]:
        registered = None
    cls = _class_for(config["class_name"], custom_objects, registered)
    inner = dict(config.get("config") or {})
    if isinstance(inner.get("learning_rate"), dict):
        inner["learning_rate"] = schedules.deserialize(inner["learning_rate"], custom_objects)
    return cls.from_config(inner)


def get(identifier) -> Optimizer | None:
    """An optimizer from a name ('rmsprop'), a config dict or an instance (returned as is).

    Example:
        >>> get("RMSprop").rho
        0.9
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return _class_for(identifier)()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}. Expected a "
                     "name such as 'adam', a config dict or an Optimizer instance.")


__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax",
           "Nadam", "Ftrl", "Lion", "schedules", "get", "serialize", "deserialize"]
