"""What ``compile()`` was given, as JSON and back, so a loaded model trains on as before.

Strings stay strings (``"adam"``, ``"accuracy"``); loss, metric and optimizer objects and
functions become Keras-style ``{"class_name", "config"}`` dicts; lists and per-output dicts
keep their shape.

Example:
    >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    >>> config = get_compile_config(model)
    >>> config["optimizer"]["class_name"], config["loss"], config["metrics"]
    ('Adam', 'mse', ['mae'])
"""

from __future__ import annotations

from glassnet.saving.errors import ModelFileError


def _is_object(value) -> bool:
    return isinstance(value, dict) and "class_name" in value


def _encode(value, serialize):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_encode(v, serialize) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v, serialize) for k, v in value.items()}
    return serialize(value)


def _decode(value, deserialize, custom_objects):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if _is_object(value):
        return deserialize(value, custom_objects)
    if isinstance(value, list):
        return [_decode(v, deserialize, custom_objects) for v in value]
    if isinstance(value, dict):
        return {k: _decode(v, deserialize, custom_objects) for k, v in value.items()}
    raise ModelFileError(f"Unexpected compile setting {value!r:.100}.")


def _named_function(value, serialize):
    """``serialize(value)``; a plain function that is not registered is saved by its name,
    to be found again through ``custom_objects`` when loading (as Keras does)."""
    try:
        return serialize(value)
    except ValueError:
        if callable(value) and hasattr(value, "__name__") and not isinstance(value, type):
            return {"module": getattr(value, "__module__", None), "class_name": "function",
                    "config": value.__name__, "registered_name": "function"}
        raise


def _no_objects(value, custom_objects):
    raise ModelFileError(f"Unexpected object in 'loss_weights': {value!r:.100}.")


def get_compile_config(model) -> dict | None:
    """The compile settings of ``model`` as JSON-ready values (None if not compiled).

    Example:
        >>> get_compile_config(Sequential()) is None
        True
    """
    from glassnet import losses, metrics, optimizers

    if not getattr(model, "compiled", False):
        return None
    given = model._compile_config or {}
    return {"optimizer": optimizers.serialize(model.optimizer),
            "loss": _encode(given.get("loss"), lambda v: _named_function(v, losses.serialize)),
            "loss_weights": _encode(given.get("loss_weights"), float),
            "metrics": _encode(given.get("metrics"),
                               lambda v: _named_function(v, metrics.serialize)),
            "weighted_metrics": _encode(given.get("weighted_metrics"),
                                        lambda v: _named_function(v, metrics.serialize))}


def compile_from_config(model, config: dict, custom_objects: dict | None = None) -> None:
    """``model.compile(...)`` with the settings of ``get_compile_config``.

    Example:
        >>> compile_from_config(model, {"optimizer": "sgd", "loss": "mse"})
        >>> model.compiled
        True
    """
    from glassnet import losses, metrics, optimizers

    if not isinstance(config, dict):
        raise ModelFileError(f"'compile_config' must be a dict; received {type(config).__name__}.")
    optimizer = config.get("optimizer", "rmsprop")
    if _is_object(optimizer):
        optimizer = optimizers.deserialize(optimizer, custom_objects)
    elif not isinstance(optimizer, str):
        raise ModelFileError(f"Unexpected optimizer setting {optimizer!r:.100}.")
    model.compile(optimizer=optimizer,
                  loss=_decode(config.get("loss"), losses.deserialize, custom_objects),
                  loss_weights=_decode(config.get("loss_weights"), _no_objects, custom_objects),
                  metrics=_decode(config.get("metrics"), metrics.deserialize, custom_objects),
                  weighted_metrics=_decode(config.get("weighted_metrics"), metrics.deserialize,
                                           custom_objects))
