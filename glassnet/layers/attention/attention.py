"""Attention: dot-product (Luong-style) attention of a query sequence over a value sequence.

Called on ``[query, value]`` or ``[query, value, key]`` (key defaults to value), shapes
(batch, Tq, dim) and (batch, Tv, dim).  Scores are ``query @ key^T`` (times a learned scalar
with ``use_scale``), or with ``score_mode="concat"`` ``sum(tanh(query + key))`` times a
learned scalar; masked value steps and, with ``use_causal_mask``, future steps are left out
of the softmax, and the result is the weighted sum of the values.

Example:
    >>> query, value = np.random.rand(2, 3, 4), np.random.rand(2, 5, 4)
    >>> Attention()([query, value]).shape
    (2, 3, 4)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.random import make_generator
from glassnet.core.symbolic import KerasTensor
from glassnet.core.tensor import Tensor
from glassnet.layers.layer import Layer
from glassnet.ops import reduce, shape
from glassnet.ops.activations import Tanh
from glassnet.ops.attention import dot_product_attention, softmax_attention


def causal_mask(query_steps: int, value_steps: int) -> np.ndarray:
    """(1, Tq, Tv) booleans, True where the value step is not after the query step."""
    return np.tril(np.ones((query_steps, value_steps), dtype=bool))[None]


def mask_array(mask):
    if mask is None:
        return None
    return np.asarray(mask.data if isinstance(mask, Tensor) else mask).astype(bool)


class Attention(Layer):
    """Dot-product attention layer with Keras 3's arguments (see the module docstring)."""

    score_modes = ("dot", "concat")

    def __init__(self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0,
                 seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in self.score_modes:
            raise ValueError("Invalid value for argument score_mode. Expected one of "
                             f"{{'dot', 'concat'}}. Received: score_mode={score_mode}")
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = float(dropout)
        self.seed = seed
        self._seeded_rng = None if seed is None else make_generator(seed)
        self.supports_masking = True
        self.scale = self.concat_score_weight = None

    def _validate_inputs(self, inputs, mask=None) -> None:
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"{name} layer must be called on a list of inputs, namely "
                             f"[query, value] or [query, value, key]. Received: inputs={inputs}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely "
                             "[query, value] or [query, value, key]. Received length: "
                             f"{len(inputs)}.")
        if mask is not None and not (isinstance(mask, (list, tuple)) and 2 <= len(mask) <= 3):
            raise ValueError(f"{name} layer mask must be a list, namely [query_mask, "
                             f"value_mask]. Received: mask={mask}.")

    def build(self, input_shape) -> None:
        self._validate_inputs(input_shape)
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(),
                                                       initializer="ones")
        self.built = True

    def _calculate_scores(self, query, key):
        """Additive ('concat') scores; the dot mode is fused into the attention op."""
        q = shape.reshape(query, query.shape[:-2] + (query.shape[-2], 1, query.shape[-1]))
        k = shape.reshape(key, key.shape[:-2] + (1,) + key.shape[-2:])
        total = q + k
        if self.scale is not None:
            total = total * self.scale
        return reduce.sum(Tanh()(total), axis=-1) * self.concat_score_weight

    def _keep_mask(self, scores_shape, training):
        if not (training and self.dropout > 0):
            return None
        rng = self._seeded_rng if self._seeded_rng is not None else make_generator(None)
        keep = rng.random(scores_shape, dtype=np.float32) >= self.dropout
        return keep.astype(self.compute_dtype) / np.float32(1.0 - self.dropout)

    def call(self, inputs, mask=None, training=None, return_attention_scores: bool = False,
             use_causal_mask: bool = False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask_array(mask[0]) if mask else None
        value_mask = mask_array(mask[1]) if mask else None
        scores_shape = tuple(query.shape[:-1]) + (key.shape[-2],)
        score_mask = None if value_mask is None else value_mask[..., None, :]
        if use_causal_mask:
            causal = causal_mask(query.shape[-2], key.shape[-2])
            score_mask = causal if score_mask is None else score_mask & causal
        keep = self._keep_mask(scores_shape, training)
        if self.score_mode == "dot" and type(self)._calculate_scores is \
                Attention._calculate_scores:
            output, probs = dot_product_attention(query, key, value, self.scale, score_mask,
                                                  keep)
        else:
            output, probs = softmax_attention(self._calculate_scores(query, key), value,
                                              score_mask, keep)
        if query_mask is not None:
            output = output * query_mask[..., None].astype(output.dtype)
        if return_attention_scores:
            return output, probs
        return output

    def compute_mask(self, inputs, mask=None):
        if mask is None or mask[0] is None:
            return None
        return mask_array(mask[0])

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)

    def compute_output_spec(self, inputs, mask=None, training=None,
                            return_attention_scores: bool = False, use_causal_mask=False):
        self._validate_inputs(inputs)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        output = KerasTensor(tuple(query.shape[:-1]) + (value.shape[-1],), self.dtype)
        if return_attention_scores:
            return output, KerasTensor(tuple(query.shape[:-1]) + (key.shape[-2],), self.dtype)
        return output

    def get_config(self) -> dict:
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode, "dropout": self.dropout, "seed": self.seed}
