"""Layers, as in ``keras.layers``; one subpackage per family.

Example:
    >>> from glassnet import layers
    >>> layers.Dense(10, activation="softmax")
    <Dense name=dense, built=False>
"""

from glassnet.layers.activations import ELU, Activation, LeakyReLU, ReLU, Softmax
from glassnet.layers.core import Dense, Input, InputLayer, Lambda
from glassnet.layers.layer import LAYER_CLASSES, Layer
from glassnet.layers.regularization import Dropout
from glassnet.layers.reshaping import Flatten, Reshape
from glassnet.layers.serialization import deserialize, serialize


def get(identifier):
    """A layer from a config dict (``{'class_name': 'Dense', 'config': {...}}``) or itself."""
    if isinstance(identifier, Layer):
        return identifier
    return deserialize(identifier)


__all__ = ["Activation", "Dense", "Dropout", "ELU", "Flatten", "Input", "InputLayer", "Lambda",
           "Layer", "LeakyReLU", "ReLU", "Reshape", "Softmax", "deserialize", "get",
           "serialize", "LAYER_CLASSES"]
