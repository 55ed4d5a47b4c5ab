"""Layers, as in ``keras.layers``; one subpackage per family.

Example:
    >>> from glassnet import layers
    >>> layers.Dense(10, activation="softmax")
    <Dense name=dense, built=False>
"""

from glassnet.layers.activations import ELU, Activation, LeakyReLU, ReLU, Softmax
from glassnet.layers.attention import AdditiveAttention, Attention, MultiHeadAttention
from glassnet.layers.convolutional import (
    Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Convolution1D, Convolution1DTranspose,
    Convolution2D, Convolution2DTranspose, DepthwiseConv2D, SeparableConv2D,
    SeparableConvolution2D)
from glassnet.layers.core import Dense, Embedding, Input, InputLayer, Lambda
from glassnet.layers.layer import LAYER_CLASSES, Layer
from glassnet.layers.merging import (
    Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, add, average,
    concatenate, dot, maximum, minimum, multiply, subtract)
from glassnet.layers.normalization import BatchNormalization, LayerNormalization
from glassnet.layers.pooling import (
    AveragePooling1D, AveragePooling2D, AvgPool1D, AvgPool2D, GlobalAveragePooling1D,
    GlobalAveragePooling2D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPool1D, MaxPool2D, MaxPooling1D, MaxPooling2D)
from glassnet.layers.preprocessing import TextVectorization
from glassnet.layers.regularization import Dropout, SpatialDropout1D, SpatialDropout2D
from glassnet.layers.reshaping import (
    Cropping1D, Cropping2D, Flatten, RepeatVector, Reshape, UpSampling1D, UpSampling2D,
    ZeroPadding1D, ZeroPadding2D)
from glassnet.layers.rnn import GRU, LSTM, Bidirectional, Masking, SimpleRNN, TimeDistributed
from glassnet.layers.serialization import deserialize, serialize


def get(identifier):
    """A layer from a config dict (``{'class_name': 'Dense', 'config': {...}}``) or itself."""
    if isinstance(identifier, Layer):
        return identifier
    return deserialize(identifier)


__all__ = [
    "Activation", "Add", "AdditiveAttention", "Attention", "Average", "AveragePooling1D",
    "AveragePooling2D", "AvgPool1D", "AvgPool2D", "BatchNormalization", "Bidirectional",
    "Concatenate", "Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Convolution1D",
    "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose", "Cropping1D",
    "Cropping2D", "Dense", "DepthwiseConv2D", "Dot", "Dropout", "ELU", "Embedding", "Flatten",
    "GRU", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAvgPool1D",
    "GlobalAvgPool2D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPooling1D",
    "GlobalMaxPooling2D", "Input", "InputLayer", "LAYER_CLASSES", "LSTM", "Lambda", "Layer",
    "LayerNormalization", "LeakyReLU", "Masking", "MaxPool1D", "MaxPool2D", "MaxPooling1D",
    "MaxPooling2D", "Maximum", "Minimum", "MultiHeadAttention", "Multiply", "ReLU",
    "RepeatVector", "Reshape", "SeparableConv2D", "SeparableConvolution2D", "SimpleRNN",
    "Softmax", "SpatialDropout1D", "SpatialDropout2D", "Subtract", "TextVectorization",
    "TimeDistributed", "UpSampling1D", "UpSampling2D", "ZeroPadding1D", "ZeroPadding2D", "add",
    "average", "concatenate", "deserialize", "dot", "get", "maximum", "minimum", "multiply",
    "serialize", "subtract"]
