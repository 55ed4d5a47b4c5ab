"""Convolution layers: Conv1D, Conv2D, their transposes, depthwise and separable forms."""

from glassnet.layers.convolutional.conv1d import Conv1D, Convolution1D
from glassnet.layers.convolutional.conv2d import Conv2D, Convolution2D
from glassnet.layers.convolutional.conv_transpose import (Conv1DTranspose, Conv2DTranspose,
                                                          Convolution1DTranspose,
                                                          Convolution2DTranspose)
from glassnet.layers.convolutional.depthwise_separable import (DepthwiseConv2D,
                                                               SeparableConv2D,
                                                               SeparableConvolution2D)

__all__ = ["Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Convolution1D",
           "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose",
           "DepthwiseConv2D", "SeparableConv2D", "SeparableConvolution2D"]
