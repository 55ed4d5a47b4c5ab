"""Layers that regularize training."""

from glassnet.layers.regularization.dropout import Dropout

__all__ = ["Dropout"]
