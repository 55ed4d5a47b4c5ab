"""Which classes and functions may be built from a name (in a config or a model file).

Only objects in this registry (glassnet's own layers, losses, ... and what the user
registers with ``register_keras_serializable``) can ever be instantiated by name.

Example:
    >>> @register_keras_serializable(package="my_pkg")
    ... class Scale(Layer):
    ...     ...
    >>> find_registered("my_pkg>Scale") is Scale
    True
"""

from __future__ import annotations

_CUSTOM: dict = {}  # "package>Name" -> object
_NAMES: dict = {}  # id(object) -> "package>Name"


def register_keras_serializable(package: str = "Custom", name: str | None = None):
    """Decorator: make a custom layer, loss, metric or function loadable by name.

    Example:
        >>> @register_keras_serializable(package="my_pkg")
        ... def cube(x):
        ...     return x * x * x
        >>> registered_name(cube)
        'my_pkg>cube'
    """

    def decorate(obj):
        key = f"{package}>{name or obj.__name__}"
        if key in _CUSTOM and _CUSTOM[key] is not obj:
            raise ValueError(f"{key!r} is already registered to {_CUSTOM[key]!r}.")
        _CUSTOM[key] = obj
        _NAMES[id(obj)] = key
        return obj

    return decorate


def registered_name(obj) -> str | None:
    """The registered name of ``obj`` ('package>Name'), or None.

    Example:
        >>> registered_name(len) is None
        True
    """
    return _NAMES.get(id(obj))


def find_registered(name: str):
    """The object registered as ``name`` ('package>Name' or just 'Name'), or None.

    Example:
        >>> find_registered("my_pkg>cube") is find_registered("cube") is cube
        True
    """
    if name in _CUSTOM:
        return _CUSTOM[name]
    matches = [obj for key, obj in _CUSTOM.items() if key.split(">", 1)[-1] == name]
    return matches[0] if len(matches) == 1 else None


class CustomObjectScope:
    """``with CustomObjectScope({'MyLayer': MyLayer}): ...`` makes names loadable for a while.

    Example:
        >>> with CustomObjectScope({"MyLayer": MyLayer}):
        ...     model = model_from_json(text)
    """

    def __init__(self, custom_objects: dict | None):
        self.custom_objects = dict(custom_objects or {})
        self._added: list = []

    def __enter__(self):
        for name, obj in self.custom_objects.items():
            if name not in _CUSTOM:
                _CUSTOM[name] = obj
                self._added.append(name)
        return self

    def __exit__(self, *exc):
        for name in self._added:
            _CUSTOM.pop(name, None)
        self._added.clear()


def get_registered_object(name: str, custom_objects: dict | None = None):
    """Look ``name`` up in ``custom_objects`` first, then in the registry.

    Example:
        >>> get_registered_object("MyLayer", {"MyLayer": MyLayer}) is MyLayer
        True
    """
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return find_registered(name)
