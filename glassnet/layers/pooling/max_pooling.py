"""MaxPooling1D and MaxPooling2D: keep the largest value of each window.

Example:
    >>> MaxPooling2D()(np.zeros((2, 24, 24, 64))).shape
    (2, 12, 12, 64)
    >>> MaxPooling1D(pool_size=3, strides=1, padding="same")(np.zeros((2, 10, 4))).shape
    (2, 10, 4)
"""

from __future__ import annotations

from glassnet.layers.pooling.base_pooling import BasePooling
from glassnet.ops.pool import max_pool


class MaxPooling2D(BasePooling):
    """Max over (pool_h, pool_w) windows of (batch, height, width, channels) inputs."""

    rank = 2
    op = staticmethod(max_pool)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling1D(BasePooling):
    """Max over windows of ``pool_size`` steps of (batch, steps, features) inputs."""

    rank = 1
    op = staticmethod(max_pool)

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


MaxPool2D = MaxPooling2D
MaxPool1D = MaxPooling1D
