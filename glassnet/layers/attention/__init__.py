"""Attention layers, as in ``keras.layers``.

Example:
    >>> from glassnet.layers.attention import MultiHeadAttention
    >>> MultiHeadAttention(num_heads=2, key_dim=4)(np.zeros((1, 3, 8)), np.zeros((1, 3, 8))).shape
    (1, 3, 8)
"""

from glassnet.layers.attention.additive_attention import AdditiveAttention
from glassnet.layers.attention.attention import Attention
from glassnet.layers.attention.multi_head_attention import MultiHeadAttention

__all__ = ["AdditiveAttention", "Attention", "MultiHeadAttention"]
