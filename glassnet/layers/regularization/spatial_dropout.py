"""SpatialDropout1D and SpatialDropout2D: drop whole feature maps instead of single values.

Neighbouring pixels of a feature map are strongly correlated, so dropping them one by one
barely regularizes; these layers zero entire channels (the same for every pixel of a
sample) and scale the rest by 1 / (1 - rate).

Example:
    >>> layer = SpatialDropout2D(0.5, seed=1)
    >>> y = layer(np.ones((2, 4, 4, 8)), training=True).numpy()
    >>> bool(((y == 0).all(axis=(1, 2)) | (y != 0).all(axis=(1, 2))).all())
    True
"""

from __future__ import annotations

from glassnet.layers.convolutional.base_conv import check_input_rank, standardize_data_format
from glassnet.layers.regularization.dropout import Dropout
from glassnet.ops.dropout import dropout


class SpatialDropout2D(Dropout):
    """Dropout of whole channels of (batch, height, width, channels) inputs while training."""

    rank = 2

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = standardize_data_format(data_format)

    def call(self, inputs, training=None):
        check_input_rank(self, inputs.shape, self.rank)
        if not training or self.rate == 0:
            return inputs
        n = inputs.shape[0]
        if self.data_format == "channels_first":
            noise_shape = (n, inputs.shape[1]) + (1,) * self.rank
        else:
            noise_shape = (n,) + (1,) * self.rank + (inputs.shape[-1],)
        return dropout(inputs, self.rate, self._rng, noise_shape)

    def get_config(self) -> dict:
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype,
                "data_format": self.data_format}


class SpatialDropout1D(SpatialDropout2D):
    """Dropout of whole features of (batch, steps, features) inputs while training."""

    rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("data_format", None)
        return config
