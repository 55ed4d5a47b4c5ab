"""Bidirectional: run a recurrent layer forwards and a copy of it backwards over the same
sequence and merge the two outputs.

As in Keras, the wrapper builds its own two layers from the given layer's config, named
``forward_<name>`` and ``backward_<name>`` (the backward one with ``go_backwards=True``, or
``backward_layer`` if given); the backward sequence output is flipped back into time order
before merging; with ``return_sequences`` masked steps output zeros.

Example:
    >>> layer = Bidirectional(LSTM(16, return_sequences=True))
    >>> layer(np.zeros((4, 10, 8))).shape
    (4, 10, 32)
"""

from __future__ import annotations

from glassnet.layers.layer import Layer
from glassnet.layers.serialization import deserialize, serialize
from glassnet.ops.recurrent import reverse_sequence
from glassnet.ops.shape import concatenate

MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _renamed_copy(layer: Layer, prefix: str, **changes) -> Layer:
    config = serialize(layer)
    name = layer.name[len(prefix):] if layer.name.startswith(prefix) else layer.name
    config["config"].update(name=f"{prefix}{name}", **changes)
    return deserialize(config)


class Bidirectional(Layer):
    """Wrap ``layer`` (an RNN) to read the sequence in both directions."""

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `Bidirectional` layer with a "
                             f"`keras.layers.Layer` instance. Received: {layer}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError("`backward_layer` need to be a `keras.layers.Layer` instance. "
                             f"Received: {backward_layer}")
        if merge_mode not in MERGE_MODES:
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should be "
                             'one of {"sum", "mul", "ave", "concat", None}')
        super().__init__(**kwargs)
        self.forward_layer = _renamed_copy(layer, "forward_")
        if backward_layer is None:
            backward_layer = _renamed_copy(layer, "backward_", go_backwards=True)
        self.backward_layer = backward_layer
        for attribute in ("stateful", "return_sequences", "return_state"):
            if getattr(self.forward_layer, attribute) != getattr(backward_layer, attribute):
                raise ValueError(
                    "Forward layer and backward layer are expected to have the same value for "
                    f'attribute "{attribute}", got "{getattr(self.forward_layer, attribute)}" '
                    f'for forward layer and "{getattr(backward_layer, attribute)}" for '
                    "backward layer")
        if self.forward_layer.go_backwards == backward_layer.go_backwards:
            raise ValueError("Forward layer and backward layer should have different "
                             "`go_backwards` value.")
        for sub in (self.forward_layer, self.backward_layer):
            # Masked steps of the sequence output are zeros, so the merge is well defined.
            sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        if weights:
            half = len(weights) // 2
            self._initial_weights = (weights[:half], weights[half:])
        else:
            self._initial_weights = None

    def build(self, sequences_shape, initial_state_shape=None) -> None:
        for sub in (self.forward_layer, self.backward_layer):
            if not sub.built:
                sub._maybe_build([tuple(sequences_shape)])
        if self._initial_weights is not None:
            self.forward_layer.set_weights(self._initial_weights[0])
            self.backward_layer.set_weights(self._initial_weights[1])
            self._initial_weights = None
        self.built = True

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, mask=mask,
                               training=training)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, mask=mask,
                                    training=training)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = reverse_sequence(y_rev)
        if self.merge_mode == "concat":
            output = concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = [y, y_rev]
        if not self.return_state:
            return output
        if self.merge_mode is None:
            return tuple(output) + states
        return (output,) + states

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes = ()
        if self.return_state:
            shape, state_shapes = shape[0], tuple(shape[1:])
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (None if shape[-1] is None else shape[-1] * 2,)
        outputs = [shape, shape] if self.merge_mode is None else [shape]
        if not self.return_state and self.merge_mode is not None:
            return shape
        return tuple(outputs) + state_shapes + state_shapes

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is None or not self.return_sequences or self.return_state or \
                self.merge_mode is None:
            return None
        return mask

    def reset_state(self) -> None:
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    reset_states = reset_state

    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states + self.backward_layer.states)
        return None

    def get_config(self) -> dict:
        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": serialize(self.forward_layer),
                "backward_layer": serialize(self.backward_layer)}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["layer"] = deserialize(config["layer"])
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize(config["backward_layer"])
        return cls(**config)
