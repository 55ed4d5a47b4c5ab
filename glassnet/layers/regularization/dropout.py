"""Dropout: during training, zero a fraction ``rate`` of the inputs and scale the rest up.

Off outside training (evaluate, predict), so the layer is then the identity.

Example:
    >>> layer = Dropout(0.5, seed=1)
    >>> layer(np.ones((2, 4)), training=False).numpy().sum()
    8.0
"""

from __future__ import annotations

from glassnet.layers.layer import Layer
from glassnet.ops.dropout import dropout


class Dropout(Layer):
    """Inverted dropout with probability ``rate`` (kept units are scaled by 1 / (1 - rate))."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError("Invalid value received for argument `rate` of Dropout. Expected a "
                             f"float value between 0 and 1. Received: rate={rate!r}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        # Unseeded layers draw from the global generator at call time (see set_random_seed).
        self._rng = None if seed is None else self._make_rng(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=None):
        if training and self.rate > 0:
            return dropout(inputs, self.rate, self._rng, self.noise_shape)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate,
                "noise_shape": None if self.noise_shape is None else list(self.noise_shape),
                "seed": self.seed}
