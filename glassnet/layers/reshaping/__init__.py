"""Layers that change the shape of each sample."""

from glassnet.layers.reshaping.cropping import Cropping1D, Cropping2D
from glassnet.layers.reshaping.flatten import Flatten
from glassnet.layers.reshaping.repeat_vector import RepeatVector
from glassnet.layers.reshaping.reshape import Reshape
from glassnet.layers.reshaping.upsampling import UpSampling1D, UpSampling2D
from glassnet.layers.reshaping.zero_padding import ZeroPadding1D, ZeroPadding2D

__all__ = ["Cropping1D", "Cropping2D", "Flatten", "RepeatVector", "Reshape", "UpSampling1D",
           "UpSampling2D", "ZeroPadding1D", "ZeroPadding2D"]
