"""BaseConv: what Conv1D and Conv2D share (arguments, weights, output shapes, config).

A convolution layer holds ``kernel`` (kernel_size + (in_channels // groups, filters)) and
``bias`` (filters,), Keras's layouts, and computes ``activation(conv(inputs) + bias)``
as one fused op (the ReLU too, when that is the activation).

Example:
    >>> layer = Conv2D(32, (3, 3), activation="relu")
    >>> layer(np.zeros((2, 28, 28, 1))).shape
    (2, 26, 26, 32)
    >>> layer.kernel.shape
    (3, 3, 1, 32)
"""

from __future__ import annotations

from glassnet import activations, backend, initializers, regularizers
from glassnet.layers.layer import Layer
from glassnet.ops.conv import conv
from glassnet.ops.im2col import conv_output_length
from glassnet.ops.shape import transpose


def standardize_tuple(value, n: int, name: str, allow_zero: bool = False) -> tuple:
    """An int or n ints as a tuple of n positive (or, with ``allow_zero``, >= 0) ints."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int) and not isinstance(value, bool):
        result = (value,) * n
    else:
        try:
            result = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(result) != n or not all(isinstance(v, int) and not isinstance(v, bool)
                                       for v in result):
            raise ValueError(message)
    bad = [v for v in result if v < 0 or (v == 0 and not allow_zero)]
    if bad:
        requirement = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{message}, including values {set(bad)} that do not satisfy "
                         f"`value {requirement}`")
    return result


def standardize_padding(value, allowed=("valid", "same")) -> str:
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(f"The `padding` argument must be one of {set(allowed)}. "
                         f"Received: padding={value!r}")
    return padding


def standardize_data_format(value) -> str:
    data_format = backend.image_data_format() if value is None else str(value).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         f"'channels_last'}}. Received: data_format={value!r}")
    return data_format


def positive_int(value, name: str) -> int:
    """``value`` if it is an int > 0 (filters, depth_multiplier), else a ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Invalid value for argument `{name}`. Expected a strictly positive "
                         f"value. Received {name}={value}.")
    return value


def check_strides_and_dilation(strides: tuple, dilation_rate: tuple, prefix: str = "") -> None:
    """Keras refuses strides > 1 together with dilation_rate > 1."""
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(f"{prefix}`strides > 1` not supported in conjunction with "
                         f"`dilation_rate > 1`. Received: strides={strides} and "
                         f"dilation_rate={dilation_rate}")


def known_channels(layer: Layer, input_shape) -> int:
    """The channel count of ``input_shape`` (of the right rank), which must be known."""
    check_input_rank(layer, input_shape, layer.rank)
    _, channels = spatial_and_channels(layer, input_shape)
    if channels is None:
        raise ValueError(f"{type(layer).__name__} '{layer.name}' needs the channel dimension "
                         f"of its inputs to be known; received input shape "
                         f"{tuple(input_shape)}.")
    return channels


def add_bias(layer: Layer, size: int) -> None:
    """``layer.bias`` (size,) from the layer's bias arguments, when ``use_bias``."""
    if layer.use_bias:
        layer.bias = layer.add_weight(shape=(size,), name="bias",
                                      initializer=layer.bias_initializer,
                                      regularizer=layer.bias_regularizer,
                                      constraint=layer.bias_constraint)


def weights_config(layer: Layer, kernel: str = "kernel") -> dict:
    """The config entries of the activation and of the ``kernel`` / bias arguments."""
    return {"activation": activations.serialize(layer.activation),
            "use_bias": layer.use_bias,
            f"{kernel}_initializer": initializers.serialize(
                getattr(layer, f"{kernel}_initializer")),
            "bias_initializer": initializers.serialize(layer.bias_initializer),
            f"{kernel}_regularizer": serialize_optional(getattr(layer, f"{kernel}_regularizer")),
            "bias_regularizer": serialize_optional(layer.bias_regularizer),
            "activity_regularizer": serialize_optional(layer.activity_regularizer),
            f"{kernel}_constraint": None, "bias_constraint": None}


