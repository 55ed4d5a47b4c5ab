"""Saving and loading models and weights; the registry of names that may be loaded.

Example:
    >>> model.save("model.keras")
    >>> model = glassnet.saving.load_model("model.keras")
    >>> @glassnet.saving.register_keras_serializable(package="my_pkg")
    ... class Scale(glassnet.layers.Layer):
    ...     ...
"""

from glassnet.saving.errors import ModelFileError
from glassnet.saving.model_io import load_model, load_weights, model_from_json, save_model, \
    save_weights
from glassnet.saving.registry import (CustomObjectScope, get_registered_object,
                                      register_keras_serializable, registered_name)

#: Keras's lower-case spelling of the scope.
custom_object_scope = CustomObjectScope


def get_registered_name(obj) -> str:
    """The name ``obj`` is registered under ('package>Name'), else its own name.

    Example:
        >>> get_registered_name(Dense)
        'Dense'
    """
    return registered_name(obj) or getattr(obj, "__name__", type(obj).__name__)


__all__ = ["CustomObjectScope", "ModelFileError", "custom_object_scope", "get_registered_name",
           "get_registered_object", "load_model", "load_weights", "model_from_json",
           "register_keras_serializable", "save_model", "save_weights"]
