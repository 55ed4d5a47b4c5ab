"""Pooling layers: max and average over windows, and global pooling over whole maps."""

from glassnet.layers.pooling.average_pooling import (AveragePooling1D, AveragePooling2D,
                                                     AvgPool1D, AvgPool2D)
from glassnet.layers.pooling.global_pooling import (GlobalAveragePooling1D,
                                                    GlobalAveragePooling2D, GlobalAvgPool1D,
                                                    GlobalAvgPool2D, GlobalMaxPool1D,
                                                    GlobalMaxPool2D, GlobalMaxPooling1D,
                                                    GlobalMaxPooling2D)
from glassnet.layers.pooling.max_pooling import MaxPool1D, MaxPool2D, MaxPooling1D, MaxPooling2D

__all__ = ["AveragePooling1D", "AveragePooling2D", "AvgPool1D", "AvgPool2D",
           "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAvgPool1D",
           "GlobalAvgPool2D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPooling1D",
           "GlobalMaxPooling2D", "MaxPool1D", "MaxPool2D", "MaxPooling1D", "MaxPooling2D"]
