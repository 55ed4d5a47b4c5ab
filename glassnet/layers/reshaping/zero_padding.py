"""ZeroPadding1D and ZeroPadding2D: rows and columns of zeros around each sample.

Example:
    >>> ZeroPadding2D(padding=((1, 2), (3, 4)))(np.ones((2, 5, 5, 3))).shape
    (2, 8, 12, 3)
    >>> ZeroPadding1D(2)(np.ones((2, 10, 4))).shape
    (2, 14, 4)
"""

from __future__ import annotations

from glassnet.layers.convolutional.base_conv import (check_input_rank, from_channels_last,
                                                     standardize_data_format,
                                                     standardize_tuple, to_channels_last)
from glassnet.layers.layer import Layer
from glassnet.ops.spatial import zero_pad


def pairs_2d(value, name: str) -> tuple:
    """Keras's three spellings of 2-D padding or cropping as ((top, bottom), (left, right))."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"`{name}` cannot be negative. Received: {name}={value}.")
        return ((value, value), (value, value))
    if hasattr(value, "__len__"):
        if len(value) != 2:
            raise ValueError(f"`{name}` should have two elements. Received: {name}={value}.")
        return (standardize_tuple(value[0], 2, f"1st entry of {name}", allow_zero=True),
                standardize_tuple(value[1], 2, f"2nd entry of {name}", allow_zero=True))
    raise ValueError(f"`{name}` should be either an int, a tuple of 2 ints (symmetric_height, "
                     "symmetric_width), or a tuple of 2 tuples of 2 ints ((top, bottom), "
                     f"(left, right)). Received: {name}={value}.")


class _SpatialResize(Layer):
    """Shared by the padding and cropping layers: per-axis (before, after) amounts."""

    rank = 2
    sign = 1  # +1 adds the amounts to each spatial size, -1 removes them

    def _amounts(self) -> tuple:
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        check_input_rank(self, input_shape, self.rank)
        shape = list(input_shape)
        first = 2 if getattr(self, "data_format", "channels_last") == "channels_first" else 1
        for i, (before, after) in enumerate(self._amounts()):
            if shape[first + i] is not None:
                shape[first + i] += self.sign * (before + after)
                if shape[first + i] <= 0:
                    raise ValueError(
                        f"Values in `cropping` argument should be smaller than the "
                        f"corresponding spatial dimension of the input. Received: "
                        f"input_shape={tuple(input_shape)}, cropping={self._amounts()}")
        return tuple(shape)


class ZeroPadding2D(_SpatialResize):
    """Zeros around images: ``padding`` is an int, (symmetric_height, symmetric_width) or
    ((top, bottom), (left, right))."""

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = pairs_2d(padding, "padding")
        self.built = True

    def _amounts(self) -> tuple:
        return self.padding

    def call(self, inputs):
        check_input_rank(self, inputs.shape, self.rank)
        padded = zero_pad(to_channels_last(self, inputs), self._amounts())
        return from_channels_last(self, padded)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


class ZeroPadding1D(ZeroPadding2D):
    """Zeros at the start and end of sequences: ``padding`` is an int or (left, right)."""

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        _SpatialResize.__init__(self, **kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = standardize_tuple(padding, 2, "padding", allow_zero=True)
        self.built = True

    def _amounts(self) -> tuple:
        return (self.padding,)
