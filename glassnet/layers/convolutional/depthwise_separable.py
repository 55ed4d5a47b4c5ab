"""DepthwiseConv2D and SeparableConv2D: per-channel convolutions, alone or followed by a
1x1 convolution that mixes the channels (the building blocks of MobileNet and Xception).

Example:
    >>> DepthwiseConv2D(3, depth_multiplier=2)(np.zeros((2, 8, 8, 4))).shape
    (2, 6, 6, 8)
    >>> layer = SeparableConv2D(16, 3, padding="same")
    >>> layer(np.zeros((2, 8, 8, 4))).shape
    (2, 8, 8, 16)
    >>> layer.depthwise_kernel.shape, layer.pointwise_kernel.shape
    ((3, 3, 4, 1), (1, 1, 4, 16))
"""

from __future__ import annotations

from glassnet import activations, initializers, regularizers
from glassnet.layers.convolutional.base_conv import (add_bias, check_input_rank,
                                                     check_strides_and_dilation,
                                                     from_channels_last, known_channels,
                                                     positive_int, serialize_optional,
                                                     spatial_and_channels,
                                                     standardize_data_format,
                                                     standardize_padding, standardize_tuple,
                                                     to_channels_last, weights_config,
                                                     with_channels)
from glassnet.layers.layer import Layer
from glassnet.ops.conv import conv
from glassnet.ops.depthwise_conv import depthwise_conv
from glassnet.ops.im2col import conv_output_length


class _PerChannelConv(Layer):
    """Arguments, checks and output shape shared by the depthwise and separable layers."""

    rank = 2

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias: bool = True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank = self.rank
        self.depth_multiplier = positive_int(depth_multiplier, "depth_multiplier")
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        check_strides_and_dilation(self.strides, self.dilation_rate)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint, self.bias_constraint = depthwise_constraint, bias_constraint
        self.bias = None

    def _out_spatial(self, input_shape) -> tuple:
        spatial, _ = spatial_and_channels(self, input_shape)
        out = tuple(conv_output_length(n, k, s, d, self.padding) for n, k, s, d in
                    zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        if any(o is not None and o <= 0 for o in out):
            raise ValueError("Computed output size would be zero or negative. Received "
                             f"`inputs shape={tuple(input_shape)}`, `kernel_size="
                             f"{self.kernel_size}`, `strides={self.strides}`, "
                             f"`padding={self.padding}`.")
        return out

    def _depthwise(self, inputs, kernel, bias):
        return depthwise_conv(to_channels_last(self, inputs), kernel, bias,
                              strides=self.strides, padding=self.padding,
                              dilation_rate=self.dilation_rate)

    def get_config(self) -> dict:
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, **weights_config(self, "depthwise")}


class DepthwiseConv2D(_PerChannelConv):
    """Each input channel convolved with ``depth_multiplier`` kernels of its own; the
    kernel has shape (kernel_h, kernel_w, in_channels, depth_multiplier) and the output
    in_channels * depth_multiplier channels."""

    def build(self, input_shape) -> None:
        channels = known_channels(self, input_shape)
        self._out_spatial(input_shape)
        self.kernel = self.add_weight(shape=self.kernel_size + (channels, self.depth_multiplier),
                                      name="kernel", initializer=self.depthwise_initializer,
                                      regularizer=self.depthwise_regularizer,
                                      constraint=self.depthwise_constraint)
        add_bias(self, channels * self.depth_multiplier)
        self.built = True

    def call(self, inputs):
        check_input_rank(self, inputs.shape, self.rank)
        outputs = self._depthwise(inputs, self.kernel, self.bias)
        return self.activation(from_channels_last(self, outputs))

    def compute_output_shape(self, input_shape):
        channels = known_channels(self, input_shape)
        return with_channels(self, input_shape[0], self._out_spatial(input_shape),
                             channels * self.depth_multiplier)


class SeparableConv2D(_PerChannelConv):
    """A depthwise convolution, then a 1x1 convolution to ``filters`` channels, then the
    bias and ``activation``: far fewer weights than a Conv2D of the same shape."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias: bool = True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides=strides, padding=padding,
                         depth_multiplier=depth_multiplier, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                         depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        self.filters = positive_int(filters, "filters")
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = pointwise_constraint

    def build(self, input_shape) -> None:
        channels = known_channels(self, input_shape)
        self._out_spatial(input_shape)
        self.depthwise_kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier), name="depthwise_kernel",
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            name="pointwise_kernel", initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer, constraint=self.pointwise_constraint)
        add_bias(self, self.filters)
        self.built = True

    def call(self, inputs):
        check_input_rank(self, inputs.shape, self.rank)
        per_channel = self._depthwise(inputs, self.depthwise_kernel, None)
        fused = self.activation is activations.relu
        outputs = conv(per_channel, self.pointwise_kernel, self.bias,
                       activation="relu" if fused else None)
        outputs = from_channels_last(self, outputs)
        return outputs if fused else self.activation(outputs)

    def compute_output_shape(self, input_shape):
        known_channels(self, input_shape)
        return with_channels(self, input_shape[0], self._out_spatial(input_shape), self.filters)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"filters": self.filters,
                       "pointwise_initializer": initializers.serialize(
                           self.pointwise_initializer),
                       "pointwise_regularizer": serialize_optional(self.pointwise_regularizer),
                       "pointwise_constraint": None})
        return config


SeparableConvolution2D = SeparableConv2D
