"""Activation layers."""

from glassnet.layers.activations.activation import Activation
from glassnet.layers.activations.leaky_relu import ELU, LeakyReLU, ReLU, Softmax

__all__ = ["Activation", "ELU", "LeakyReLU", "ReLU", "Softmax"]
