"""Layers that change the shape of each sample."""

from glassnet.layers.reshaping.flatten import Flatten
from glassnet.layers.reshaping.reshape import Reshape

__all__ = ["Flatten", "Reshape"]
