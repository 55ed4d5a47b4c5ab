"""Layers and models to Keras-style config dicts and back, building only allowed classes.

A serialized layer is ``{"module", "class_name", "config", "registered_name"}`` as in
Keras 3.  Models add ``build_config``; a functional model is ``class_name: "Functional"``
with its graph (``functional_config``), a ``Sequential`` its list of layers.  Rebuilding
looks every name up in ``custom_objects``, then the registry, then glassnet's own classes;
``module`` is never imported.  A ``Lambda`` layer's function is not in the file: it is
found by name in ``custom_objects`` or the registry.

Example:
    >>> config = serialize_layer(Dense(3, name="out"))
    >>> config["class_name"], config["config"]["units"]
    ('Dense', 3)
    >>> deserialize_layer(config).name
    'out'
"""

from __future__ import annotations

from glassnet.saving.errors import ModelFileError
from glassnet.saving.limits import check_input_size
from glassnet.saving.object_allowlist import is_builtin_layer_class
from glassnet.saving.registry import find_registered, registered_name


def _class_name(obj) -> str:
    from glassnet.models.model import Model
    from glassnet.models.sequential import Sequential

    if type(obj) is Model and obj._graph is not None:
        return "Functional"
    if isinstance(obj, Sequential) and type(obj) is Sequential:
        return "Sequential"
    return type(obj).__name__


def serialize_layer(layer) -> dict:
    """The Keras-style config dict of a layer or model.

    Example:
        >>> serialize_layer(Dropout(0.5))["config"]["rate"]
        0.5
    """
    from glassnet.models.model import Model

    entry = {"module": type(layer).__module__, "class_name": _class_name(layer),
             "config": layer.get_config(),
             "registered_name": registered_name(type(layer))}
    if isinstance(layer, Model) and layer._graph is None and layer._build_shape is not None:
        entry["build_config"] = {"input_shape": _shape_list(layer._build_shape)}
    return entry


def _shape_list(shape):
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [_shape_list(s) for s in shape]
    return None if shape is None else [None if d is None else int(d) for d in shape]


def _find_class(config: dict, custom_objects):
    """The class a serialized entry names, from the allowed places only."""
    from glassnet.layers.layer import LAYER_CLASSES
    from glassnet.models.model import Model
    from glassnet.saving.object_allowlist import import_all_layers

    import_all_layers()
    name = config["class_name"]
    registered = config.get("registered_name")
    for key in (registered, name):
        if isinstance(key, str) and custom_objects and key in custom_objects:
            return custom_objects[key]
    for key in (registered, name):
        if isinstance(key, str):
            found = find_registered(key)
            if found is not None:
                return found
    if name == "Functional":
        return Model
    cls = LAYER_CLASSES.get(name)
    if cls is not None and is_builtin_layer_class(cls):
        return cls
    raise ModelFileError(
        f"Unknown layer class {name!r}. If it is a custom layer, decorate it with "
        "@glassnet.saving.register_keras_serializable() or pass it in custom_objects.")


def deserialize_layer(config: dict, custom_objects: dict | None = None):
    """A layer or model from ``serialize_layer``'s dict (or Keras's ``{class_name, config}``).

    Example:
        >>> deserialize_layer({"class_name": "Dense", "config": {"units": 2}}).units
        2
    """
    from glassnet.layers.core.input_layer import InputLayer
    from glassnet.layers.core.lambda_layer import Lambda
    from glassnet.layers.layer import Layer
    from glassnet.models.model import Model
    from glassnet.models.sequential import Sequential

    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ModelFileError(f"A layer config must be a dict with a 'class_name'; received "
                             f"{config!r:.200}.")
    inner = config.get("config", {})
    if not isinstance(inner, dict):
        raise ModelFileError(f"The 'config' of {config['class_name']!r} must be a dict; "
                             f"received {type(inner).__name__}.")
    cls = _find_class(config, custom_objects)
    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        raise ModelFileError(f"{config['class_name']!r} does not name a layer class.")
    inner = dict(inner)
    if cls is Sequential or (issubclass(cls, Sequential) and "layers" in inner):
        layer = sequential_from_config(cls, inner, custom_objects)
    elif issubclass(cls, Model) and "input_layers" in inner and "layers" in inner:
        from glassnet.saving.functional_config import functional_from_config
        layer = functional_from_config(cls, inner, custom_objects)
    elif cls is Lambda:
        layer = _lambda_from_config(inner, custom_objects)
    else:
        layer = cls.from_config(_custom_activations(inner, custom_objects))
    if not isinstance(layer, Layer):
        raise ModelFileError(f"{config['class_name']!r}.from_config() did not return a layer.")
    if isinstance(layer, InputLayer):
        check_input_size(layer.batch_shape, "The config")
    build = config.get("build_config")
    if isinstance(layer, Model) and not layer.built and isinstance(build, dict) \
            and build.get("input_shape") is not None:
        shape = build["input_shape"]
        layer.build(tuple(shape) if not (shape and isinstance(shape[0], list))
                    else [tuple(s) for s in shape])
    return layer


def _custom_activations(config: dict, custom_objects) -> dict:
    """Activation names that only the registry or ``custom_objects`` knows ('tests>cube')
    replaced by the functions, since ``activations.get`` looks strings up among the
    built-in activations only."""
    from glassnet import activations

    for key, value in config.items():
        if key.endswith("activation") and isinstance(value, str) and value not in activations.ALL:
            found = (custom_objects or {}).get(value) or find_registered(value)
            if callable(found) and not isinstance(found, type):
                config[key] = found
    return config


def sequential_from_config(cls, config: dict, custom_objects=None):
    """A Sequential model from its config, each layer built through ``deserialize_layer``.

    Example:
        >>> sequential_from_config(Sequential, model.get_config()).name == model.name
        True
    """
    entries = config.get("layers", [])
    if not isinstance(entries, list):
        raise ModelFileError("A Sequential config needs a list of 'layers'.")
    name, trainable = config.get("name"), config.get("trainable", True)
    if (name is not None and not isinstance(name, str)) or not isinstance(trainable, bool):
        raise ModelFileError("The model 'name' must be a string and 'trainable' a boolean.")
    model = cls(name=name, trainable=trainable)
    for entry in entries:
        model.add(deserialize_layer(entry, custom_objects), rebuild=False)
    model._maybe_rebuild()
    shape = config.get("build_input_shape")
    if not model.built and shape is not None:
        if not isinstance(shape, list):
            raise ModelFileError("'build_input_shape' must be a list.")
        model.build(tuple(shape))
    return model


def _lambda_from_config(config: dict, custom_objects):
    from glassnet.layers.core.lambda_layer import Lambda

    name = config.pop("function", None)
    function = None
    if isinstance(name, str):
        function = (custom_objects or {}).get(name) or find_registered(name)
    if not callable(function):
        raise ModelFileError(
            f"Lambda layer {config.get('name')!r} calls the Python function {name!r}, whose "
            "code is not stored in model files (running code from a file is unsafe). Pass it "
            f"when loading: load_model(path, custom_objects={{{name!r}: function}}).")
    return Lambda(function, **config)
