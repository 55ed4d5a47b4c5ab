"""Conv1DTranspose and Conv2DTranspose: learned upsampling, the adjoint of a convolution
(the decoder half of autoencoders and the generator of DCGANs).

Example:
    >>> layer = Conv2DTranspose(16, (3, 3), strides=2, padding="same")
    >>> layer(np.zeros((2, 7, 7, 32))).shape
    (2, 14, 14, 16)
    >>> layer.kernel.shape
    (3, 3, 16, 32)
"""

from __future__ import annotations

from glassnet import activations, initializers, regularizers
from glassnet.layers.convolutional.base_conv import (add_bias, check_input_rank,
                                                     check_strides_and_dilation,
                                                     from_channels_last, known_channels,
                                                     positive_int, spatial_and_channels,
                                                     standardize_data_format,
                                                     standardize_padding, standardize_tuple,
                                                     to_channels_last, weights_config,
                                                     with_channels)
from glassnet.layers.layer import Layer
from glassnet.ops.conv_transpose import conv_transpose, transpose_geometry


class BaseConvTranspose(Layer):
    """Transposed convolution of rank 1 or 2; the kernel has shape
    kernel_size + (filters, in_channels), as in Keras."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank = self.rank
        self.filters = positive_int(filters, "filters")
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.output_padding = None if output_padding is None else standardize_tuple(
            output_padding, rank, "output_padding", allow_zero=True)
        if self.output_padding is not None:
            for i, (extra, stride) in enumerate(zip(self.output_padding, self.strides)):
                if extra >= stride:
                    raise ValueError(
                        "`output_padding` must be strictly less than `strides` for all "
                        f"dimensions. At dimension {i}, `output_padding` is {extra} but "
                        f"`strides` is {stride}. Received: output_padding="
                        f"{self.output_padding}, strides={self.strides}")
        check_strides_and_dilation(self.strides, self.dilation_rate)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.kernel = self.bias = None

    def build(self, input_shape) -> None:
        channels = known_channels(self, input_shape)
        self.kernel = self.add_weight(shape=self.kernel_size + (self.filters, channels),
                                      name="kernel", initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        add_bias(self, self.filters)
        self.built = True

    def call(self, inputs):
        check_input_rank(self, inputs.shape, self.rank)
        outputs = conv_transpose(to_channels_last(self, inputs), self.kernel, self.bias,
                                 strides=self.strides, padding=self.padding,
                                 output_padding=self.output_padding,
                                 dilation_rate=self.dilation_rate)
        return self.activation(from_channels_last(self, outputs))

    def compute_output_shape(self, input_shape):
        check_input_rank(self, input_shape, self.rank)
        spatial, _ = spatial_and_channels(self, input_shape)
        extra = self.output_padding or (None,) * self.rank
        out = tuple(transpose_geometry(n, k, s, d, self.padding, e)[0] for n, k, s, d, e in
                    zip(spatial, self.kernel_size, self.strides, self.dilation_rate, extra))
        return with_channels(self, input_shape[0], out, self.filters)

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "output_padding": self.output_padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                **weights_config(self)}


class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution over (batch, height, width, channels); with strides 2 and
    padding 'same' it doubles the height and width."""

    rank = 2


class Conv1DTranspose(BaseConvTranspose):
    """1-D transposed convolution over (batch, steps, channels)."""

    rank = 1


Convolution2DTranspose = Conv2DTranspose
Convolution1DTranspose = Conv1DTranspose
