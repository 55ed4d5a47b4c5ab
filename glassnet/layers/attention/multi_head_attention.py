"""MultiHeadAttention: ``num_heads`` scaled dot-product attentions over learned projections of
the query, key and value, concatenated and projected back (Vaswani et al., 2017).

Weights in Keras's layout and order: ``query/kernel`` (dim, heads, key_dim),
``query/bias`` (heads, key_dim), the same for ``key`` and ``value`` (value_dim), then
``attention_output/kernel`` (heads, value_dim, output) and ``attention_output/bias``.
Each projection runs as one dense GEMM on the kernel viewed as a matrix; the heads then
attend in one batched op with scale 1 / sqrt(key_dim).

Masks as in Keras 3: the query's mask (from ``Embedding(mask_zero=True)``) and the value's
and key's masks combine with ``attention_mask`` (batch, Tq, Tv) and ``use_causal_mask``;
the output carries the query's mask.

Example:
    >>> mha = MultiHeadAttention(num_heads=2, key_dim=8)
    >>> x = np.random.rand(4, 10, 16)
    >>> out, scores = mha(x, x, return_attention_scores=True)
    >>> out.shape, scores.shape
    ((4, 10, 16), (4, 2, 10, 10))
"""

from __future__ import annotations

import math

import numpy as np

from glassnet import initializers, regularizers
from glassnet.core.random import make_generator
from glassnet.core.symbolic import KerasTensor
from glassnet.core.tensor import Tensor
from glassnet.layers.attention.attention import causal_mask, mask_array
from glassnet.layers.layer import Layer
from glassnet.ops.attention import dot_product_attention
from glassnet.ops.dense import dense
from glassnet.ops.shape import reshape, transpose


def _positive(argument: str, value, optional: bool = False):
    if optional and value is None:
        return None
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"Received an invalid value for argument `{argument}`, expected a "
                         f"positive integer. Received: {argument}={value}")
    return int(value)


