"""Global pooling: one value per channel, the mean or the maximum over all steps / pixels.

GlobalAveragePooling1D honours a mask (from ``Embedding(mask_zero=True)``): padded steps
are left out of the mean.

Example:
    >>> GlobalAveragePooling2D()(np.ones((2, 7, 7, 64))).shape
    (2, 64)
    >>> GlobalMaxPooling1D(keepdims=True)(np.ones((2, 10, 8))).shape
    (2, 1, 8)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.tensor import Tensor
from glassnet.layers.convolutional.base_conv import check_input_rank, standardize_data_format
from glassnet.layers.layer import Layer
from glassnet.ops.elementwise import divide, multiply
from glassnet.ops.reduce import max as reduce_max
from glassnet.ops.reduce import mean, sum as reduce_sum


class BaseGlobalPooling(Layer):
    """Reduce every spatial axis; ``keepdims`` keeps them with size 1."""

    rank = 2

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = bool(keepdims)
        self.built = True

    def _axes(self) -> tuple:
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def _pool(self, inputs):
        raise NotImplementedError

    def call(self, inputs):
        check_input_rank(self, inputs.shape, self.rank)
        return self._pool(inputs)

    def compute_output_shape(self, input_shape):
        check_input_rank(self, input_shape, self.rank)
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        if not self.keepdims:
            return (input_shape[0], channels)
        if self.data_format == "channels_last":
            return (input_shape[0],) + (1,) * self.rank + (channels,)
        return (input_shape[0], channels) + (1,) * self.rank

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalAveragePooling2D(BaseGlobalPooling):
    """(batch, height, width, channels) -> (batch, channels): the mean of each feature map."""

    rank = 2

    def _pool(self, inputs):
        return mean(inputs, axis=self._axes(), keepdims=self.keepdims)


class GlobalMaxPooling2D(BaseGlobalPooling):
    """(batch, height, width, channels) -> (batch, channels): the maximum of each map."""

    rank = 2

    def _pool(self, inputs):
        return reduce_max(inputs, axis=self._axes(), keepdims=self.keepdims)


class GlobalAveragePooling1D(BaseGlobalPooling):
    """(batch, steps, features) -> (batch, features): the mean over the (unmasked) steps."""

    rank = 1

    def call(self, inputs, mask=None):
        check_input_rank(self, inputs.shape, self.rank)
        if mask is None:
            return mean(inputs, axis=self._axes(), keepdims=self.keepdims)
        weights = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
        weights = weights.astype(inputs.dtype)
        channel_axis = 2 if self.data_format == "channels_last" else 1
        weights = np.expand_dims(weights, channel_axis)
        total = reduce_sum(multiply(inputs, weights), axis=self._axes(), keepdims=self.keepdims)
        count = weights.sum(axis=self._axes(), keepdims=self.keepdims)
        return divide(total, count)

    def compute_mask(self, inputs, mask=None):
        return None


class GlobalMaxPooling1D(BaseGlobalPooling):
    """(batch, steps, features) -> (batch, features): the maximum over the steps."""

    rank = 1

    def _pool(self, inputs):
        return reduce_max(inputs, axis=self._axes(), keepdims=self.keepdims)


GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalMaxPool1D = GlobalMaxPooling1D
