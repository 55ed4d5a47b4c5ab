"""Run Keras / TensorFlow learner code on glassnet unchanged.

``install()`` puts an import hook in place so that ``import tensorflow as tf``,
``from tensorflow import keras``, ``import keras`` and every ``keras.*`` /
``tensorflow.keras.*`` module path the books import (old Keras 2 paths included) resolve to
glassnet.  APIs glassnet does not have raise an ``ImportError`` / ``AttributeError`` that names
them.  Nothing happens on import of this package: the real TensorFlow and Keras stay
untouched until ``install()`` is called (``glassnet run script.py`` calls it for you).

Example:
    >>> import glassnet.compat
    >>> glassnet.compat.install()
    >>> import tensorflow as tf
    >>> from tensorflow import keras
    >>> keras.layers.Dense is __import__("glassnet").layers.Dense
    True
    >>> glassnet.compat.uninstall()
"""

from __future__ import annotations

import sys
import warnings

from glassnet.compat.finder import CompatFinder
from glassnet.compat.modules import ShimModule, unavailable_message

_ROOTS = ("keras", "tensorflow")


def _is_shimmed(name: str) -> bool:
    return name in _ROOTS or name.startswith(tuple(root + "." for root in _ROOTS))


def _finder() -> CompatFinder | None:
    return next((f for f in sys.meta_path if isinstance(f, CompatFinder)), None)


def is_installed() -> bool:
    """Whether ``import keras`` / ``import tensorflow`` currently resolve to glassnet.

    Example:
        >>> is_installed()
        False
    """
    return _finder() is not None


def install() -> None:
    """Answer ``import keras`` / ``import tensorflow`` (and their submodules) with glassnet.

    Calling it again does nothing.  When the real Keras or TensorFlow was imported before,
    the modules already loaded are left alone (objects made from them cannot be mixed with
    glassnet's) and a warning says to restart with the shim installed first.

    Example:
        >>> install()
        >>> import keras
        >>> keras.Sequential.__module__
        'glassnet.models.sequential'
        >>> uninstall()
    """
    if is_installed():
        return
    real = sorted({name.split(".")[0] for name, module in list(sys.modules.items())
                   if _is_shimmed(name) and not isinstance(module, ShimModule)})
    if real:
        warnings.warn(
            f"{' and '.join(real)} {'was' if len(real) == 1 else 'were'} imported before "
            "glassnet.compat.install(), so the glassnet shim was not installed (objects of the "
            "real library cannot be mixed with glassnet's). Install the shim first: restart "
            "the kernel and run `%load_ext glassnet` before importing them.", RuntimeWarning,
            stacklevel=2)
        return
    sys.meta_path.insert(0, CompatFinder())


def uninstall() -> None:
    """Remove the import hook and forget the shim modules; ``import keras`` is Keras again.

    Example:
        >>> install(); uninstall(); is_installed()
        False
    """
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, CompatFinder)]
    for name, module in list(sys.modules.items()):
        if _is_shimmed(name) and isinstance(module, ShimModule):
            del sys.modules[name]


__all__ = ["install", "uninstall", "is_installed", "unavailable_message"]
