"""Layer configs to dicts and back: ``{'class_name': 'Dense', 'config': {...}}``.

Only classes known to glassnet (every Layer subclass, and objects registered with
``register_keras_serializable``) can be built from a config.

Example:
    >>> config = serialize(Dense(3, name="out"))
    >>> deserialize(config).units
    3
"""

from __future__ import annotations

from glassnet.saving.registry import get_registered_object


def serialize(layer) -> dict:
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def deserialize(config: dict, custom_objects: dict | None = None):
    from glassnet.layers.layer import LAYER_CLASSES

    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A layer config must be a dict with 'class_name' and 'config'; "
                         f"received {config!r}.")
    name = config["class_name"]
    cls = get_registered_object(name, custom_objects) or LAYER_CLASSES.get(name)
    if cls is None:
        raise ValueError(
            f"Unknown layer class {name!r}. If it is a custom layer, decorate it with "
            "@glassnet.saving.register_keras_serializable() or pass it in custom_objects.")
    return cls.from_config(dict(config.get("config", {})))
