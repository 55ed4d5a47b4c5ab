"""What a config read from a file may name: the check made before anything is built.

A config is a tree of JSON values in which every ``{"class_name": ...}`` dict names
something to construct.  Before any of it is built, the whole tree is walked once:

- every ``class_name`` must be one of glassnet's own layers, initializers, regularizers,
  losses, metrics, optimizers or schedules, a name registered with
  ``register_keras_serializable``, or a key of ``custom_objects``;
- a ``registered_name`` must be found in the registry or ``custom_objects`` (a name such
  as ``"os>system"`` never is); ``module`` is informational only and never imported;
- integers stay within ``MAX_INT`` (sizes beyond it cannot describe a loadable model).

Example:
    >>> check_config({"class_name": "Dense", "config": {"units": 3}}, None, "'m.keras'")
    >>> check_config({"class_name": "system", "module": "os"}, None, "'m.keras'")
    Traceback (most recent call last):
    ModelFileError: 'm.keras': unknown class 'system' at config ...
"""

from __future__ import annotations

from glassnet.saving.errors import ModelFileError
from glassnet.saving.registry import _CUSTOM

#: Markers in serialized call arguments; they name no class.
SPECIAL_NAMES = {"__tuple__", "__keras_tensor__", "__slice__", "__ellipsis__", "function",
                 "Functional", "DTypePolicy", "FloatDTypePolicy"}
MAX_INT = 2**31 - 1
MAX_DEPTH = 200


def _own(classes) -> set:
    return {cls.__name__ for cls in classes if cls.__module__.startswith("glassnet.")}


_imported = []


def import_all_layers() -> None:
    """Import every module of ``glassnet.layers`` once, so that all of glassnet's own layer
    classes are known (a file may name one that no import has loaded yet).  The module
    list comes from the installed package, never from a file.

    Example:
        >>> import_all_layers()
        >>> "Conv2D" in LAYER_CLASSES
        True
    """
    if _imported:
        return
    import importlib
    import pkgutil

    import glassnet.layers as package

    for module in pkgutil.walk_packages(package.__path__, "glassnet.layers."):
        importlib.import_module(module.name)
    _imported.append(True)


def builtin_class_names() -> set:
    """Lower-cased names of every class glassnet itself may build from a config.

    Example:
        >>> "dense" in builtin_class_names(), "system" in builtin_class_names()
        (True, False)
    """
    from glassnet import initializers, losses, metrics, optimizers, regularizers

    import_all_layers()
    from glassnet.layers.layer import LAYER_CLASSES
    from glassnet.optimizers.optimizer import OPTIMIZER_CLASSES
    from glassnet.optimizers.schedules.learning_rate_schedule import SCHEDULES

    names = _own(LAYER_CLASSES.values()) | _own(OPTIMIZER_CLASSES.values())
    names |= set(initializers.ALL) | set(initializers._CLASS_NAMES)
    names |= set(regularizers.ALL) | set(SCHEDULES) | set(optimizers.ALL)
    names |= {cls.__name__ for cls in losses.CLASSES}
    names |= {cls.__name__ for cls in metrics.CLASSES}
    names |= SPECIAL_NAMES
    from glassnet.saving.functional_config import operation_classes
    names |= set(operation_classes())
    return {name.lower() for name in names}


def is_builtin_layer_class(cls) -> bool:
    """True for layer classes defined by glassnet itself.

    Example:
        >>> is_builtin_layer_class(Dense), is_builtin_layer_class(MyLayer)
        (True, False)
    """
    return cls.__module__.startswith("glassnet.")


def _known_custom(name, custom_objects) -> bool:
    if not isinstance(name, str):
        return False
    if custom_objects and name in custom_objects:
        return True
    if name in _CUSTOM:
        return True
    return any(key.split(">", 1)[-1] == name for key in _CUSTOM)


def check_config(tree, custom_objects, where: str) -> None:
    """Refuse ``tree`` if it names anything not allowed (see the module docstring).

    Example:
        >>> check_config({"class_name": "Dense", "config": {"units": 3}}, None, "'m.keras'")
    """
    allowed = builtin_class_names()
    stack = [(tree, "config", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ModelFileError(f"{where}: the config is nested more than {MAX_DEPTH} levels "
                                 f"deep at {path}.")
        if isinstance(node, bool) or node is None or isinstance(node, (float, str)):
            continue
        if isinstance(node, int):
            if abs(node) > MAX_INT:
                raise ModelFileError(f"{where}: the integer {node} at {path} is out of range "
                                     f"(at most {MAX_INT}).")
            continue
        if isinstance(node, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            raise ModelFileError(f"{where}: unexpected value of type {type(node).__name__} "
                                 f"at {path}.")
        if "class_name" in node:
            _check_object(node, path, allowed, custom_objects, where)
        stack.extend((value, f"{path}.{key}", depth + 1) for key, value in node.items())


def _check_object(node: dict, path: str, allowed: set, custom_objects, where: str) -> None:
    name = node["class_name"]
    if not isinstance(name, str):
        raise ModelFileError(f"{where}: 'class_name' at {path} must be a string; received "
                             f"{name!r}.")
    module = node.get("module")
    if module is not None and not isinstance(module, str):
        raise ModelFileError(f"{where}: 'module' at {path} must be a string; received "
                             f"{module!r}.")
    registered = node.get("registered_name")
    if registered is not None and registered != name and registered != "function":
        if not _known_custom(registered, custom_objects):
            raise ModelFileError(
                f"{where}: {path} names the registered object {registered!r}, which is "
                "neither registered with @glassnet.saving.register_keras_serializable() nor "
                "given in custom_objects. Nothing named in a model file is imported.")
    if name.lower() in allowed or _known_custom(name, custom_objects):
        return
    shown = f"{module}.{name}" if module else name
    raise ModelFileError(
        f"{where}: unknown class {shown!r} at {path}. Only glassnet's own classes, classes "
        "registered with @glassnet.saving.register_keras_serializable() and classes passed "
        "in custom_objects are loaded; nothing named in a model file is imported.")
