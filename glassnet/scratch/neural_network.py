"""NeuralNetwork: the 2-3-1 sigmoid network that learns XOR, written out in NumPy.

Two inputs, three hidden sigmoid units, one sigmoid output, mean squared error and plain
gradient descent on the whole data set: ``feed_forward`` computes and keeps every layer's
values, ``backward`` turns them into gradients with the chain rule, ``train`` repeats both
and steps the weights.  float64 throughout; glassnet's engine gives the same numbers for
the same weights (``Dense(3, 'sigmoid')``, ``Dense(1, 'sigmoid')``, loss 'mse', SGD).

Example:
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    >>> y = np.array([[0], [1], [1], [0]], dtype=float)
    >>> net = NeuralNetwork(seed=1, learning_rate=2.0)
    >>> losses = net.train(X, y, epochs=5000)
    >>> np.round(net.feed_forward(X)).ravel()
    array([0., 1., 1., 0.])
"""

from __future__ import annotations

import numpy as np

from glassnet.scratch.functions import mean_squared_error, sigmoid


class NeuralNetwork:
    """A fully connected sigmoid network (2-3-1 by default) trained by gradient descent."""

    def __init__(self, n_input: int = 2, n_hidden: int = 3, n_output: int = 1,
                 learning_rate: float = 0.5, seed: int | None = None):
        rng = np.random.default_rng(seed)
        # Random weights (so the hidden units learn different things), zero biases.
        self.W1 = rng.uniform(-1.0, 1.0, (n_input, n_hidden))
        self.b1 = np.zeros(n_hidden)
        self.W2 = rng.uniform(-1.0, 1.0, (n_hidden, n_output))
        self.b2 = np.zeros(n_output)
        self.learning_rate = learning_rate

    def feed_forward(self, X: np.ndarray) -> np.ndarray:
        """Inputs to outputs; keeps each layer's weighted sum (z) and activation (a)."""
        self.X = X
        self.z1 = X @ self.W1 + self.b1       # weighted sum of the hidden layer
        self.a1 = sigmoid(self.z1)            # its activation
        self.z2 = self.a1 @ self.W2 + self.b2
        self.a2 = sigmoid(self.z2)            # the prediction y_hat
        return self.a2

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean squared error of the predictions."""
        return mean_squared_error(self.feed_forward(X), y)

    def backward(self, y: np.ndarray) -> dict:
        """Gradients of the loss for the last ``feed_forward``, from the output back."""
        n, k = y.shape
        d_a2 = 2.0 * (self.a2 - y) / (n * k)           # d mean((a2 - y)^2) / d a2
        delta2 = d_a2 * self.a2 * (1.0 - self.a2)       # through the sigmoid: s' = s (1 - s)
        d_a1 = delta2 @ self.W2.T                       # back through the weights
        delta1 = d_a1 * self.a1 * (1.0 - self.a1)       # through the hidden sigmoid
        return {"W2": self.a1.T @ delta2, "b2": delta2.sum(axis=0),
                "W1": self.X.T @ delta1, "b1": delta1.sum(axis=0),
                "delta2": delta2, "delta1": delta1}

    def step(self, grads: dict) -> None:
        """One gradient-descent step: w <- w - learning_rate * dL/dw."""
        for name in ("W1", "b1", "W2", "b2"):
            setattr(self, name, getattr(self, name) - self.learning_rate * grads[name])

    def train(self, X: np.ndarray, y: np.ndarray, epochs: int = 1000) -> list:
        """Full-batch gradient descent; returns the loss before each step."""
        losses = []
        for _ in range(epochs):
            losses.append(mean_squared_error(self.feed_forward(X), y))
            self.step(self.backward(y))
        return losses
