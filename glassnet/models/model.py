"""Model: a layer that trains.  Three ways to make one, as in Keras:

- functional: ``Model(inputs, outputs)`` from ``Input`` and layer calls, with lists or dicts
  of inputs and outputs, shared layers and nested models;
- subclassed: ``class MyModel(Model)`` with layers made in ``__init__`` and a ``call``;
- ``Sequential`` (its own module), a stack of layers.

Example:
    >>> inputs = Input(shape=(784,))
    >>> hidden = Dense(64, activation="relu")(inputs)
    >>> model = Model(inputs, Dense(10, activation="softmax")(hidden))
    >>> model.predict(np.zeros((2, 784)), verbose=0).shape
    (2, 10)

A subclassed model builds its layers on the first call:

    >>> class TwoLayers(Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = Dense(64, activation="relu")
    ...         self.out = Dense(10)
    ...     def call(self, x, training=False):
    ...         return self.out(self.hidden(x))
    >>> TwoLayers()(np.zeros((2, 784))).shape
    (2, 10)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.tape import no_grad
from glassnet.core.tensor import Tensor
from glassnet.layers.layer import CallContext, Layer
from glassnet.models.functional import FunctionalGraph
from glassnet.saving.model_api import SavingMixin
from glassnet.training.trainer import Trainer


def _unpack_singleton(value):
    """Keras returns the tensor itself, not a one-element list, from a model's call."""
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return value[0]
    return value


class Model(SavingMixin, Trainer, Layer):
    """A trainable layer graph; see the module docstring for the ways to build one."""

    integer_inputs = True

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", None)
        outputs = kwargs.pop("outputs", None)
        if args:
            if len(args) > 2:
                raise TypeError("Model() takes inputs and outputs as positional arguments; "
                                f"received {len(args)} positional arguments.")
            inputs = args[0]
            if len(args) > 1:
                outputs = args[1]
        functional = inputs is not None or outputs is not None
        if functional and (inputs is None or outputs is None):
            raise ValueError("A functional Model needs both inputs and outputs; received "
                             f"inputs={inputs!r}, outputs={outputs!r}.")
        trainable = kwargs.pop("trainable", None)
        object.__setattr__(self, "_metrics", [])
        graph = None
        if functional and type(self) is Model and kwargs.get("name") is None:
            graph = FunctionalGraph(inputs, outputs)  # names itself 'functional', '..._1'
            kwargs["name"] = graph.name
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)
        self._graph = None
        if functional:
            self._graph = graph or FunctionalGraph(inputs, outputs, name=self.name)
            # Weights are listed in the order of model.layers, as in Keras.
            self._layers = list(self._graph.layers)
            self.built = True
        if trainable is not None:
            self.trainable = trainable

    def __setattr__(self, name, value):
        # Metrics kept as attributes (self.loss_tracker = Mean(...)) are the model's own
        # metrics: reported, and reset each epoch, with the compiled ones (as Keras).
        if not name.startswith("_"):
            from glassnet.metrics import Metric
            metrics = self.__dict__.get("_metrics")
            if metrics is not None:
                for item in value if isinstance(value, (list, tuple)) else (value,):
                    if isinstance(item, Metric) and not any(item is m for m in metrics):
                        metrics.append(item)
        super().__setattr__(name, value)

    # --- structure ------------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The layers: graph order for functional models, attribute order for subclasses."""
        if self._graph is not None:
            return list(self._graph.layers)
        return list(self._layers)

    def _symbolic(self, what: str) -> FunctionalGraph:
        if self._graph is None:
            raise AttributeError(f"Model '{self.name}' has no symbolic {what}: it was not built "
                                 "from Input tensors (subclassed models have none).")
        return self._graph

    @property
    def inputs(self) -> list:
        """The symbolic inputs, as a flat list."""
        return list(self._symbolic("inputs").flat_inputs)

    @property
    def outputs(self) -> list:
        """The symbolic outputs, as a flat list."""
        return list(self._symbolic("outputs").flat_outputs)

    @property
    def input(self):
        """The inputs in the structure given to ``Model`` (a tensor, list or dict)."""
        return self._symbolic("input").inputs

    @property
    def output(self):
        """The outputs in the structure given to ``Model`` (a tensor, list or dict)."""
        return self._symbolic("output").outputs

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
        """A layer by ``name`` or by position ``index`` in ``model.layers``.

        Example:
            >>> model.get_layer("dense_1") is model.layers[2]
            True
        """
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model "
                                 f"only has {len(layers)} layers.")
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: "
                             f"{[layer.name for layer in layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    # --- computing ------------------------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        if self._graph is not None:
            return _unpack_singleton(self._graph.run(inputs, training, self.name))
        raise NotImplementedError(
            f"Model '{self.name}' was created by subclassing Model without a call() method. "
            "Define call(self, inputs) or build the model from Input tensors.")

    def compute_output_spec(self, *args, **kwargs):
        """Symbolic outputs when this model is called on symbolic tensors (nesting)."""
        if self._graph is not None:
            return _unpack_singleton(self._graph.output_spec(args[0]))
        return super().compute_output_spec(*args, **kwargs)

    def build(self, input_shape=None) -> None:
        """Create the weights of a subclassed model by running it once on zeros."""
        if self._graph is not None or input_shape is None:
            self.built = True
            return
        zeros = _zeros_for(input_shape)
        self.built = True
        with no_grad():
            outer = CallContext.training
            CallContext.training = False
            try:
                self.call(zeros)
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


def _zeros_for(input_shape):
    """Zero Tensors for a shape, or a list / dict of shapes (unknown sizes become 1)."""
    if isinstance(input_shape, dict):
        return {key: _zeros_for(shape) for key, shape in input_shape.items()}
    if isinstance(input_shape, (list, tuple)) and input_shape and \
            all(isinstance(s, (list, tuple, dict)) for s in input_shape):
        return [_zeros_for(shape) for shape in input_shape]
    shape = tuple(1 if d is None else int(d) for d in input_shape)
    return Tensor(np.zeros(shape, dtype=np.float32))
