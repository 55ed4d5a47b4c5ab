"""Symbolic tensors and graph nodes: how the functional API records ``layer(x)`` calls.

Calling a layer on a :class:`KerasTensor` (from ``Input``) does not compute anything;
it records a :class:`GraphNode` (layer, inputs, outputs) and returns new symbolic
tensors whose ``_keras_history`` points back at that node.  A functional ``Model`` later
replays the nodes on real data.

Arithmetic on symbolic tensors (``x + y``, ``2 * x``, ``x[:, 0]``, ``x @ w``) is recorded
the same way, by a small :class:`Operation` (as Keras records ``keras.ops`` calls): it
is part of the graph and of ``summary()``, but not of ``model.layers``.

Example:
    >>> x = Input(shape=(784,))
    >>> x.shape
    (None, 784)
    >>> y = Dense(10)(x)
    >>> y._keras_history[0].name
    'dense'
    >>> (y * 2.0)._keras_history[0].name
    'multiply'
"""

from __future__ import annotations

import itertools

import numpy as np

_sequence = itertools.count()


def to_tuple_shape(shape) -> tuple:
    return tuple(None if d is None else int(d) for d in shape)


class KerasTensor:
    """A placeholder with a shape (``None`` for unknown sizes, first the batch) and a dtype."""

    def __init__(self, shape, dtype="float32", name: str | None = None):
        self.shape = to_tuple_shape(shape)
        self.dtype = str(np.dtype(dtype)) if dtype not in ("string", "str") else "string"
        if name is None:
            from glassnet.utils.naming import unique_name
            name = unique_name("keras_tensor")  # 'keras_tensor', 'keras_tensor_1', ... as Keras
        self.name = name
        self._keras_history = None  # (layer, node index, tensor index)
        self._keras_mask = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def node(self) -> "GraphNode":
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    def __repr__(self) -> str:
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse=False, "
                f"name={self.name}>")

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "A symbolic KerasTensor (from Input or layer(Input)) has no values. Use it to "
            "build a Model, then call model.predict(data) to get numbers.")

    def __len__(self):
        raise TypeError("A symbolic KerasTensor has no length; its shape is "
                        f"{self.shape}.")

    # Arithmetic records an Operation in the graph, as keras.ops does on KerasTensors.
    def __add__(self, other):
        return Add()(self, other)

    def __radd__(self, other):
        return Add()(other, self)

    def __sub__(self, other):
        return Subtract()(self, other)

    def __rsub__(self, other):
        return Subtract()(other, self)

    def __mul__(self, other):
        return Multiply()(self, other)

    def __rmul__(self, other):
        return Multiply()(other, self)

    def __truediv__(self, other):
        return TrueDivide()(self, other)

    def __rtruediv__(self, other):
        return TrueDivide()(other, self)

    def __neg__(self):
        return Negative()(self)

    def __abs__(self):
        return Absolute()(self)

    def __pow__(self, other):
        return Power()(self, other)

    def __matmul__(self, other):
        return Matmul()(self, other)

    def __rmatmul__(self, other):
        return Matmul()(other, self)

    def __getitem__(self, key):
        return GetItem(key)(self)


def _sorted_keys(mapping: dict) -> list:
    """Dict keys in the order Keras flattens them (sorted), or as given if not sortable."""
    try:
        return sorted(mapping)
    except TypeError:
        return list(mapping)


def flatten_structure(structure) -> list:
    """All leaves of nested lists / tuples / dicts, in order (dicts by sorted key, as
    Keras's ``tree.flatten``)."""
    if isinstance(structure, dict):
        return [leaf for key in _sorted_keys(structure)
                for leaf in flatten_structure(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten_structure(item)]
    return [structure]


def map_structure(fn, structure):
    """Apply ``fn`` to every leaf, keeping the nesting; leaves are visited in the order of
    :func:`flatten_structure`, so ``fn`` may consume an iterator of flat values."""
    if isinstance(structure, dict):
        mapped = {key: map_structure(fn, structure[key]) for key in _sorted_keys(structure)}
        return {key: mapped[key] for key in structure}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, item) for item in structure)
    return fn(structure)


def pack_like(structure, flat: list):
    """Put the values of ``flat`` into the nesting of ``structure`` (inverse of flatten);
    dicts come out with sorted keys, as from Keras's ``tree.pack_sequence_as``."""
    values = iter(flat)

    def pack(node):
        if isinstance(node, dict):
            return {key: pack(node[key]) for key in _sorted_keys(node)}
        if isinstance(node, (list, tuple)):
            return type(node)(pack(item) for item in node)
        return next(values)

    return pack(structure)


def is_symbolic(structure) -> bool:
    return any(isinstance(leaf, KerasTensor) for leaf in flatten_structure(structure))


