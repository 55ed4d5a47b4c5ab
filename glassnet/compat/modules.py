"""The module objects behind ``import keras`` / ``import tensorflow`` under the shim.

A :class:`ShimModule` stands for one Keras or TensorFlow module path (``keras.layers``,
``tensorflow.keras.utils``, ``tensorflow.random``).  Reading an attribute looks, in order, at
the names the shim adds itself, at the glassnet module it stands for, and at the shim's
submodules; a name found nowhere raises an ``AttributeError`` that names the API and says it
is not in glassnet yet, instead of some unrelated error later on.

Example:
    >>> import glassnet.layers
    >>> layers = ShimModule("keras.layers", glassnet.layers)
    >>> layers.Dense is glassnet.layers.Dense
    True
    >>> layers.NotALayer
    Traceback (most recent call last):
    ...
    AttributeError: keras.layers.NotALayer is not available in glassnet yet.
"""

from __future__ import annotations

import importlib
import types
from typing import Callable

#: Why some APIs are missing and what to do instead, by the start of their dotted name
#: (the Keras / TensorFlow root is left out, so 'applications' covers keras.applications,
#: tensorflow.keras.applications and everything below them).
HINTS = {
    "applications": "pretrained ImageNet models (VGG16, ResNet50, ...) are not part of "
                    "glassnet; build the network from layers, or use Keras for transfer learning",
    "data": "tf.data pipelines are not supported; pass NumPy arrays or a Python generator "
            "that yields (x, y) batches to fit()",
    "Session": "TF1 graph code (Session, placeholder, global_variables_initializer) is not "
               "supported; glassnet runs eagerly, as TF2 does",
    "placeholder": "TF1 graph code (Session, placeholder) is not supported; glassnet runs "
                   "eagerly, as TF2 does",
    "compat.v1.Session": "TF1 graph code (Session, placeholder) is not supported; glassnet "
                         "runs eagerly, as TF2 does",
    "compat.v1.placeholder": "TF1 graph code (Session, placeholder) is not supported; "
                             "glassnet runs eagerly, as TF2 does",
    "train": "TF1 optimizers (tf.train.*) are not supported; use keras.optimizers",
    "strings": "string tensors (tf.strings) are not supported; prepare text with "
               "keras.preprocessing.text.Tokenizer and pad_sequences",
    "image": "tf.image is not supported; resize images with keras.utils.load_img("
             "target_size=...) or Pillow",
    "distribute": "distribution strategies are not supported; glassnet trains on one CPU",
    "mixed_precision": "mixed precision is not supported; glassnet computes in float32",
    "wrappers": "the scikit-learn wrappers (KerasClassifier, KerasRegressor) are not in "
                "glassnet yet; loop over KFold / StratifiedKFold splits by hand",
    "utils.image_dataset_from_directory": "use keras.preprocessing.image.ImageDataGenerator()"
                                          ".flow_from_directory(...) instead",
    "utils.text_dataset_from_directory": "read the files into a list of strings and use "
                                         "Tokenizer and pad_sequences",
    "utils.timeseries_dataset_from_array": "build the windows with NumPy slicing",
    "utils.get_file": "downloads through get_file are not supported; download the file "
                      "yourself and pass its path",
    "layers.TextVectorization": "use keras.preprocessing.text.Tokenizer and pad_sequences",
}

_ROOTS = ("tensorflow.keras.", "tensorflow.", "keras.")


def unavailable_message(api: str) -> str:
    """The message for an API glassnet does not have, with a hint when there is one.

    Example:
        >>> unavailable_message("tensorflow.data.Dataset")  # doctest: +ELLIPSIS
        'tensorflow.data.Dataset is not available in glassnet yet: tf.data pipelines ...'
    """
    relative = api
    for root in _ROOTS:
        if api.startswith(root):
            relative = api[len(root):]
            break
    parts = relative.split(".")
    for end in range(len(parts), 0, -1):
        hint = HINTS.get(".".join(parts[:end]))
        if hint:
            return f"{api} is not available in glassnet yet: {hint}."
    return f"{api} is not available in glassnet yet."


class ShimModule(types.ModuleType):
    """A Keras / TensorFlow module path answered by glassnet.

    Args:
        name: the module's name as user code imports it ('keras.layers').
        target: the glassnet module it stands for, or None (a pure shim module).
        extras: names the shim adds: values, or zero-argument callables (``lazy``) that
            produce the value on first use.
        fallback: called with a missing name before giving up; returns the value or raises
            ``AttributeError`` (used to find layers in glassnet modules not exported yet).
        submodule: called with a missing name; returns the submodule or None.

    Example:
        >>> tf_random = ShimModule("tensorflow.random", None, {"answer": 42})
        >>> tf_random.answer
        42
    """

    def __init__(self, name: str, target: types.ModuleType | None = None,
                 extras: dict | None = None, fallback: Callable | None = None,
                 submodule: Callable | None = None, doc: str | None = None):
        super().__init__(name, doc or (target.__doc__ if target is not None else None))
        self.__path__ = []  # a package, so `import keras.layers.core` reaches the finder
        self._glassnet_target = target
        self._glassnet_extras = dict(extras or {})
        self._glassnet_fallback = fallback
        self._glassnet_submodule = submodule

    def __getattr__(self, attr: str):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")
        value = self._glassnet_resolve(attr)
        # Keep what was found, so the next read is a plain attribute lookup.
        setattr(self, attr, value)
        return value

    def _glassnet_resolve(self, attr: str):
        extras = self._glassnet_extras
        if attr in extras:
            value = extras[attr]
            return value() if isinstance(value, lazy) else value
        target = self._glassnet_target
        if target is not None:
            try:
                value = getattr(target, attr)
            except (AttributeError, ImportError):
                pass
            else:
                if not isinstance(value, types.ModuleType):
                    return value
        # A module answers as a shim module of its own, so its missing names are reported too.
        submodule = self._glassnet_submodule(attr) if self._glassnet_submodule else None
        if submodule is not None:
            return submodule
        if self._glassnet_fallback is not None:
            try:
                return self._glassnet_fallback(attr)
            except AttributeError:
                pass
        raise AttributeError(unavailable_message(f"{self.__name__}.{attr}"))

    def __dir__(self):
        names = {n for n in self.__dict__ if not n.startswith("_glassnet")}
        names |= set(self._glassnet_extras)
        if self._glassnet_target is not None:
            names |= {n for n in dir(self._glassnet_target) if not n.startswith("_")}
        return sorted(names)

    def __repr__(self) -> str:
        target = self._glassnet_target
        where = f" (glassnet: {target.__name__})" if target is not None else " (glassnet shim)"
        return f"<module {self.__name__!r}{where}>"


class lazy:
    """A value computed on first use: ``lazy("glassnet.utils.image_utils", "load_img")``.

    Example:
        >>> lazy("math", "pi")()
        3.141592653589793
    """

    def __init__(self, module: str, attribute: str | None = None):
        self.module, self.attribute = module, attribute

    def __call__(self):
        module = importlib.import_module(self.module)
        return module if self.attribute is None else getattr(module, self.attribute)
