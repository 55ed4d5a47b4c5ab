"""The import hook: ``keras``, ``tensorflow.keras`` and ``tensorflow`` answered by glassnet.

:class:`CompatFinder` sits first on ``sys.meta_path`` while the shim is installed.  For a
Keras module path it builds a :class:`~glassnet.compat.modules.ShimModule` over the glassnet
module of the same layout (``keras.layers.core`` -> ``glassnet.layers.core``), or over the
glassnet module an old path moved to (``keras.layers.recurrent`` -> ``glassnet.layers.rnn``).
``tensorflow`` itself is the small surface in :mod:`glassnet.compat.tensorflow_api`.  A path
with no glassnet counterpart raises an ``ImportError`` naming it.

Example:
    >>> finder = CompatFinder()
    >>> finder.find_spec("keras.layers").name
    'keras.layers'
    >>> finder.find_spec("numpy") is None
    True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import pkgutil
import types
from functools import partial

from glassnet.compat.modules import ShimModule, lazy, unavailable_message

#: The prefixes under which a Keras API lives.
KERAS_ROOTS = ("keras", "tensorflow.keras", "tensorflow.python.keras")

#: Keras module paths (relative to the root) whose glassnet module has another name:
#: mostly Keras 2 / tf.keras paths that the books still import.
MODULE_ALIASES = {
    "layers.recurrent": "glassnet.layers.rnn",
    "layers.embeddings": "glassnet.layers.core.embedding",
    "layers.advanced_activations": "glassnet.layers.activations",
    "layers.merge": "glassnet.layers",
    "utils.vis_utils": "glassnet.utils.model_visualization",
    "utils.data_utils": "glassnet.utils",
    "optimizers.legacy": "glassnet.optimizers",
    "optimizer_v2": "glassnet.optimizers",
    "engine": "glassnet.models",
    "engine.sequential": "glassnet.models.sequential",
    "engine.training": "glassnet.models.model",
    "src": None,  # Keras 3's private tree has no stable layout to mirror
}

_IMAGE_UTILS = "glassnet.utils.image_utils"

#: Names a Keras module has that its glassnet module does not export (yet).
EXTRAS = {
    "utils": {
        "plot_model": lazy("glassnet.utils.model_visualization", "plot_model"),
        "model_to_dot": lazy("glassnet.utils.model_visualization", "model_to_dot"),
        "load_img": lazy(_IMAGE_UTILS, "load_img"),
        "img_to_array": lazy(_IMAGE_UTILS, "img_to_array"),
        "array_to_img": lazy(_IMAGE_UTILS, "array_to_img"),
        "save_img": lazy(_IMAGE_UTILS, "save_img"),
    },
}


def _import_glassnet(name: str) -> types.ModuleType | None:
    """The glassnet module ``name``, or None when it (or a parent package) does not exist."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if missing == name or name.startswith(missing + "."):
            return None
        raise


def _glassnet_name(relative: str) -> str | None:
    if relative in MODULE_ALIASES:
        return MODULE_ALIASES[relative]
    return "glassnet." + relative if relative else "glassnet"


def _glassnet_module_exists(relative: str) -> bool:
    name = _glassnet_name(relative)
    if name is None:
        return False
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _keras_submodule(fullname: str, relative: str, attr: str):
    child = f"{relative}.{attr}" if relative else attr
    if _glassnet_module_exists(child):
        return importlib.import_module(f"{fullname}.{attr}")
    return None


def _find_in_package(package: types.ModuleType, attr: str):
    """``attr`` defined somewhere inside ``package`` but not exported by it (yet).

    Only public classes and functions that glassnet itself defines there count, so a
    module-level ``np`` is never mistaken for a Keras name.
    """
    if attr.startswith("_") or not hasattr(package, "__path__"):
        raise AttributeError(attr)
    prefix = package.__name__ + "."
    for info in pkgutil.walk_packages(package.__path__, prefix, onerror=lambda name: None):
        try:
            module = importlib.import_module(info.name)
        except Exception:  # a module that does not import cannot provide the name
            continue
        value = module.__dict__.get(attr)
        if isinstance(value, (type, types.FunctionType)) and \
                getattr(value, "__module__", "").startswith(prefix):
            return value
    raise AttributeError(attr)


def keras_module(fullname: str, relative: str) -> ShimModule:
    """The shim module for the Keras path ``fullname`` (``relative`` to its Keras root).

    Example:
        >>> keras_module("keras.utils.np_utils", "utils.np_utils").to_categorical([1]).shape
        (1, 2)
    """
    glassnet_name = _glassnet_name(relative)
    target = _import_glassnet(glassnet_name) if glassnet_name else None
    extras = EXTRAS.get(relative)
    if target is None and extras is None:
        raise ImportError(unavailable_message(fullname), name=fullname)
    # Names defined in a subpackage but not exported yet are found there; the root package
    # is not searched (that would import all of glassnet for every missing name).
    search = target is not None and relative != ""
    module = ShimModule(fullname, target, extras=extras,
                        fallback=partial(_find_in_package, target) if search else None,
                        submodule=partial(_keras_submodule, fullname, relative))
    if not relative:
        from glassnet.version import __version__
        module.__version__ = __version__
    return module


def build_module(fullname: str) -> types.ModuleType | None:
    """The shim module for ``fullname``, None when the shim does not handle that name.

    Raises:
        ImportError: a Keras / TensorFlow module path glassnet does not have.
    """
    for root in KERAS_ROOTS:
        if fullname == root or fullname.startswith(root + "."):
            return keras_module(fullname, fullname[len(root) + 1:])
    if fullname == "tensorflow" or fullname.startswith("tensorflow."):
        from glassnet.compat import tensorflow_api
        return tensorflow_api.build(fullname)
    return None


class _ShimLoader(importlib.abc.Loader):
    def __init__(self, module: types.ModuleType):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module) -> None:
        return None


class CompatFinder(importlib.abc.MetaPathFinder):
    """Finds ``keras``, ``keras.*``, ``tensorflow`` and ``tensorflow.*`` in glassnet."""

    def find_spec(self, fullname: str, path=None, target=None):
        if fullname.split(".", 1)[0] not in ("keras", "tensorflow"):
            return None
        module = build_module(fullname)
        if module is None:
            return None
        return importlib.util.spec_from_loader(fullname, _ShimLoader(module), is_package=True)
