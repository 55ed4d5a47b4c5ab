"""Masking: mark the timesteps whose features all equal ``mask_value`` as padding, so the
recurrent layers after it skip them (Keras keeps this layer in ``keras.layers``).

Example:
    >>> x = np.ones((1, 3, 2)); x[0, 1] = 0
    >>> Masking()(x)._keras_mask
    array([[ True, False,  True]])
"""

from __future__ import annotations

import numpy as np

from glassnet.layers.layer import Layer


class Masking(Layer):
    """Output the inputs with masked steps zeroed, plus a (batch, timesteps) mask."""

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def _keep(self, inputs) -> np.ndarray:
        values = inputs.data if hasattr(inputs, "data") else np.asarray(inputs)
        return np.any(values != self.mask_value, axis=-1)

    def call(self, inputs):
        keep = self._keep(inputs)[..., None].astype(inputs.dtype)
        return inputs * keep

    def compute_mask(self, inputs, mask=None):
        return self._keep(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
