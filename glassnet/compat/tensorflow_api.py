"""The small part of ``tensorflow`` that Keras learner code touches, answered by glassnet.

``tf.keras`` is glassnet; seeding (``tf.random.set_seed``, TF1's ``tf.set_random_seed``,
``tf.compat.v1.set_random_seed``) seeds glassnet; ``tf.constant`` / ``tf.convert_to_tensor``
/ ``tf.Variable`` make glassnet tensors; ``tf.GradientTape`` is glassnet's; a handful of math
functions (``tf.reduce_mean``, ``tf.square``, ``tf.matmul``, ...) are glassnet ops, so
gradients flow through them.  Everything else raises an error that names the API.

Example:
    >>> tf = build("tensorflow")
    >>> tf.reduce_mean(tf.constant([1.0, 3.0])).numpy()
    array(2., dtype=float32)
    >>> tf.data
    Traceback (most recent call last):
    ...
    AttributeError: tensorflow.data is not available in glassnet yet: tf.data pipelines are \
not supported; pass NumPy arrays or a Python generator that yields (x, y) batches to fit().
"""

from __future__ import annotations

import contextlib
import importlib

import numpy as np

from glassnet.compat.modules import ShimModule, lazy, unavailable_message
from glassnet.core import random as _random
from glassnet.core.tape import GradientTape
from glassnet.core.tensor import Tensor, as_array
from glassnet.core.variable import Variable as _GlassnetVariable

VERSION = "glassnet-compat"

float16, float32, float64 = np.float16, np.float32, np.float64
int8, int16, int32, int64, uint8 = np.int8, np.int16, np.int32, np.int64, np.uint8
bool_ = np.bool_


def _dtype(dtype):
    return None if dtype is None else np.dtype(getattr(dtype, "as_numpy_dtype", dtype))


def constant(value, dtype=None, shape=None, name=None) -> Tensor:
    """``tf.constant``: a glassnet Tensor (float32 for Python floats, as in TensorFlow).

    Example:
        >>> constant([[7]]).shape
        (1, 1)
    """
    array = as_array(value, _dtype(dtype))
    if dtype is None and not isinstance(value, (np.ndarray, Tensor)) and array.dtype == np.int64:
        array = array.astype(np.int32)  # TensorFlow makes Python ints int32
    if shape is not None:
        array = np.broadcast_to(array, tuple(shape)).copy()
    return Tensor(array)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> Tensor:
    """``tf.convert_to_tensor``: tensors pass through, anything array-like becomes one.

    Example:
        >>> convert_to_tensor(np.ones(2)).dtype
        dtype('float64')
    """
    if isinstance(value, Tensor) and dtype is None:
        return value
    return Tensor(as_array(value, _dtype(dtype if dtype is not None else None)))


def Variable(initial_value, trainable: bool = True, name: str | None = None,  # noqa: N802
             dtype=None, **kwargs) -> _GlassnetVariable:
    """``tf.Variable``: a glassnet Variable (``assign``, ``assign_sub``, ``numpy()``).

    Example:
        >>> Variable(2.0).assign_sub(0.5).numpy()
        array(1.5, dtype=float32)
    """
    return _GlassnetVariable(initial_value, dtype=_dtype(dtype), trainable=trainable,
                             name=name or "Variable")


def is_tensor(x) -> bool:
    """Whether ``x`` is a glassnet tensor (what ``tf.is_tensor`` means here)."""
    return isinstance(x, Tensor)


def cast(x, dtype) -> Tensor:
    """``tf.cast``: a new tensor of ``dtype`` (not differentiated through)."""
    return Tensor(as_array(x).astype(_dtype(dtype)))


def _ops():
    return importlib.import_module("glassnet.ops")


def reduce_mean(x, axis=None, keepdims: bool = False) -> Tensor:
    """``tf.reduce_mean`` as a recorded glassnet op."""
    return _ops().mean(_tensor(x), axis=axis, keepdims=keepdims)


