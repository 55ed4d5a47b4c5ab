"""Dense: the fully connected layer, ``activation(inputs @ kernel + bias)``.

Example:
    >>> layer = Dense(50, activation="sigmoid")
    >>> layer(np.zeros((32, 784))).shape
    (32, 50)
    >>> layer.kernel.shape
    (784, 50)
"""

from __future__ import annotations

from glassnet import activations, initializers, regularizers
from glassnet.layers.layer import Layer
from glassnet.ops.dense import dense


def check_positive_int(layer: str, argument: str, value) -> int:
    try:
        valid = not isinstance(value, bool) and int(value) == value and int(value) > 0
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(f"Received an invalid value for `{argument}` of {layer}, expected a "
                         f"positive integer. Received: {argument}={value!r}")
    return int(value)


class Dense(Layer):
    """``units`` outputs, each a weighted sum of all inputs plus a bias, then ``activation``.

    Applied to the last axis, so a (batch, steps, features) input gives
    (batch, steps, units).
    """

    def __init__(self, units, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = check_positive_int("Dense", "units", units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.supports_masking = True
        self.kernel = self.bias = None

    def build(self, input_shape) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Dense '{self.name}' needs the last dimension of its inputs to "
                             f"be known; received input shape {tuple(input_shape)}.")
        self.kernel = self.add_weight(shape=(input_dim, self.units), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.units,), name="bias",
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs):
        expected = self.kernel.shape[0]
        if inputs.shape[-1] != expected or inputs.ndim < 2:
            hint = " Add a Flatten() layer before it." if inputs.ndim > 2 else ""
            raise ValueError(f"Dense '{self.name}' expects inputs with last dimension {expected}, "
                             f"received shape {tuple(inputs.shape)}.{hint}")
        return self.activation(dense(inputs, self.kernel, self.bias))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": _serialize_optional(self.kernel_regularizer),
                "bias_regularizer": _serialize_optional(self.bias_regularizer),
                "activity_regularizer": _serialize_optional(self.activity_regularizer),
                "kernel_constraint": None, "bias_constraint": None}


def _serialize_optional(regularizer):
    return None if regularizer is None else regularizers.serialize(regularizer)
