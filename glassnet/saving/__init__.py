"""Saving and loading models; the registry of names that may be loaded."""

from glassnet.saving.registry import (CustomObjectScope, get_registered_object,
                                      register_keras_serializable)

__all__ = ["CustomObjectScope", "get_registered_object", "register_keras_serializable"]