def reduce_sum(x, axis=None, keepdims: bool = False) -> Tensor:
    """``tf.reduce_sum`` as a recorded glassnet op."""
    return _ops().sum(_tensor(x), axis=axis, keepdims=keepdims)


def reduce_max(x, axis=None, keepdims: bool = False) -> Tensor:
    """``tf.reduce_max`` as a recorded glassnet op."""
    return _ops().max(_tensor(x), axis=axis, keepdims=keepdims)


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor(as_array(x))


def _unary(name: str):
    def function(x, name=None):
        return getattr(_ops(), op_name)(_tensor(x))
    op_name = name
    function.__name__ = name
    function.__doc__ = f"``tf.{name}`` as the recorded glassnet op ``glassnet.ops.{name}``."
    return function


def _binary(name: str):
    def function(x, y, name=None):
        return getattr(_ops(), op_name)(_tensor(x), _tensor(y))
    op_name = name
    function.__name__ = name
    function.__doc__ = f"``tf.{name}`` as the recorded glassnet op ``glassnet.ops.{name}``."
    return function


square, sqrt, exp, log, abs = (_unary(n) for n in ("square", "sqrt", "exp", "log", "abs"))
sigmoid, tanh, relu, negative = (_unary(n) for n in ("sigmoid", "tanh", "relu", "negative"))
add, subtract, multiply, divide = (_binary(n) for n in ("add", "subtract", "multiply",
                                                        "divide"))
maximum, minimum, matmul = (_binary(n) for n in ("maximum", "minimum", "matmul"))


def softmax(logits, axis: int = -1, name=None) -> Tensor:
    """``tf.nn.softmax`` as a recorded glassnet op."""
    return _ops().softmax(_tensor(logits), axis=axis)


def reshape(x, shape, name=None) -> Tensor:
    """``tf.reshape`` as a recorded glassnet op."""
    return _ops().reshape(_tensor(x), tuple(shape))


def transpose(x, perm=None, name=None) -> Tensor:
    """``tf.transpose`` as a recorded glassnet op."""
    return _ops().transpose(_tensor(x), perm)


def concat(values, axis: int, name=None) -> Tensor:
    """``tf.concat`` as a recorded glassnet op."""
    return _ops().concatenate([_tensor(v) for v in values], axis=axis)


def zeros(shape, dtype=float32, name=None) -> Tensor:
    """``tf.zeros``."""
    return Tensor(np.zeros(shape, dtype=_dtype(dtype)))


def ones(shape, dtype=float32, name=None) -> Tensor:
    """``tf.ones``."""
    return Tensor(np.ones(shape, dtype=_dtype(dtype)))


def argmax(x, axis: int = 0, output_type=int64, name=None) -> Tensor:
    """``tf.argmax`` (TensorFlow's default axis is 0)."""
    return Tensor(np.argmax(as_array(x), axis=axis).astype(_dtype(output_type)))


def shape(x, out_type=int32, name=None) -> Tensor:
    """``tf.shape``: the shape as an int tensor."""
    return Tensor(np.asarray(as_array(x).shape, dtype=_dtype(out_type)))


def set_seed(seed: int) -> None:
    """``tf.random.set_seed``: seeds glassnet's generator (initializers, dropout, shuffles).

    Like TensorFlow's, it leaves NumPy's and Python's global random state alone.
    """
    _random.set_state(np.random.default_rng(int(seed)).bit_generator.state)


def uniform(shape, minval=0.0, maxval=1.0, dtype=float32, seed=None, name=None) -> Tensor:
    """``tf.random.uniform`` drawn from glassnet's generator."""
    rng = _random.make_generator(seed)
    return Tensor(rng.uniform(minval, maxval, size=tuple(shape)).astype(_dtype(dtype)))


def normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None) -> Tensor:
    """``tf.random.normal`` drawn from glassnet's generator."""
    rng = _random.make_generator(seed)
    return Tensor(rng.normal(mean, stddev, size=tuple(shape)).astype(_dtype(dtype)))


