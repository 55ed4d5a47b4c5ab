"""Cropping1D and Cropping2D: remove rows and columns at the edges of each sample.

Example:
    >>> Cropping2D(cropping=((2, 2), (4, 4)))(np.ones((2, 28, 28, 1))).shape
    (2, 24, 20, 1)
    >>> Cropping1D((1, 2))(np.ones((2, 10, 4))).shape
    (2, 7, 4)
"""

from __future__ import annotations

from glassnet.layers.convolutional.base_conv import (check_input_rank, from_channels_last,
                                                     standardize_data_format,
                                                     standardize_tuple, to_channels_last)
from glassnet.layers.reshaping.zero_padding import _SpatialResize, pairs_2d
from glassnet.ops.spatial import crop


class Cropping2D(_SpatialResize):
    """Crop images: ``cropping`` is an int, (symmetric_height, symmetric_width) or
    ((top, bottom), (left, right))."""

    rank = 2
    sign = -1

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = pairs_2d(cropping, "cropping")
        self.built = True

    def _amounts(self) -> tuple:
        return self.cropping

    def call(self, inputs):
        check_input_rank(self, inputs.shape, self.rank)
        self.compute_output_shape(inputs.shape)
        return from_channels_last(self, crop(to_channels_last(self, inputs), self._amounts()))

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}


class Cropping1D(_SpatialResize):
    """Crop sequences: ``cropping`` is an int or (start, end) steps to remove."""

    rank = 1
    sign = -1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        self.built = True

    def _amounts(self) -> tuple:
        return (self.cropping,)

    def call(self, inputs):
        check_input_rank(self, inputs.shape, self.rank)
        self.compute_output_shape(inputs.shape)
        return crop(inputs, self._amounts())

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping}
