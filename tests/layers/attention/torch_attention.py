"""PyTorch references (float64) for the attention, layer-norm, embedding and repeat ops, in the
form of ``tests/ops/torch_reference.py``'s ``REFERENCES``: op label -> function of the op's
inputs (as torch tensors; boolean masks arrive as NumPy arrays) and constructor keywords.

Masks follow Keras 3: ``keras.layers.Attention`` subtracts 1e9 from masked scores,
``MultiHeadAttention``'s softmax replaces them with -1e9.

Example:
    >>> out, probs = dot_product_attention(q, k, v, mask=np.tril(np.ones((3, 3), bool)))
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

LARGE_NEGATIVE = -1e9


def _bool(mask):
    return None if mask is None else torch.as_tensor(np.asarray(mask, dtype=bool))


def softmax_attention(scores, value, mask=None, keep=None, mask_style="subtract"):
    mask = _bool(mask)
    if mask is not None:
        if mask_style == "replace":
            scores = torch.where(mask, scores, torch.full_like(scores, LARGE_NEGATIVE))
        else:
            scores = scores + LARGE_NEGATIVE * (~mask).to(scores.dtype)
    probs = torch.softmax(scores, dim=-1)
    weights = probs if keep is None else probs * keep
    return weights @ value, probs


def dot_product_attention(query, key, value, scale_input=None, mask=None, keep=None,
                          mask_style="subtract", scale=1.0):
    """The op's fourth input is a (trainable) scale; its constructor's ``scale`` is the
    constant used when that input is None."""
    factor = scale if scale_input is None else scale_input
    return softmax_attention((query @ key.transpose(-1, -2)) * factor, value, mask, keep,
                             mask_style)


def layer_norm(x, gamma=None, beta=None, axes=(-1,), epsilon=1e-3):
    dims = tuple(sorted(a % x.ndim for a in axes))
    shape = [x.shape[d] if d in dims else 1 for d in range(x.ndim)]
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, keepdim=True, unbiased=False)
    y = (x - mean) / torch.sqrt(var + epsilon)
    if gamma is not None:
        y = y * gamma.reshape(shape)
    if beta is not None:
        y = y + beta.reshape(shape)
    return y


def embedding(table, indices):
    return F.embedding(indices, table)


def repeat_vector(x, n):
    return x[:, None, :].expand(-1, n, -1)


REFERENCES = {
    "softmax_attention": softmax_attention,
    "dot_product_attention": dot_product_attention,
    "layer_norm": layer_norm,
    "embedding": embedding,
    "repeat_vector": repeat_vector,
}