class MultiHeadAttention(Layer):
    """Multi-head attention with Keras 3's arguments (see the module docstring)."""

    def __init__(self, num_heads, key_dim, value_dim=None, dropout: float = 0.0,
                 use_bias: bool = True, output_shape=None, attention_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, seed=None, **kwargs):
        kwargs.pop("flash_attention", None)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.num_heads = _positive("num_heads", num_heads)
        self.key_dim = _positive("key_dim", key_dim)
        self.value_dim = _positive("value_dim", value_dim, optional=True) or self.key_dim
        self.dropout = float(dropout)
        self.use_bias = bool(use_bias)
        if isinstance(output_shape, (int, np.integer)):
            output_shape = (int(output_shape),)
        self._output_shape = tuple(output_shape) if output_shape else None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        self.attention_axes = None if attention_axes is None else tuple(attention_axes)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.seed = seed
        self._seeded_rng = None if seed is None else make_generator(seed)
        self.supports_masking = True
        self._projections = None

    # --- weights --------------------------------------------------------------------------
    def build(self, query_shape, value_shape=None, key_shape=None) -> None:
        """Create the weights; without ``value_shape`` this waits for the first call."""
        if value_shape is not None:
            self._build_weights(tuple(query_shape), tuple(value_shape),
                                tuple(key_shape or value_shape))
        self.built = True

    def _dense_weights(self, name: str, kernel_shape: tuple, bias_shape: tuple) -> dict:
        weights = {}
        for part, part_shape, initializer, regularizer, constraint in (
                ("kernel", kernel_shape, self.kernel_initializer, self.kernel_regularizer,
                 self.kernel_constraint),
                ("bias", bias_shape, self.bias_initializer, self.bias_regularizer,
                 self.bias_constraint)):
            if part == "bias" and not self.use_bias:
                weights[part] = None
                continue
            variable = self.add_weight(shape=part_shape, initializer=initializer, name=part,
                                       regularizer=regularizer, constraint=constraint)
            variable.path = f"{self.name}/{name}/{part}"
            weights[part] = variable
        return weights

    def _build_weights(self, query_shape, value_shape, key_shape) -> None:
        if self._projections is not None:
            return
        heads = self.num_heads
        out = self._output_shape or (query_shape[-1],)
        self._projections = {
            "query": self._dense_weights("query", (query_shape[-1], heads, self.key_dim),
                                         (heads, self.key_dim)),
            "key": self._dense_weights("key", (key_shape[-1], heads, self.key_dim),
                                       (heads, self.key_dim)),
            "value": self._dense_weights("value", (value_shape[-1], heads, self.value_dim),
                                         (heads, self.value_dim)),
            "attention_output": self._dense_weights("attention_output",
                                                    (heads, self.value_dim) + tuple(out),
                                                    tuple(out)),
        }

    def _project(self, name: str, x):
        """x (..., dim) -> (..., heads * size): one GEMM with the kernel as a matrix."""
        weights = self._projections[name]
        kernel = weights["kernel"]
        rows = kernel.shape[0] if name != "attention_output" else \
            kernel.shape[0] * kernel.shape[1]
        matrix = reshape(kernel, (rows, -1))
        bias = None if weights["bias"] is None else reshape(weights["bias"], (-1,))
        return dense(x, matrix, bias)

    # --- calling --------------------------------------------------------------------------
    def _axes(self, rank: int):
        inner = tuple(range(1, rank - 1))
        if self.attention_axes is None:
            return inner, ()
        attention = tuple(sorted(a % rank for a in self.attention_axes))
        for axis in attention:
            if axis not in inner:
                raise ValueError(f"MultiHeadAttention '{self.name}' attention_axes must name "
                                 f"axes between the batch and the features; received "
                                 f"{self.attention_axes} for inputs of rank {rank}.")
        return attention, tuple(a for a in inner if a not in attention)

    def _to_heads(self, x, size: int, attention, others):
        """(B, *inner, heads*size) -> (B, *others, heads, T, size), T the attention axes
        flattened, and the permutation used (to undo it for the output)."""
        inner_shape = x.shape[1:-1]
        x = reshape(x, (x.shape[0],) + tuple(inner_shape) + (self.num_heads, size))
        rank = x.ndim
        heads_axis = rank - 2
        order = (0,) + others + (heads_axis,) + attention + (rank - 1,)
        if order != tuple(range(rank)):
            x = transpose(x, order)
        steps = int(np.prod([x.shape[len(others) + 2 + i] for i in range(len(attention))]))
        shape = tuple(x.shape[:len(others) + 2]) + (steps, size)
        return reshape(x, shape), order, tuple(x.shape)

    def _attention_mask(self, query, value, key, query_mask, value_mask, key_mask,
                        attention_mask, use_causal_mask, others):
        mask = None if query_mask is None else query_mask[..., None]
        for m in (value_mask, key_mask):
            if m is not None:
                mask = m[..., None, :] if mask is None else mask & m[..., None, :]
        if use_causal_mask:
            causal = causal_mask(int(np.prod(query.shape[1:-1])), int(np.prod(value.shape[1:-1])))
            mask = causal if mask is None else mask & causal
        if attention_mask is not None:
            attention_mask = mask_array(attention_mask)
            mask = attention_mask if mask is None else attention_mask & mask
        if mask is None:
            return None
        if others:
            raise ValueError(f"MultiHeadAttention '{self.name}' supports masks when attending "
                             "over every axis between the batch and the features; received "
                             f"attention_axes={self.attention_axes}.")
        if mask.ndim > 3:  # (B, *query steps, *value steps) -> (B, Tq, Tv)
            mask = mask.reshape(mask.shape[0], int(np.prod(query.shape[1:-1])), -1)
        return mask[:, None] if mask.ndim == 3 else mask  # broadcast over the heads

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores: bool = False, training=None,
             use_causal_mask: bool = False):
        value = self._as_tensor(value)
        key_given = key is not None
        key = value if key is None else self._as_tensor(key)
        self._build_weights(tuple(query.shape), tuple(value.shape), tuple(key.shape))
        query_mask = mask_array(getattr(query, "_keras_mask", None))
        value_mask = mask_array(value_mask if value_mask is not None else
                                getattr(value, "_keras_mask", None))
        key_mask = mask_array(key_mask if key_mask is not None else
                              (getattr(key, "_keras_mask", None) if key_given else None))
        attention, others = self._axes(query.ndim)
        mask = self._attention_mask(query, value, key, query_mask, value_mask, key_mask,
                                    attention_mask, use_causal_mask, others)
        q, order, q_shape = self._to_heads(self._project("query", query), self.key_dim,
                                           attention, others)
        k, _, _ = self._to_heads(self._project("key", key), self.key_dim, attention, others)
        v, _, _ = self._to_heads(self._project("value", value), self.value_dim, attention,
                                 others)
        keep = None
        if training and self.dropout > 0:
            rng = self._seeded_rng if self._seeded_rng is not None else make_generator(None)
            scores_shape = q.shape[:-1] + (k.shape[-2],)
            keep = (rng.random(scores_shape, dtype=np.float32) >= self.dropout).astype(
                self.compute_dtype) / np.float32(1.0 - self.dropout)
        output, scores = dot_product_attention(q, k, v, None, mask, keep, mask_style="replace",
                                               constant_scale=1.0 / math.sqrt(self.key_dim))
        # Back to (B, *inner, heads * value_dim), then the output projection.
        output = reshape(output, q_shape[:-1] + (self.value_dim,))
        inverse = tuple(int(i) for i in np.argsort(order))
        if inverse != tuple(range(len(inverse))):
            output = transpose(output, inverse)
        output = reshape(output, tuple(query.shape[:-1]) + (-1,))
        output = self._project("attention_output", output)
        out_shape = self._output_shape or (query.shape[-1],)
        if len(out_shape) > 1:
            output = reshape(output, tuple(query.shape[:-1]) + tuple(out_shape))
        if query_mask is not None:
            output._keras_mask = query_mask
        if return_attention_scores:
            scores = reshape(scores, q_shape[:-1] + tuple(
                key.shape[a] for a in attention))
            return output, scores
        return output

    def _as_tensor(self, x):
        if isinstance(x, Tensor):
            if x.data.dtype.kind == "f" and x.data.dtype != self.compute_dtype:
                cast = Tensor(x.data.astype(self.compute_dtype))
                cast._keras_mask = x._keras_mask
                return cast
            return x
        return Tensor(np.asarray(x, dtype=self.compute_dtype))

    def compute_mask(self, inputs, mask=None):
        return None  # the output gets the query's mask in call()

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None,
                            key_mask=None, attention_mask=None,
                            return_attention_scores: bool = False, training=None,
                            use_causal_mask: bool = False):
        key = value if key is None else key
        self._build_weights(tuple(query.shape), tuple(value.shape), tuple(key.shape))
        out_shape = self._output_shape or (query.shape[-1],)
        output = KerasTensor(tuple(query.shape[:-1]) + tuple(out_shape), self.dtype)
        if not return_attention_scores:
            return output
        attention, others = self._axes(len(query.shape))
        scores_shape = (query.shape[0],) + tuple(query.shape[a] for a in others) + \
            (self.num_heads,) + tuple(query.shape[a] for a in attention) + \
            tuple(key.shape[a] for a in attention)
        return output, KerasTensor(scores_shape, self.dtype)

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        return tuple(query_shape[:-1]) + tuple(self._output_shape or (query_shape[-1],))

    def get_config(self) -> dict:
        def optional(item):
            return None if item is None else regularizers.serialize(item)

        return {**super().get_config(), "num_heads": self.num_heads, "key_dim": self.key_dim,
                "value_dim": self.value_dim, "dropout": self.dropout, "use_bias": self.use_bias,
                "output_shape": self._output_shape, "attention_axes": self.attention_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": optional(self.kernel_regularizer),
                "bias_regularizer": optional(self.bias_regularizer),
                "activity_regularizer": optional(self.activity_regularizer),
                "kernel_constraint": None, "bias_constraint": None, "seed": self.seed}
