"""Networks written from scratch in plain NumPy, as learners write them before a framework.

- :class:`TwoLayerNet` and :func:`train`: the MNIST network of *Deep Learning from Scratch*
  (predict, loss, numerical_gradient, gradient by backprop, the mini-batch loop);
- :class:`NeuralNetwork`: the 2-3-1 sigmoid network with ``feed_forward``, ``backward``
  and ``train``;
- :mod:`glassnet.scratch.functions`: sigmoid, softmax, the losses, numerical_gradient.

They are short, commented and float64, and give the same numbers as glassnet's engine on
the same weights, so each line of a from-scratch network can be matched to the library.

Example:
    >>> from glassnet.scratch import TwoLayerNet
    >>> net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, seed=0)
    >>> grads = net.gradient(x_batch, t_batch)
"""

from glassnet.scratch.functions import (cross_entropy_error, mean_squared_error,
                                        numerical_gradient, one_hot, sigmoid, sigmoid_grad,
                                        softmax)
from glassnet.scratch.neural_network import NeuralNetwork
from glassnet.scratch.two_layer_net import TwoLayerNet, train

__all__ = ["TwoLayerNet", "train", "NeuralNetwork", "sigmoid", "sigmoid_grad", "softmax",
           "one_hot", "cross_entropy_error", "mean_squared_error", "numerical_gradient"]
