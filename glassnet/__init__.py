"""glassnet: Keras's API on a from-scratch NumPy engine you can see inside.

``import glassnet as keras`` and book code runs unchanged::

    import glassnet as keras
    model = keras.Sequential([keras.layers.Dense(50, activation="sigmoid",
                                                 input_shape=(784,)),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])

Submodules (``layers``, ``models``, ``optimizers``, ``datasets``, ...) load on first use.
"""

from __future__ import annotations

import importlib

from glassnet.version import __version__
from glassnet.core.tensor import Tensor
from glassnet.core.variable import Variable
from glassnet.core.tape import GradientTape, backward, grad, no_grad
from glassnet.layers import Input, Layer
from glassnet.models import Model, Sequential

_SUBMODULES = {
    "activations", "applications", "backend", "callbacks", "compat", "config", "constraints",
    "datasets", "distribute", "initializers", "inspect", "layers", "losses", "metrics",
    "models", "ops", "optimizers", "plot", "preprocessing", "random", "regularizers",
    "saving", "scratch", "utils",
}


def load_ipython_extension(ipython) -> None:
    """``%load_ext glassnet``: Keras / TensorFlow imports in the next cells use glassnet."""
    from glassnet.compat.ipython import load_ipython_extension as load
    load(ipython)


def unload_ipython_extension(ipython) -> None:
    """``%unload_ext glassnet``: undo ``%load_ext glassnet``."""
    from glassnet.compat.ipython import unload_ipython_extension as unload
    unload(ipython)


def __getattr__(name: str):
    if name == "gradcheck":
        from glassnet.inspect.gradcheck import gradcheck
        return gradcheck
    if name in _SUBMODULES:
        module = importlib.import_module(f"glassnet.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'glassnet' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)


__all__ = ["__version__", "Tensor", "Variable", "GradientTape", "backward", "grad", "no_grad",
           "Input", "Layer", "Model", "Sequential"]
