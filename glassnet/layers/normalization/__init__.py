"""Normalization layers."""

from glassnet.layers.normalization.batch_normalization import BatchNormalization
from glassnet.layers.normalization.layer_normalization import LayerNormalization

__all__ = ["BatchNormalization", "LayerNormalization"]