def function(func=None, **kwargs):
    """``tf.function``: glassnet always runs eagerly, so the function is returned as is."""
    if func is None:
        return lambda f: f
    return func


def device(name: str):
    """``tf.device``: glassnet computes on the CPU; the block runs unchanged."""
    return contextlib.nullcontext()


class PhysicalDevice:
    """What ``tf.config.list_physical_devices`` lists: glassnet has one CPU device."""

    def __init__(self, name: str, device_type: str):
        self.name, self.device_type = name, device_type

    def __repr__(self) -> str:
        return f"PhysicalDevice(name={self.name!r}, device_type={self.device_type!r})"


def list_physical_devices(device_type: str | None = None) -> list:
    """``tf.config.list_physical_devices``: one CPU, never a GPU."""
    if device_type in (None, "CPU"):
        return [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    return []


def enable_op_determinism() -> None:
    """``tf.config.experimental.enable_op_determinism``: glassnet is deterministic already."""


def _no_op(*args, **kwargs) -> None:
    return None


_SUBMODULES = {
    "tensorflow.random": {"set_seed": set_seed, "uniform": uniform, "normal": normal},
    "tensorflow.compat": {},
    "tensorflow.compat.v1": {"set_random_seed": set_seed},
    "tensorflow.compat.v2": {},
    "tensorflow.config": {"list_physical_devices": list_physical_devices,
                          "run_functions_eagerly": _no_op, "set_visible_devices": _no_op},
    "tensorflow.config.experimental": {
        "enable_op_determinism": enable_op_determinism,
        "list_physical_devices": list_physical_devices, "set_memory_growth": _no_op},
    "tensorflow.nn": {"relu": relu, "sigmoid": sigmoid, "tanh": tanh, "softmax": softmax},
    "tensorflow.math": {"reduce_mean": reduce_mean, "reduce_sum": reduce_sum,
                        "reduce_max": reduce_max, "square": square, "sqrt": sqrt, "exp": exp,
                        "log": log, "abs": abs, "sigmoid": sigmoid, "tanh": tanh,
                        "maximum": maximum, "minimum": minimum, "add": add,
                        "subtract": subtract, "multiply": multiply, "divide": divide,
                        "argmax": argmax},
}

def _root_extras() -> dict:
    """The names ``tensorflow`` itself has here (its submodules come from ``_SUBMODULES``)."""
    functions = (constant, convert_to_tensor, Variable, is_tensor, cast, reduce_mean,
                 reduce_sum, reduce_max, square, sqrt, exp, log, abs, sigmoid, tanh, negative,
                 add, subtract, multiply, divide, maximum, minimum, matmul, reshape, transpose,
                 concat, zeros, ones, argmax, shape, function, device)
    extras = {f.__name__: f for f in functions}
    extras.update(GradientTape=GradientTape, Tensor=Tensor, set_random_seed=set_seed,
                  float16=float16, float32=float32, float64=float64, int8=int8, int16=int16,
                  int32=int32, int64=int64, uint8=uint8, bool=bool_)
    return extras


def _with_children(fullname: str, extras: dict) -> dict:
    """``extras`` plus the module's own submodules (imported through the shim on first use)."""
    children = [name for name in list(_SUBMODULES) + ["tensorflow.keras"]
                if name.rpartition(".")[0] == fullname]
    return {**extras, **{name.rpartition(".")[2]: lazy(name) for name in children}}


def build(fullname: str) -> ShimModule:
    """The shim module for ``tensorflow`` or one of its submodules.

    Raises:
        ImportError: a TensorFlow module glassnet does not stand in for (``tensorflow.data``).
    """
    if fullname == "tensorflow":
        module = ShimModule("tensorflow", None, _with_children(fullname, _root_extras()),
                            doc="TensorFlow's learner-facing surface, answered by glassnet.")
        module.__version__ = VERSION
        return module
    if fullname in _SUBMODULES:
        return ShimModule(fullname, None, _with_children(fullname, _SUBMODULES[fullname]))
    raise ImportError(unavailable_message(fullname), name=fullname)