def check_input_rank(layer: Layer, shape, rank: int) -> None:
    """Conv and pooling layers need (batch,) + rank spatial axes + (channels,)."""
    if len(shape) != rank + 2:
        hint = ""
        if len(shape) == rank + 1:
            hint = (" Add a channel axis, e.g. x.reshape(x.shape + (1,)) or a Reshape layer "
                    "before it.")
        raise ValueError(f'Input 0 of layer "{layer.name}" is incompatible with the layer: '
                         f"expected ndim={rank + 2}, found ndim={len(shape)}. Full shape "
                         f"received: {tuple(shape)}.{hint}")


def to_channels_last(layer: Layer, inputs):
    if layer.data_format == "channels_first":
        return transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
    return inputs


def from_channels_last(layer: Layer, outputs):
    if layer.data_format == "channels_first":
        return transpose(outputs, (0, outputs.ndim - 1) + tuple(range(1, outputs.ndim - 1)))
    return outputs


def spatial_and_channels(layer: Layer, shape) -> tuple:
    """(spatial dims, channels) of an input shape in the layer's data format."""
    shape = tuple(shape)
    if layer.data_format == "channels_first":
        return shape[2:], shape[1]
    return shape[1:-1], shape[-1]


def with_channels(layer: Layer, batch, spatial, channels) -> tuple:
    if layer.data_format == "channels_first":
        return (batch, channels) + tuple(spatial)
    return (batch,) + tuple(spatial) + (channels,)


class BaseConv(Layer):
    """N-D convolution layer (rank 1 or 2); see the module docstring."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank, kind = self.rank, type(self).__name__
        positive_int(filters, "filters")
        if isinstance(groups, bool) or not isinstance(groups, int) or groups <= 0:
            raise ValueError(f"The number of groups must be a positive integer. "
                             f"Received: groups={groups}.")
        if filters % groups:
            raise ValueError("The number of filters must be evenly divisible by the number of "
                             f"groups. Received: groups={groups}, filters={filters}.")
        self.filters, self.groups = filters, groups
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        allowed = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
        self.padding = standardize_padding(padding, allowed)
        self.data_format = standardize_data_format(data_format)
        check_strides_and_dilation(self.strides, self.dilation_rate, prefix=f"{kind}: ")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.kernel = self.bias = None

    def build(self, input_shape) -> None:
        channels = known_channels(self, input_shape)
        if channels % self.groups:
            raise ValueError("The number of input channels must be evenly divisible by the "
                             f"number of groups. Received groups={self.groups}, but the input "
                             f"has {channels} channels (full input shape is "
                             f"{tuple(input_shape)}).")
        self.compute_output_shape(input_shape)  # rejects inputs too small for the kernel
        self.kernel = self.add_weight(shape=self.kernel_size + (channels // self.groups,
                                                                self.filters),
                                      name="kernel", initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        add_bias(self, self.filters)
        self.built = True

    def call(self, inputs):
        check_input_rank(self, inputs.shape, self.rank)
        _, channels = spatial_and_channels(self, inputs.shape)
        expected = self.kernel.shape[-2] * self.groups
        if channels != expected:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs with "
                             f"{expected} channels, received shape {tuple(inputs.shape)}.")
        fused = self.activation is activations.relu
        outputs = conv(to_channels_last(self, inputs), self.kernel, self.bias,
                       strides=self.strides, padding=self.padding,
                       dilation_rate=self.dilation_rate, groups=self.groups,
                       activation="relu" if fused else None)
        outputs = from_channels_last(self, outputs)
        return outputs if fused else self.activation(outputs)

    def compute_output_shape(self, input_shape):
        check_input_rank(self, input_shape, self.rank)
        spatial, _ = spatial_and_channels(self, input_shape)
        out = tuple(conv_output_length(n, k, s, d, self.padding) for n, k, s, d in
                    zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        if any(o is not None and o <= 0 for o in out):
            raise ValueError(
                "Computed output size would be zero or negative. Received "
                f"`inputs shape={tuple(input_shape)}`, `kernel shape="
                f"{self.kernel_size + (spatial_and_channels(self, input_shape)[1], self.filters)}"
                f"`, `dilation_rate={self.dilation_rate}`, `strides={self.strides}`, "
                f"`padding={self.padding}`.")
        return with_channels(self, input_shape[0], out, self.filters)

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                **weights_config(self)}


def serialize_optional(regularizer):
    return None if regularizer is None else regularizers.serialize(regularizer)
