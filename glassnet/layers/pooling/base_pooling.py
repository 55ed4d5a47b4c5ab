"""BasePooling: what the max and average pooling layers share.

Example:
    >>> layer = MaxPooling2D(pool_size=(2, 2))
    >>> layer(np.zeros((2, 24, 24, 64))).shape
    (2, 12, 12, 64)
"""

from __future__ import annotations

from glassnet.layers.convolutional.base_conv import (check_input_rank, from_channels_last,
                                                     spatial_and_channels,
                                                     standardize_data_format,
                                                     standardize_padding, standardize_tuple,
                                                     to_channels_last, with_channels)
from glassnet.layers.layer import Layer
from glassnet.ops.im2col import conv_output_length


class BasePooling(Layer):
    """Pooling of rank 1 or 2 with Keras's arguments: ``pool_size``, ``strides`` (default:
    the pool size), ``padding`` ('valid' or 'same') and ``data_format``."""

    rank = 2
    op = None  # the pooling function, set by subclasses

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = standardize_tuple(pool_size, self.rank, "pool_size")
        strides = pool_size if strides is None else strides
        self.strides = standardize_tuple(strides, self.rank, "strides", allow_zero=True)
        if min(self.strides) == 0:
            raise ValueError(f"{type(self).__name__} needs strides of at least 1. Received "
                             f"strides={strides}")
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.built = True

    def call(self, inputs):
        check_input_rank(self, inputs.shape, self.rank)
        pool = type(self).op
        outputs = pool(to_channels_last(self, inputs), self.pool_size, self.strides,
                       self.padding)
        return from_channels_last(self, outputs)

    def compute_output_shape(self, input_shape):
        check_input_rank(self, input_shape, self.rank)
        spatial, channels = spatial_and_channels(self, input_shape)
        out = tuple(conv_output_length(n, k, s, 1, self.padding)
                    for n, k, s in zip(spatial, self.pool_size, self.strides))
        if any(o is not None and o <= 0 for o in out):
            raise ValueError(f"{type(self).__name__} '{self.name}': pool_size {self.pool_size} "
                             f"is larger than the input; received input shape "
                             f"{tuple(input_shape)}.")
        return with_channels(self, input_shape[0], out, channels)

    def get_config(self) -> dict:
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}
