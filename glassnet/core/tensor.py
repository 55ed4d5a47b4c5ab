"""Tensor: a NumPy array that remembers which op made it.

A Tensor holds ``data`` (a NumPy array), an optional ``grad`` filled in by
:func:`glassnet.backward`, and ``node``: the op call that produced it, so the
gradient can be traced back.  Tensors made from plain arrays are leaves.

Example:
    >>> import glassnet as gn
    >>> x = gn.Tensor([[1.0, 2.0]], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad
    array([[2., 4.]], dtype=float32)
"""

from __future__ import annotations

import itertools

import numpy as np

_sequence = itertools.count()


def as_array(value, dtype=None) -> np.ndarray:
    """Return ``value`` as a NumPy array; Python floats become float32 as in Keras."""
    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, np.ndarray):
        return value if dtype is None else value.astype(dtype, copy=False)
    if isinstance(value, np.generic):  # NumPy scalars keep their dtype (np.float64 too)
        return np.asarray(value, dtype=dtype)
    if dtype is None and isinstance(value, (float, list, tuple)):
        array = np.asarray(value)
        if array.dtype == np.float64:
            return array.astype(np.float32)
        return array
    return np.asarray(value, dtype=dtype)


class Node:
    """One recorded op call: the op (holding its intermediates) and its input tensors.

    ``seq`` grows with every call, so sorting nodes by ``seq`` descending is a valid
    reverse topological order: an op's inputs always exist before its outputs.
    """

    __slots__ = ("op", "inputs", "n_outputs", "seq")

    def __init__(self, op, inputs, n_outputs: int):
        self.op = op
        self.inputs = inputs
        self.n_outputs = n_outputs
        self.seq = next(_sequence)


class Tensor:
    """An array with gradient bookkeeping.

    Attributes:
        data: the NumPy array.
        grad: the gradient stored by ``backward()`` (leaves only), else None.
        requires_grad: whether gradients flow back through this tensor.
        node: the :class:`Node` that produced it (None for leaves).
        index: which output of ``node`` this tensor is.
    """

    __slots__ = ("data", "grad", "requires_grad", "node", "index", "_keras_mask", "__weakref__")
    __array_priority__ = 100

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        self.data = as_array(data, dtype)
        self.grad = None
        self.requires_grad = requires_grad
        self.node = None
        self.index = 0
        self._keras_mask = None

    # --- array-like surface -------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def op_label(self) -> str:
        """Name of the op that produced this tensor ('leaf' for inputs and variables)."""
        if self.node is None:
            return "leaf"
        return getattr(self.node.op, "label", type(self.node.op).__name__) if self.node.op else "freed"

    def numpy(self) -> np.ndarray:
        """The values as a NumPy array (a copy, so later updates do not change it)."""
        return self.data.copy()

    def item(self):
        return self.data.item()

    def __array__(self, dtype=None, copy=None):
        if dtype is not None:
            return self.data.astype(dtype)
        return self.data

    def __len__(self) -> int:
        return len(self.data)

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __format__(self, spec: str) -> str:
        """``f"{loss:.4f}"`` formats the value, as for a NumPy scalar."""
        if not spec:
            return repr(self)
        return format(self.data.item() if self.data.size == 1 else self.data, spec)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, threshold=20, edgeitems=2)
        text = f"Tensor({body}, op={self.op_label}"
        if self.grad is not None:
            grad = np.array2string(np.asarray(self.grad), precision=4, threshold=20, edgeitems=2)
            text += f", grad={grad}"
        return text + ")"

    # --- autograd -----------------------------------------------------------------------
    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Back-propagate from this tensor and store ``.grad`` on every leaf that needs one."""
        from glassnet.core.tape import backward

        backward(self, grad, retain_graph=retain_graph)

    def detach(self) -> "Tensor":
        return Tensor(self.data)

    # --- operators (each one is a recorded op) ------------------------------------------
    def __add__(self, other):
        from glassnet.ops.elementwise import add
        return add(self, other)

    def __radd__(self, other):
        from glassnet.ops.elementwise import add
        return add(other, self)

    def __sub__(self, other):
        from glassnet.ops.elementwise import subtract
        return subtract(self, other)

    def __rsub__(self, other):
        from glassnet.ops.elementwise import subtract
        return subtract(other, self)

    def __mul__(self, other):
        from glassnet.ops.elementwise import multiply
        return multiply(self, other)

    def __rmul__(self, other):
        from glassnet.ops.elementwise import multiply
        return multiply(other, self)

    def __truediv__(self, other):
        from glassnet.ops.elementwise import divide
        return divide(self, other)

    def __rtruediv__(self, other):
        from glassnet.ops.elementwise import divide
        return divide(other, self)

    def __neg__(self):
        from glassnet.ops.elementwise import negative
        return negative(self)

    def __pow__(self, exponent):
        from glassnet.ops.elementwise import power
        return power(self, exponent)

    def __matmul__(self, other):
        from glassnet.ops.matmul import matmul
        return matmul(self, other)

    def __rmatmul__(self, other):
        from glassnet.ops.matmul import matmul
        return matmul(other, self)

    def __getitem__(self, key):
        from glassnet.ops.shape import get_item
        return get_item(self, key)

    def __lt__(self, other):
        return Tensor(self.data < as_array(other))

    def __le__(self, other):
        return Tensor(self.data <= as_array(other))

    def __gt__(self, other):
        return Tensor(self.data > as_array(other))

    def __ge__(self, other):
        return Tensor(self.data >= as_array(other))

    __hash__ = object.__hash__

    def sum(self, axis=None, keepdims=False):
        from glassnet.ops.reduce import sum as reduce_sum
        return reduce_sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        from glassnet.ops.reduce import mean
        return mean(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape):
        from glassnet.ops.shape import reshape
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return reshape(self, shape)

    @property
    def T(self):
        from glassnet.ops.shape import transpose
        return transpose(self)
