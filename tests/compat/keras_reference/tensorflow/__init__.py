"""A test-only ``tensorflow`` for running the book examples on real Keras 3 (torch backend).

TensorFlow is not installed for the reference run; the examples only use ``tf.keras`` and a
few seeding and tensor calls, which this module maps to Keras 3 and PyTorch:

* ``tf.keras`` / ``tensorflow.keras.*`` is ``keras._tf_keras.keras``: the namespace that
  TensorFlow 2.16+ itself exposes as ``tf.keras`` when Keras 3 is installed (it keeps the
  legacy ``preprocessing.text`` / ``preprocessing.image`` modules).
* ``tf.random.set_seed`` / ``tf.set_random_seed`` / ``tf.compat.v1.set_random_seed`` seed
  Python's ``random`` (where Keras 3 draws its default seeds) and PyTorch, not NumPy.
* ``tf.config.experimental.enable_op_determinism`` does nothing; ``tf.constant`` makes a
  NumPy array (Keras accepts those wherever the examples pass a tensor).

Anything else raises an AttributeError, so an example that needs more is noticed.
"""

import importlib
import importlib.abc
import importlib.util
import random as _python_random
import sys
import types

import numpy as _np


__version__ = "2.16.1-reference-stand-in"

keras = importlib.import_module("keras._tf_keras.keras")


class _KerasAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """tensorflow.keras.X -> keras._tf_keras.keras.X (the very same module objects)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.startswith("tensorflow.keras."):
            return importlib.util.spec_from_loader(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        real = "keras._tf_keras.keras." + spec.name[len("tensorflow.keras."):]
        return importlib.import_module(real)

    def exec_module(self, module):
        return None


sys.modules["tensorflow.keras"] = keras
sys.meta_path.insert(0, _KerasAlias())


def set_seed(seed):
    _python_random.seed(seed)
    import torch
    torch.manual_seed(seed)


set_random_seed = set_seed
random = types.SimpleNamespace(set_seed=set_seed)
compat = types.SimpleNamespace(v1=types.SimpleNamespace(set_random_seed=set_seed))
config = types.SimpleNamespace(
    experimental=types.SimpleNamespace(enable_op_determinism=lambda: None))


def constant(value, dtype=None):
    array = _np.asarray(value, dtype=dtype)
    return array.astype(_np.float32) if array.dtype == _np.float64 and dtype is None else array
