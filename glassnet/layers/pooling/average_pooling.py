"""AveragePooling1D and AveragePooling2D: the mean of each window (with padding='same',
the mean of the window's real inputs only).

Example:
    >>> AveragePooling2D()(np.ones((2, 6, 6, 3))).shape
    (2, 3, 3, 3)
"""

from __future__ import annotations

from glassnet.layers.pooling.base_pooling import BasePooling
from glassnet.ops.pool import average_pool


class AveragePooling2D(BasePooling):
    """Mean over (pool_h, pool_w) windows of (batch, height, width, channels) inputs."""

    rank = 2
    op = staticmethod(average_pool)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling1D(BasePooling):
    """Mean over windows of ``pool_size`` steps of (batch, steps, features) inputs."""

    rank = 1
    op = staticmethod(average_pool)

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


AvgPool2D = AveragePooling2D
AvgPool1D = AveragePooling1D
