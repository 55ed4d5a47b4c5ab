"""Sequential: a plain stack of layers, each feeding the next.

The input shape comes from a leading ``Input(shape=...)``, from ``input_shape`` /
``input_dim`` on the first layer, or from the first data the model sees.

Example:
    >>> model = Sequential([Dense(50, activation="sigmoid", input_shape=(784,)),
    ...                     Dense(10, activation="softmax")])
    >>> model.count_params()
    39760
"""

from __future__ import annotations

from glassnet.core.symbolic import KerasTensor
from glassnet.layers.core.input_layer import InputLayer
from glassnet.layers.layer import Layer
from glassnet.models.functional import FunctionalGraph
from glassnet.models.model import Model


class Sequential(Model):
    """A model made of layers applied one after another."""

    def __init__(self, layers=None, trainable: bool = True, name: str | None = None):
        super().__init__(trainable=trainable, name=name)
        self._stack: list = []
        if layers is not None:
            if not isinstance(layers, (list, tuple)):
                raise TypeError("Sequential expects a list of layers; received "
                                f"{type(layers).__name__}.")
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    # --- structure ------------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The layers, without the InputLayer (as Keras)."""
        return [layer for layer in self._stack if not isinstance(layer, InputLayer)]

    def add(self, layer, rebuild: bool = True) -> None:
        """Append a layer (or an ``Input(...)`` as the first element)."""
        if isinstance(layer, KerasTensor):
            origin = layer._keras_history[0] if layer._keras_history else None
            if not isinstance(origin, InputLayer):
                raise ValueError("Only an Input tensor can be added to a Sequential model; "
                                 f"received {layer!r}.")
            layer = origin
        if not isinstance(layer, Layer):
            raise TypeError("The added layer must be an instance of class Layer. Received: "
                            f"layer={layer!r} of type {type(layer)}.")
        if isinstance(layer, InputLayer):
            if self._stack:
                raise ValueError(
                    f"Sequential model '{self.name}' already has layers; an Input can only be "
                    "its first element.")
        elif not self._stack and layer._input_shape_arg is not None:
            self._stack.append(InputLayer(shape=layer._input_shape_arg,
                                          batch_size=layer._batch_size_arg))
        names = {existing.name for existing in self._stack}
        if layer.name in names:
            raise ValueError("All layers added to a Sequential model should have unique names. "
                             f"Name '{layer.name}' is already the name of a layer in this model. "
                             "Update the `name` argument to pass a unique name.")
        self._stack.append(layer)
        if not any(layer is t for t in self._layers):
            self._layers.append(layer)
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild: bool = True) -> Layer:
        """Remove and return the last layer."""
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        self._layers = [t for t in self._layers if t is not layer]
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self) -> None:
        self.built = False
        self._graph = None
        if self._stack and isinstance(self._stack[0], InputLayer) and len(self._stack) > 1:
            self.build(self._stack[0].batch_shape)

    def build(self, input_shape=None) -> None:
        """Connect the layers symbolically from an input of ``input_shape``."""
        if not self._stack or (len(self._stack) == 1 and isinstance(self._stack[0], InputLayer)):
            raise ValueError(f"Sequential model '{self.name}' has no layers to build.")
        if isinstance(self._stack[0], InputLayer):
            input_layer = self._stack[0]
        else:
            if input_shape is None:
                raise ValueError(f"Sequential model '{self.name}' cannot be built without an "
                                 "input shape. Call build((None, features)) or give the first "
                                 "layer input_shape=... .")
            batch_shape = (None,) + tuple(input_shape)[1:]
            input_layer = InputLayer(batch_shape=batch_shape)
            self._stack.insert(0, input_layer)
        x = input_layer._output
        for layer in self.layers:
            x = layer(x)
        self._graph = FunctionalGraph(input_layer._output, x)
        self.built = True
        self._build_shape = input_layer.batch_shape

    def call(self, inputs, training=None, mask=None):
        x = inputs
        for layer in self.layers:
            x = layer(x, training=training)
        return x

    def get_config(self) -> dict:
        from glassnet.layers.serialization import serialize
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype,
                  "layers": [serialize(layer) for layer in self._stack]}
        if self._build_shape is not None:
            config["build_input_shape"] = list(self._build_shape)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        from glassnet.layers.serialization import deserialize
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config.get("layers", []):
            model.add(deserialize(layer_config, custom_objects), rebuild=False)
        model._maybe_rebuild()
        if not model.built and config.get("build_input_shape") is not None:
            model.build(tuple(config["build_input_shape"]))
        return model
