"""Core layers; also the old ``keras.layers.core`` module path, which exported
Dense, Dropout, Activation, Flatten and Reshape.

Example:
    >>> from glassnet.layers.core import Dense, Dropout
"""

from glassnet.layers.activations.activation import Activation
from glassnet.layers.core.dense import Dense
from glassnet.layers.core.embedding import Embedding
from glassnet.layers.core.input_layer import Input, InputLayer
from glassnet.layers.core.lambda_layer import Lambda
from glassnet.layers.regularization.dropout import Dropout
from glassnet.layers.rnn.masking import Masking
from glassnet.layers.reshaping.flatten import Flatten
from glassnet.layers.reshaping.repeat_vector import RepeatVector
from glassnet.layers.reshaping.reshape import Reshape

__all__ = ["Activation", "Dense", "Dropout", "Embedding", "Flatten", "Input", "InputLayer",
           "Lambda", "Masking", "RepeatVector", "Reshape"]
