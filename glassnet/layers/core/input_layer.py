"""Input and InputLayer: where a model's data enters, with its shape.

Example:
    >>> x = Input(shape=(28, 28))
    >>> x.shape
    (None, 28, 28)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.symbolic import GraphNode, KerasTensor, to_tuple_shape
from glassnet.layers.layer import Layer


class InputLayer(Layer):
    """The layer behind ``Input``: it has no weights and one symbolic output."""

    integer_inputs = True

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        if "input_shape" in kwargs and shape is None:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs and batch_shape is None:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("ragged", None)
        super().__init__(name=name, dtype=dtype if dtype not in ("string", "str") else None,
                         **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("Input takes either `shape` or `batch_shape`, not both; received "
                             f"shape={shape}, batch_shape={batch_shape}.")
        if batch_shape is not None:
            batch_shape = to_tuple_shape(batch_shape)
        elif shape is not None:
            if isinstance(shape, (int, np.integer)):
                shape = (int(shape),)
            batch_shape = (batch_size,) + to_tuple_shape(shape)
        else:
            raise ValueError("Input needs a `shape`, e.g. Input(shape=(784,)); received "
                             "shape=None.")
        for d in batch_shape[1:]:
            if d is not None and d <= 0:
                raise ValueError(f"Input shape dimensions must be positive; received "
                                 f"shape={batch_shape[1:]}.")
        self._batch_shape = batch_shape
        self._input_dtype = "string" if dtype in ("string", "str") else str(
            np.dtype(dtype or "float32"))
        self.sparse = bool(sparse)
        self.optional = optional
        self.built = True
        output = KerasTensor(batch_shape, self._input_dtype, name=self.name)
        node = GraphNode(self, (), {}, output)
        output._keras_history = (self, 0, 0)
        self._inbound_nodes.append(node)
        self._output = output

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return self._batch_shape

    def get_config(self) -> dict:
        return {"batch_shape": list(self._batch_shape), "dtype": self._input_dtype,
                "sparse": self.sparse, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False):
    """A symbolic input with ``shape`` (without the batch size), to start a functional model
    or as the first element of ``Sequential([...])``."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, optional=optional)
    return layer._output
