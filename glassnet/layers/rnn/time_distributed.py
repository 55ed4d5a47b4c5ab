"""TimeDistributed: apply a layer to every timestep of a sequence, with the same weights.

Rather than looping over the steps, the batch and time axes are merged, the layer runs once
on (batch * timesteps, ...), and the axes are split again; for per-sample layers (Dense,
Conv2D, Flatten, Dropout, ...) that is the same computation as Keras's loop.

Example:
    >>> TimeDistributed(Dense(8))(np.zeros((32, 10, 16))).shape
    (32, 10, 8)
"""

from __future__ import annotations

from glassnet.layers.layer import Layer
from glassnet.layers.serialization import deserialize, serialize
from glassnet.ops.shape import reshape


class TimeDistributed(Layer):
    """Wrap ``layer`` so it applies to each of the ``timesteps`` slices of its input."""

    integer_inputs = True

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `TimeDistributed` layer with a "
                             f"`keras.layers.Layer` instance. Received: {layer}")
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    @staticmethod
    def _child_shape(input_shape) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape` with at "
                             f"least 3 dimensions, received: {input_shape}")
        return (input_shape[0],) + tuple(input_shape[2:])

    def build(self, input_shape) -> None:
        if not self.layer.built:
            self.layer._maybe_build([self._child_shape(tuple(input_shape))])
        self.built = True

    def call(self, inputs, training=None, mask=None):
        batch, steps = inputs.shape[:2]
        self._child_shape(tuple(inputs.shape))
        merged = reshape(inputs, (batch * steps,) + tuple(inputs.shape[2:]))
        kwargs = {"training": training} if self.layer._call_takes_training else {}
        if mask is not None and self.layer._call_takes_mask:
            kwargs["mask"] = mask.reshape(-1) if hasattr(mask, "reshape") else mask
        outputs = self.layer(merged, **kwargs)
        return reshape(outputs, (batch, steps) + tuple(outputs.shape[1:]))

    def get_config(self) -> dict:
        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["layer"] = deserialize(config["layer"])
        return cls(**config)
