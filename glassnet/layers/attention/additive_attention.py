"""AdditiveAttention: Bahdanau-style attention, scores ``sum(scale * tanh(query + key))``
with a learned ``scale`` vector (one weight per feature).

Example:
    >>> query, value = np.random.rand(2, 3, 4), np.random.rand(2, 5, 4)
    >>> AdditiveAttention()([query, value]).shape
    (2, 3, 4)
"""

from __future__ import annotations

from glassnet.layers.attention.attention import Attention
from glassnet.ops import reduce, shape
from glassnet.ops.activations import Tanh


class AdditiveAttention(Attention):
    """Additive attention with Keras 3's arguments (``use_scale=True`` by default)."""

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs):
        kwargs.pop("score_mode", None)
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape) -> None:
        self._validate_inputs(input_shape)
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],),
                                         initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        q = shape.reshape(query, query.shape[:-2] + (query.shape[-2], 1, query.shape[-1]))
        k = shape.reshape(key, key.shape[:-2] + (1,) + key.shape[-2:])
        activated = Tanh()(q + k)
        if self.scale is not None:
            activated = activated * self.scale
        return reduce.sum(activated, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config
