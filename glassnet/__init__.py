"""glassnet: Keras's API on a from-scratch NumPy engine you can see inside."""

from glassnet.version import __version__
from glassnet.core.tensor import Tensor
from glassnet.core.variable import Variable
from glassnet.core.tape import GradientTape, backward, grad, no_grad
from glassnet import ops, activations, initializers, regularizers, layers, callbacks
