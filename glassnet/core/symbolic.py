"""Symbolic tensors and graph nodes: how the functional API records ``layer(x)`` calls.

Calling a layer on a :class:`KerasTensor` (from ``Input``) does not compute anything;
it records a :class:`GraphNode` (layer, inputs, outputs) and returns new symbolic
tensors whose ``_keras_history`` points back at that node.  A functional ``Model`` later
replays the nodes on real data.

Example:
    >>> x = Input(shape=(784,))
    >>> x.shape
    (None, 784)
    >>> y = Dense(10)(x)
    >>> y._keras_history[0].name
    'dense'
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
        self.name = name or f"keras_tensor_{next(_sequence)}"
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


def flatten_structure(structure) -> list:
    """All leaves of nested lists / tuples / dicts, in order."""
    if isinstance(structure, dict):
        return [leaf for key in structure for leaf in flatten_structure(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten_structure(item)]
    return [structure]


def map_structure(fn, structure):
    """Apply ``fn`` to every leaf, keeping the nesting."""
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, item) for item in structure)
    return fn(structure)


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
