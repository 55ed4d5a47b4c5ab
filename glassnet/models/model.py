"""Model: a layer that trains.  Three ways to make one, as in Keras:

- functional: ``Model(inputs, outputs)`` from ``Input`` and layer calls;
- subclassed: ``class MyModel(Model)`` with layers made in ``__init__`` and a ``call``;
- ``Sequential`` (its own module), a stack of layers.

Example:
    >>> inputs = Input(shape=(784,))
    >>> hidden = Dense(64, activation="relu")(inputs)
    >>> model = Model(inputs, Dense(10, activation="softmax")(hidden))
    >>> model.predict(np.zeros((2, 784)), verbose=0).shape
    (2, 10)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.tape import no_grad
from glassnet.core.tensor import Tensor
from glassnet.layers.layer import CallContext, Layer
from glassnet.models.functional import FunctionalGraph
from glassnet.training.trainer import Trainer
from glassnet.utils.naming import unique_name


class Model(Trainer, Layer):
    """A trainable layer graph; see the module docstring for the ways to build one."""

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", None)
        outputs = kwargs.pop("outputs", None)
        if args:
            inputs = args[0]
            if len(args) > 1:
                outputs = args[1]
            if len(args) > 2:
                raise TypeError("Model() takes inputs and outputs as positional arguments; "
                                f"received {len(args)} positional arguments.")
        functional = inputs is not None or outputs is not None
        if functional and kwargs.get("name") is None and type(self) is Model:
            kwargs["name"] = unique_name("functional")
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)
        self._graph = None
        if functional:
            if inputs is None or outputs is None:
                raise ValueError("A functional Model needs both inputs and outputs; received "
                                 f"inputs={inputs!r}, outputs={outputs!r}.")
            self._graph = FunctionalGraph(inputs, outputs)
            for layer in self._graph.layers:
                if not any(layer is t for t in self._layers):
                    self._layers.append(layer)
            self.built = True

    # --- structure ------------------------------------------------------------------------
    @property
    def layers(self) -> list:
        if self._graph is not None:
            return list(self._graph.layers)
        return list(self._layers)

    @property
    def inputs(self) -> list:
        if self._graph is None:
            raise AttributeError(f"Model '{self.name}' has no symbolic inputs: it was not built "
                                 "from Input tensors.")
        return list(self._graph.flat_inputs)

    @property
    def outputs(self) -> list:
        if self._graph is None:
            raise AttributeError(f"Model '{self.name}' has no symbolic outputs: it was not "
                                 "built from Input tensors.")
        return list(self._graph.flat_outputs)

    @property
    def input(self):
        inputs = self.inputs
        return inputs[0] if len(inputs) == 1 else inputs

    @property
    def output(self):
        outputs = self.outputs
        return outputs[0] if len(outputs) == 1 else outputs

    @property
    def input_shape(self):
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_names(self) -> list:
        return self._output_names() or []

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer by ``name`` or by position ``index``."""
        if (name is None) == (index is None):
            raise ValueError("Provide exactly one of name or index to get_layer(); received "
                             f"name={name!r}, index={index!r}.")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"Was asked to retrieve layer at index {index} but model "
                                 f"'{self.name}' only has {len(layers)} layers.")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: "
                         f"{[layer.name for layer in layers]}.")

    # --- computing ------------------------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        if self._graph is not None:
            return self._graph.run(inputs, training)
        raise NotImplementedError(
            f"Model '{self.name}' was created by subclassing Model without a call() method. "
            "Define call(self, inputs) or build the model from Input tensors.")

    def build(self, input_shape=None) -> None:
        """Create the weights of a subclassed model by running it once on zeros."""
        if self._graph is not None or input_shape is None:
            self.built = True
            return
        shapes = input_shape if isinstance(input_shape, list) else [input_shape]
        zeros = [Tensor(np.zeros(tuple(1 if d is None else d for d in s), dtype=np.float32))
                 for s in shapes]
        self.built = True
        with no_grad():
            outer = CallContext.training
            CallContext.training = False
            try:
                self.call(zeros[0] if len(zeros) == 1 else zeros)
            finally:
                CallContext.training = outer
        self._build_shape = input_shape

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None) -> None:
        """Print the table of layers, output shapes and parameter counts (as Keras)."""
        from glassnet.utils.summary import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable,
                      layer_range=layer_range)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"
