"""The Metric base class, as in ``keras.metrics.Metric``: state kept in non-trainable
variables, changed by ``update_state`` each batch and read by ``result``.

Metrics run on NumPy arrays (the training loop passes ``y_pred.data``); Tensors are
accepted and read as arrays.  ``result()`` gives a NumPy scalar (an array for metrics
with several thresholds), which formats and converts like a float.

Example:
    >>> class CountPositives(Metric):
    ...     def __init__(self, name="count_positives", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.count = self.add_variable(shape=(), initializer="zeros", name="count")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.count.assign_add(np.sum(np.asarray(y_pred) > 0.5))
    ...     def result(self):
    ...         return self.count.numpy()
"""

from __future__ import annotations

import numpy as np

from glassnet.core.variable import Variable
from glassnet.losses.loss import float_dtype
from glassnet.utils.naming import to_snake_case, unique_name


class Metric:
    """Base class of metrics; subclasses implement ``update_state`` and ``result``.

    Args:
        dtype: the dtype of the state and the result (default floatx, 'float32').
        name: the metric's name, used as its key in the training logs.
    """

    def __init__(self, dtype=None, name: str | None = None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._dtype = float_dtype(dtype)
        self._variables: list = []

    @property
    def dtype(self) -> str:
        return self._dtype.name

    def add_variable(self, shape=(), initializer="zeros", dtype=None, aggregation: str = "sum",
                     name: str | None = None) -> Variable:
        """A non-trainable state variable, reset to its initial value by ``reset_state``."""
        if not hasattr(self, "_variables"):
            raise RuntimeError("You forgot to call `super().__init__()` in the `__init__()` "
                               "method of your Metric. Go add it!")
        shape = tuple(shape) if shape is not None else ()
        dtype = float_dtype(dtype) if dtype is None or np.dtype(dtype).kind == "f" else \
            np.dtype(dtype)
        if initializer in (None, "zeros"):
            value = np.zeros(shape, dtype=dtype)
        else:
            from glassnet import initializers
            value = np.asarray(initializers.get(initializer)(shape, dtype=dtype), dtype=dtype)
        variable = Variable(value, dtype=dtype, trainable=False, name=name or "variable",
                            path=f"{self.name}/{name or 'variable'}")
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name: str | None = None):
        """The older spelling of ``add_variable``."""
        return self.add_variable(shape=shape, initializer=initializer or "zeros", dtype=dtype,
                                 name=name)

    @property
    def variables(self) -> list:
        found = list(self._variables)
        for value in self.__dict__.values():
            if isinstance(value, Metric) and value is not self:
                found.extend(value.variables)
        return found

    def reset_state(self) -> None:
        """Zero every state variable (called at the start of each epoch)."""
        for variable in self.variables:
            variable.data[...] = 0

    def update_state(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def __call__(self, *args, **kwargs):
        """Update with one batch and return the running result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__