class GraphNode:
    """One call of a layer on symbolic tensors: ``outputs = layer(*args, **kwargs)``."""

    def __init__(self, layer, call_args: tuple, call_kwargs: dict, outputs):
        self.layer = layer
        self.call_args = call_args
        self.call_kwargs = call_kwargs
        self.outputs = outputs
        self.input_tensors = [t for t in flatten_structure((call_args, call_kwargs))
                              if isinstance(t, KerasTensor)]
        self.output_tensors = flatten_structure(outputs)
        self.seq = next(_sequence)

    @property
    def parent_nodes(self) -> list:
        return [t.node for t in self.input_tensors if t._keras_history is not None]

    @property
    def is_input(self) -> bool:
        return not self.input_tensors


# --- operations on symbolic tensors ------------------------------------------------------------
class Operation:
    """An op applied to symbolic tensors (``x + y``): recorded as a graph node like a layer
    call, replayed on real tensors with the matching glassnet op.  It has no weights and
    is not one of ``model.layers`` (as in Keras).

    Example:
        >>> z = Input(shape=(3,)) * 2.0
        >>> type(z._keras_history[0]).__name__
        'Multiply'
    """

    trainable = False
    built = True
    weights: list = []
    trainable_weights: list = []
    non_trainable_weights: list = []
    _layers: list = []
    _own_variables: list = []
    _losses: list = []

    def __init__(self):
        from glassnet.utils.naming import to_snake_case, unique_name
        self.name = unique_name(to_snake_case(type(self).__name__))
        self._inbound_nodes: list = []

    def compute(self, *args):
        """The result on real tensors (or NumPy arrays, for shape inference)."""
        raise NotImplementedError

    def count_params(self) -> int:
        return 0

    def _flatten_layers(self, include_self: bool = True) -> list:
        return [self] if include_self else []

    def __call__(self, *args):
        if not is_symbolic(args):
            return self.compute(*args)
        output = KerasTensor(self._output_shape(args), self._output_dtype(args))
        node = GraphNode(self, args, {}, output)
        output._keras_history = (self, len(self._inbound_nodes), 0)
        self._inbound_nodes.append(node)
        return output

    def _output_dtype(self, args) -> str:
        dtypes = [np.dtype(a.dtype) for a in args if isinstance(a, KerasTensor)]
        return str(np.result_type(*dtypes))

    def _output_shape(self, args) -> tuple:
        """Run the NumPy form on ones; a size that follows an unknown size becomes None."""
        def trial(size):
            def make(a):
                if not isinstance(a, KerasTensor):
                    return a
                return np.ones(tuple(size if d is None else d for d in a.shape), np.float32)
            with np.errstate(all="ignore"):
                return np.shape(self.compute(*[make(a) for a in args]))

        first, second = trial(2), trial(3)
        if len(first) != len(second):
            raise ValueError(f"Cannot infer the output shape of '{self.name}' for inputs "
                             f"{[getattr(a, 'shape', a) for a in args]}.")
        return tuple(a if a == b else None for a, b in zip(first, second))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def _ops():
    from glassnet import ops  # imported late: ops need tensors, tensors need this module
    return ops


def _numpy(*args) -> bool:
    return all(not hasattr(a, "node") for a in args)


class Add(Operation):
    """``a + b`` in a functional graph."""

    def compute(self, a, b):
        return np.add(a, b) if _numpy(a, b) else _ops().add(a, b)


class Subtract(Operation):
    """``a - b`` in a functional graph."""

    def compute(self, a, b):
        return np.subtract(a, b) if _numpy(a, b) else _ops().subtract(a, b)


class Multiply(Operation):
    """``a * b`` in a functional graph."""

    def compute(self, a, b):
        return np.multiply(a, b) if _numpy(a, b) else _ops().multiply(a, b)


class TrueDivide(Operation):
    """``a / b`` in a functional graph."""

    def compute(self, a, b):
        return np.true_divide(a, b) if _numpy(a, b) else _ops().divide(a, b)


class Negative(Operation):
    """``-x`` in a functional graph."""

    def compute(self, x):
        return np.negative(x) if _numpy(x) else _ops().negative(x)


class Absolute(Operation):
    """``abs(x)`` in a functional graph."""

    def compute(self, x):
        return np.abs(x) if _numpy(x) else _ops().abs(x)


class Power(Operation):
    """``x ** exponent`` in a functional graph."""

    def compute(self, x, exponent):
        return np.power(x, exponent) if _numpy(x, exponent) else _ops().power(x, exponent)


class Matmul(Operation):
    """``a @ b`` in a functional graph."""

    def compute(self, a, b):
        return np.matmul(a, b) if _numpy(a, b) else _ops().matmul(a, b)


class GetItem(Operation):
    """``x[key]`` in a functional graph."""

    def __init__(self, key):
        super().__init__()
        self.key = key

    def compute(self, x):
        return x[self.key] if _numpy(x) else _ops().get_item(x, self.key)
