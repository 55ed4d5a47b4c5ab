"""UpSampling1D and UpSampling2D: repeat each step / pixel (or interpolate bilinearly).

Example:
    >>> UpSampling2D(size=(2, 2))(np.ones((2, 7, 7, 16))).shape
    (2, 14, 14, 16)
    >>> UpSampling1D(3)(np.ones((2, 5, 4))).shape
    (2, 15, 4)
"""

from __future__ import annotations

from glassnet.layers.convolutional.base_conv import (check_input_rank, from_channels_last,
                                                     standardize_data_format,
                                                     standardize_tuple, to_channels_last)
from glassnet.layers.layer import Layer
from glassnet.ops.spatial import upsample


class UpSampling2D(Layer):
    """Enlarge images by integer factors ``size`` (rows, columns); ``interpolation`` is
    'nearest' (repeat each pixel) or 'bilinear'."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 2, "size")
        self.interpolation = str(interpolation).lower()
        if self.interpolation not in ("nearest", "bilinear"):
            raise ValueError("UpSampling2D supports interpolation='nearest' or 'bilinear'. "
                             f"Received: interpolation={interpolation!r}")
        self.built = True

    def call(self, inputs):
        check_input_rank(self, inputs.shape, 2)
        outputs = upsample(to_channels_last(self, inputs), self.size, self.interpolation)
        return from_channels_last(self, outputs)

    def compute_output_shape(self, input_shape):
        check_input_rank(self, input_shape, 2)
        first = 2 if self.data_format == "channels_first" else 1
        shape = list(input_shape)
        for i, factor in enumerate(self.size):
            if shape[first + i] is not None:
                shape[first + i] *= factor
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


class UpSampling1D(Layer):
    """Repeat each step of (batch, steps, features) ``size`` times."""

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.built = True

    def call(self, inputs):
        check_input_rank(self, inputs.shape, 1)
        return upsample(inputs, (self.size,))

    def compute_output_shape(self, input_shape):
        check_input_rank(self, input_shape, 1)
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}
