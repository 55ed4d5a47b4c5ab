"""Attention ops: a masked softmax over scores followed by the weighted sum of the values, and
the same fused with the query-key dot product.

    scores = (query @ key^T) * scale        (..., Tq, Tv)
    probs  = softmax(scores, masked)        masked positions get -1e9 before the softmax
    output = (probs * keep) @ value         keep: an optional dropout keep-mask

Keras uses two masking styles: ``"subtract"`` (``keras.layers.Attention``: scores - 1e9 where
masked) and ``"replace"`` (``MultiHeadAttention``'s softmax: the score becomes -1e9).  They
differ only for rows with every position masked.  Both ops return (output, probs), probs
before dropout.

Example:
    >>> q = k = v = Tensor(np.random.rand(2, 3, 4))
    >>> out, probs = dot_product_attention(q, k, v)
    >>> out.shape, probs.shape
    ((2, 3, 4), (2, 3, 3))
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op
from glassnet.ops.activations import softmax_array

#: What Keras adds to masked scores (float32 and wider).
LARGE_NEGATIVE = -1e9


def _swap(x):
    return np.swapaxes(x, -1, -2)


class _SoftmaxApply:
    """The shared half: probs = masked softmax(scores), output = (probs * keep) @ value."""

    def _apply(self, scores, value, mask, keep):
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
            if self.mask_style == "replace":
                scores = np.where(mask, scores, LARGE_NEGATIVE).astype(scores.dtype, copy=False)
            else:
                scores = scores + np.where(mask, 0, LARGE_NEGATIVE).astype(scores.dtype)
        self.mask, self.keep, self.value = mask, keep, value
        self.probs = softmax_array(scores, axis=-1)
        self.weights = self.probs if keep is None else self.probs * keep
        return np.matmul(self.weights, value), self.probs

    def _apply_backward(self, grads):
        d_output, d_probs = (list(grads) + [None])[:2] if isinstance(grads, (list, tuple)) \
            else (grads, None)
        d_value = None
        if d_output is None:
            d_weights = np.zeros_like(self.probs)
        else:
            d_value = np.matmul(_swap(self.weights), d_output)
            d_weights = np.matmul(d_output, _swap(self.value))
        if self.keep is not None:
            d_weights = d_weights * self.keep
        if d_probs is not None:
            d_weights = d_weights + d_probs
        p = self.probs
        d_scores = p * (d_weights - (d_weights * p).sum(axis=-1, keepdims=True))
        if self.mask is not None and self.mask_style == "replace":
            d_scores = d_scores * self.mask  # replaced scores no longer depend on the input
        if d_value is None:
            d_value = np.zeros_like(self.value)
        return d_scores, d_value


def _check_style(style: str) -> str:
    if style not in ("subtract", "replace"):
        raise ValueError(f"mask_style must be 'subtract' or 'replace'; received {style!r}.")
    return style


def _softmax_examples(rng=np.random.default_rng(110)):
    scores, value = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4, 5))
    mask = rng.random((2, 1, 4)) > 0.3
    mask[:, :, 0] = True
    keep = (rng.random((2, 3, 4)) > 0.4) / 0.6
    return [([scores, value, None, None], {}),
            ([scores, value, mask, None], {}),
            ([scores, value, np.tril(np.ones((3, 4), bool)), keep], {"mask_style": "replace"}),
            ([rng.standard_normal((2, 2, 3, 3)), rng.standard_normal((2, 2, 3, 2)), None, None],
             {})]


@register_op(_softmax_examples)
class SoftmaxAttention(Op, _SoftmaxApply):
    """output = (softmax(masked scores) * keep) @ value;  backward through both products and
    the softmax: d scores = p * (d p - sum(d p * p))."""

    label = "softmax_attention"
    differentiable = (True, True, False, False)

    def __init__(self, mask_style: str = "subtract"):
        self.mask_style = _check_style(mask_style)

    def forward(self, scores, value, mask=None, keep=None):
        return self._apply(scores, value, mask, keep)

    def backward(self, grad):
        d_scores, d_value = self._apply_backward(grad)
        return d_scores, d_value, None, None


def _dot_examples(rng=np.random.default_rng(111)):
    q, k, v = (rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4)),
               rng.standard_normal((2, 5, 2)))
    causal = np.tril(np.ones((3, 5), bool))
    keep = (rng.random((2, 3, 5)) > 0.4) / 0.6
    heads = [rng.standard_normal((2, 2, 3, 4)) for _ in range(3)]
    return [([q, k, v, None, None, None], {}),
            ([q, k, v, np.array(0.7), causal, None], {}),
            ([q, k, v, np.array(1.3), rng.random((2, 1, 5)) > 0.3, keep], {}),
            ([*heads, None, causal[None, None, :, :3], None],
             {"mask_style": "replace", "scale": 0.5})]


@register_op(_dot_examples)
class DotProductAttention(Op, _SoftmaxApply):
    """scores = (q @ k^T) * scale, then :class:`SoftmaxAttention`.

    ``scale`` is an input (a trainable scalar in ``Attention(use_scale=True)``) or, when that
    input is None, the constant given to the constructor.
    """

    label = "dot_product_attention"
    differentiable = (True, True, True, True, False, False)

    def __init__(self, mask_style: str = "subtract", scale: float = 1.0):
        self.mask_style = _check_style(mask_style)
        self.constant_scale = scale

    def forward(self, query, key, value, scale=None, mask=None, keep=None):
        self.query, self.key, self.scale_input = query, key, scale
        self.raw_scores = np.matmul(query, _swap(key))
        factor = self.constant_scale if scale is None else scale
        self.factor = np.asarray(factor, dtype=self.raw_scores.dtype)
        return self._apply(self.raw_scores * self.factor, value, mask, keep)

    def backward(self, grad):
        d_scores, d_value = self._apply_backward(grad)
        need = tuple(self.needs_input_grad) + (False,) * 6
        d_scale = None
        if need[3] and self.scale_input is not None:
            d_scale = np.asarray((d_scores * self.raw_scores).sum(),
                                 dtype=d_scores.dtype).reshape(np.shape(self.scale_input))
        d_raw = d_scores * self.factor
        d_query = np.matmul(d_raw, self.key) if need[0] else None
        d_key = np.matmul(_swap(d_raw), self.query) if need[1] else None
        return d_query, d_key, d_value if need[2] else None, d_scale, None, None


def softmax_attention(scores, value, mask=None, keep=None, mask_style: str = "subtract"):
    """(output, probs) of :class:`SoftmaxAttention` as a recorded op."""
    return SoftmaxAttention(mask_style)(scores, value, mask, keep)


def dot_product_attention(query, key, value, scale=None, mask=None, keep=None,
                          mask_style: str = "subtract", constant_scale: float = 1.0):
    """(output, probs) of :class:`DotProductAttention` as a recorded op."""
    return DotProductAttention(mask_style, constant_scale)(query, key, value, scale, mask, keep)
