"""TwoLayerNet: input -> sigmoid hidden layer -> softmax output, written out in NumPy.

The network of *Deep Learning from Scratch* chapter 4: parameters in a dict, ``predict``,
``loss``, ``accuracy``, a slow ``numerical_gradient`` and a fast ``gradient`` by
back-propagation, and :func:`train` for the mini-batch loop.  Everything is float64.
glassnet's engine gives the same numbers for the same weights
(``Dense(hidden, 'sigmoid')`` then ``Dense(classes, 'softmax')`` with categorical
cross-entropy); the tests check it to 1e-10.

Example:
    >>> net = TwoLayerNet(784, 50, 10, seed=0)
    >>> history = train(net, x_train, t_train, x_test, t_test, iterations=2000)
    >>> history["test_acc"][-1] > 0.9
    True
"""

from __future__ import annotations

import numpy as np

from glassnet.scratch.functions import (cross_entropy_error, numerical_gradient, one_hot,
                                        sigmoid, softmax)


class TwoLayerNet:
    """Two Dense layers: ``y = softmax(sigmoid(x W1 + b1) W2 + b2)``."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01, seed: int | None = None):
        rng = np.random.default_rng(seed)
        # Small random weights break the symmetry between hidden units; biases start at 0.
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }

    def _targets(self, t: np.ndarray) -> np.ndarray:
        """Accept integer labels as well as one-hot rows."""
        t = np.asarray(t)
        return t if t.ndim == 2 else one_hot(t, self.params["b2"].size)

    def scores(self, x: np.ndarray) -> np.ndarray:
        """The output layer's weighted sums, before softmax."""
        p = self.params
        hidden = sigmoid(x @ p["W1"] + p["b1"])
        return hidden @ p["W2"] + p["b2"]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per sample."""
        return softmax(self.scores(x))

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """Mean cross-entropy of the predictions against the targets."""
        return cross_entropy_error(self.scores(x), self._targets(t))

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Fraction of samples whose most probable class is the true one."""
        labels = np.asarray(t)
        labels = labels.argmax(axis=1) if labels.ndim == 2 else labels
        return float(np.mean(self.predict(x).argmax(axis=1) == labels))

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict:
        """Every parameter's gradient by central differences (slow: for checking only)."""
        loss = lambda _: self.loss(x, t)
        return {name: numerical_gradient(loss, value) for name, value in self.params.items()}

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict:
        """Every parameter's gradient by back-propagation: the chain rule, output to input."""
        p = self.params
        t = self._targets(t)
        n = x.shape[0]
        # forward, keeping what the backward pass needs
        a1 = x @ p["W1"] + p["b1"]
        z1 = sigmoid(a1)
        y = softmax(z1 @ p["W2"] + p["b2"])
        # backward: softmax and cross-entropy together have the derivative (y - t) / n
        dy = (y - t) / n
        grads = {"W2": z1.T @ dy, "b2": dy.sum(axis=0)}
        dz1 = dy @ p["W2"].T                 # back through W2
        da1 = dz1 * z1 * (1.0 - z1)          # back through the sigmoid: s' = s (1 - s)
        grads["W1"] = x.T @ da1
        grads["b1"] = da1.sum(axis=0)
        return grads


def train(network: TwoLayerNet, x_train, t_train, x_test=None, t_test=None,
          iterations: int = 10000, batch_size: int = 100, learning_rate: float = 0.1,
          seed: int | None = 0) -> dict:
    """Mini-batch SGD: pick a random batch, take the gradient, step against it.

    Records the loss of every batch, and the train and test accuracy once per epoch (one
    epoch = as many batches as it takes to see ``len(x_train)`` samples).

    Example:
        >>> history = train(TwoLayerNet(784, 50, 10), x_train, y_train, iterations=600)
        >>> len(history["train_loss"])
        600
    """
    rng = np.random.default_rng(seed)
    n = x_train.shape[0]
    per_epoch = max(n // batch_size, 1)
    history = {"train_loss": [], "train_acc": [], "test_acc": []}
    for i in range(iterations):
        batch = rng.choice(n, batch_size)
        x, t = x_train[batch], np.asarray(t_train)[batch]
        grads = network.gradient(x, t)
        for name in network.params:
            network.params[name] -= learning_rate * grads[name]
        history["train_loss"].append(network.loss(x, t))
        if (i + 1) % per_epoch == 0:
            history["train_acc"].append(network.accuracy(x_train, t_train))
            if x_test is not None:
                history["test_acc"].append(network.accuracy(x_test, t_test))
    return history
