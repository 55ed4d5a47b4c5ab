"""Differentiable ops, one file per family, and their function forms (like ``keras.ops``).

Importing this package registers every op for gradient checking.

Example:
    >>> from glassnet import ops
    >>> ops.relu(Tensor([-1.0, 2.0])).data
    array([0., 2.], dtype=float32)
"""

from glassnet.ops import activations as _activations
from glassnet.ops import dropout as _dropout  # noqa: F401 - registers the op
from glassnet.ops import losses as _losses  # noqa: F401 - registers the ops
from glassnet.ops import penalty as _penalty  # noqa: F401 - registers the op
from glassnet.ops.dense import dense
from glassnet.ops.elementwise import (abs, add, clip, divide, exp, log, maximum, minimum,
                                      multiply, negative, power, sqrt, square, subtract)
from glassnet.ops.matmul import matmul
from glassnet.ops.reduce import max, mean, sum
from glassnet.ops.shape import concatenate, get_item, reshape, transpose


def relu(x):
    """max(x, 0) as a recorded op."""
    return _activations.ReLU()(x)


def sigmoid(x):
    """1 / (1 + exp(-x)) as a recorded op."""
    return _activations.Sigmoid()(x)


def tanh(x):
    """tanh(x) as a recorded op."""
    return _activations.Tanh()(x)


def softmax(x, axis: int = -1):
    """exp(x) / sum(exp(x)) along ``axis`` as a recorded op."""
    return _activations.Softmax(axis)(x)


__all__ = ["abs", "add", "clip", "concatenate", "dense", "divide", "exp", "get_item", "log",
           "matmul", "max", "maximum", "mean", "minimum", "multiply", "negative", "power",
           "relu", "reshape", "sigmoid", "softmax", "sqrt", "square", "subtract", "sum", "tanh",
           "transpose"]
