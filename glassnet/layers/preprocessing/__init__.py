"""Preprocessing layers that run inside a model.

Example:
    >>> from glassnet.layers.preprocessing import TextVectorization
"""

from glassnet.layers.preprocessing.text_vectorization import TextVectorization

__all__ = ["TextVectorization"]
