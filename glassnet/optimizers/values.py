"""An optimizer's scalars: its step count and its learning rate.

``optimizer.iterations`` is a plain ``int`` that also answers the way a Keras variable does
(``.numpy()``, ``.assign()``).  A float learning rate lives in a float32 Variable (so
``float()``, ``.numpy()`` and ``.assign()`` work, as in Keras); reading the rate of an
optimizer driven by a schedule or a callable gives a ``float`` that says clearly why it
cannot be assigned.

Example:
    >>> from glassnet import optimizers
    >>> opt = optimizers.SGD()
    >>> opt.iterations + 1
    1
    >>> opt.iterations.numpy()
    array(0, dtype=int32)
"""

from __future__ import annotations

import math
import numbers
import struct

import numpy as np

_FLOAT32 = struct.Struct("f")
_pack, _unpack = _FLOAT32.pack, _FLOAT32.unpack


def float32(value: float) -> float:
    """``value`` rounded to float32, as a Python float (a third of np.float32's cost).

    Update coefficients are computed in Python floats; where Keras's float32 rounding
    matters (powers like ``beta_2 ** t`` before ``1 - beta_2 ** t``) they are rounded here.

    Example:
        >>> float32(0.1)
        0.10000000149011612
    """
    return _unpack(_pack(value))[0]


class StepCount(int):
    """An int (the number of applied steps) with ``numpy()``, ``shape`` and ``assign()``.

    Example:
        >>> count = StepCount(3)
        >>> count * 2, count.numpy()
        (6, array(3, dtype=int32))
    """

    def __new__(cls, value: int, variable=None):
        count = super().__new__(cls, value)
        count._variable = variable
        return count

    shape = ()
    dtype = np.dtype(np.int32)

    def numpy(self) -> np.ndarray:
        return np.array(int(self), dtype=np.int32)

    @property
    def value(self) -> int:
        return int(self)

    def assign(self, value) -> None:
        """Set the optimizer's step count (e.g. back to 0)."""
        if self._variable is None:
            raise TypeError(
                "This step count is derived (iterations // gradient_accumulation_steps) and "
                "cannot be assigned. Assign `optimizer.variables[0]` (the raw count) instead.")
        self._variable.assign(int(value))


class LearningRateValue(float):
    """The learning rate a schedule or callable gives at the current step (read-only).

    Example:
        >>> rate = LearningRateValue(0.01, "schedule")
        >>> float(rate), rate.numpy()
        (0.01, array(0.01, dtype=float32))
    """

    def __new__(cls, value: float, source: str = "schedule"):
        rate = super().__new__(cls, value)
        rate._source = source
        return rate

    shape = ()
    dtype = np.dtype(np.float32)

    def numpy(self) -> np.ndarray:
        return np.array(float(self), dtype=np.float32)

    def assign(self, value) -> None:
        if self._source == "schedule":
            raise TypeError(
                "This optimizer's learning rate comes from a LearningRateSchedule, so it "
                "cannot be assigned. Create the optimizer with a float learning_rate to be "
                f"able to change it. Received: value={value!r}")
        raise TypeError(
            "This optimizer's learning rate comes from a callable, so it cannot be assigned "
            "in place; set `optimizer.learning_rate = value` to replace the callable. "
            f"Received: value={value!r}")


def learning_rate_value(value) -> float:
    """A float learning rate from a number, a 0-d array or Tensor; else a clear ValueError.

    Example:
        >>> learning_rate_value(np.float32(0.5))
        0.5
    """
    from glassnet.core.tensor import Tensor

    if isinstance(value, Tensor):  # not getattr(.., "data"): NumPy scalars have .data too
        value = value.data
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise ValueError("Argument `learning_rate` should be a float, a LearningRateSchedule "
                         "or a callable returning the learning rate. "
                         f"Received: learning_rate={value!r}")
    return float(value)


def is_rate_function(value) -> bool:
    """A schedule or a callable taking no arguments, rather than a number.

    Example:
        >>> is_rate_function(lambda: 0.01), is_rate_function(0.01)
        (True, False)
    """
    return callable(value)  # LearningRateSchedule instances are callables too


def make_rate(value, optimizer_name: str):
    """What an optimizer stores: a schedule or callable as is, a number as a Variable.

    Example:
        >>> make_rate(0.01, "adam").path
        'adam/learning_rate'
    """
    from glassnet.core.variable import Variable

    if is_rate_function(value):
        return value
    return Variable(np.float32(learning_rate_value(value)), dtype=np.float32, trainable=False,
                    name="learning_rate", path=f"{optimizer_name}/learning_rate")


def read_rate(rate, count: int):
    """``optimizer.learning_rate``: the Variable itself, or the computed value at ``count``.

    Example:
        >>> float(read_rate(lambda: 0.5, count=3))
        0.5
    """
    from glassnet.optimizers.schedules import LearningRateSchedule

    if hasattr(rate, "assign"):  # the float32 Variable of a float learning rate
        return rate
    if isinstance(rate, LearningRateSchedule):
        return LearningRateValue(float(rate(count)), "schedule")
    return LearningRateValue(float(rate()), "callable")


def current_rate(rate, count: int, decay: float = 0.0) -> float:
    """The rate for the update after ``count`` steps: a float32 value in a Python float.

    ``decay`` is Keras 2's inverse-time decay, ``lr / (1 + decay * count)`` in float32.

    Example:
        >>> current_rate(make_rate(0.1, "sgd"), count=4, decay=0.25)
        0.05000000074505806
    """
    from glassnet.optimizers.schedules import LearningRateSchedule

    if hasattr(rate, "assign"):  # the float32 Variable of a float learning rate
        value = float(rate.data)
    elif isinstance(rate, LearningRateSchedule):
        value = float32(float(rate(count)))
    else:
        value = float32(float(rate()))
    if decay:
        value = float32(value / float32(1.0 + float32(float32(decay) * count)))
    return value
