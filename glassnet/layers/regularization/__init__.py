"""Layers that regularize training."""

from glassnet.layers.regularization.dropout import Dropout
from glassnet.layers.regularization.spatial_dropout import SpatialDropout1D, SpatialDropout2D

__all__ = ["Dropout", "SpatialDropout1D", "SpatialDropout2D"]
