"""Variable: a named, trainable Tensor whose values change in place (weights, biases).

Example:
    >>> v = Variable(np.zeros((2, 3)), name="kernel")
    >>> v.assign(np.ones((2, 3)))
    >>> v.numpy().sum()
    6.0
"""

from __future__ import annotations

import numpy as np

from glassnet.core.tensor import Tensor, as_array


class Variable(Tensor):
    """A leaf tensor with a name, a ``trainable`` flag and in-place assignment.

    Its ``data`` may be a view into an optimizer's flat parameter buffer, so values are
    always changed with ``assign`` (which writes in place) rather than by rebinding.
    """

    __slots__ = ("name", "path", "_trainable", "_created_trainable", "regularizer", "constraint",
                 "_buffer_owner")

    def __init__(self, initial_value, dtype=None, trainable: bool = True, name: str = "variable",
                 regularizer=None, constraint=None, path: str | None = None):
        value = as_array(initial_value, dtype)
        if dtype is None and value.dtype == np.float64:
            value = value.astype(np.float32)
        super().__init__(np.array(value, copy=True), requires_grad=trainable)
        self.name = name
        self.path = path or name
        self._trainable = trainable
        self._created_trainable = trainable
        self.regularizer = regularizer
        self.constraint = constraint
        self._buffer_owner = None

    @property
    def value(self) -> np.ndarray:
        """The current values (the live array; use ``numpy()`` for a copy)."""
        return self.data

    def _check_shape(self, value: np.ndarray) -> np.ndarray:
        value = as_array(value)
        if value.shape != self.data.shape:
            raise ValueError(
                f"Variable '{self.path}' has shape {self.data.shape}; the value must have the "
                f"same shape. Received: value.shape={value.shape}")
        return value

    def assign(self, value) -> "Variable":
        """Overwrite the values in place (the shape must match)."""
        np.copyto(self.data, self._check_shape(value), casting="unsafe")
        return self

    def _check_broadcast(self, delta) -> np.ndarray:
        delta = as_array(delta)
        try:
            fits = np.broadcast_shapes(self.data.shape, delta.shape) == self.data.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(
                f"Variable '{self.path}' has shape {self.data.shape}; the delta must broadcast "
                f"to it. Received: delta.shape={delta.shape}")
        return delta.astype(self.data.dtype, copy=False)

    def assign_add(self, delta) -> "Variable":
        self.data += self._check_broadcast(delta)
        return self

    def assign_sub(self, delta) -> "Variable":
        self.data -= self._check_broadcast(delta)
        return self

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        self.requires_grad = bool(value)

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, threshold=20, edgeitems=2)
        return (f"<Variable path={self.path}, shape={self.data.shape}, "
                f"dtype={self.data.dtype}, value={body}>")
