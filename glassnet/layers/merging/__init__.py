"""Layers that merge several tensors into one, and their function forms.

Example:
    >>> from glassnet.layers import Input, concatenate
    >>> concatenate([Input(shape=(4,)), Input(shape=(6,))]).shape
    (None, 10)
"""

from glassnet.layers.merging.base_merge import Merge
from glassnet.layers.merging.concatenate import Concatenate, concatenate
from glassnet.layers.merging.dot import Dot, dot
from glassnet.layers.merging.elementwise import (Add, Average, Maximum, Minimum, Multiply,
                                                 Subtract, add, average, maximum, minimum,
                                                 multiply, subtract)

__all__ = ["Add", "Average", "Concatenate", "Dot", "Maximum", "Merge", "Minimum", "Multiply",
           "Subtract", "add", "average", "concatenate", "dot", "maximum", "minimum",
           "multiply", "subtract"]
