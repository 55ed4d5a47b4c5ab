"""The functions a first network is built from, in plain NumPy (float64).

Each is the textbook formula with one line on why it is written that way.

Example:
    >>> sigmoid(np.array([0.0]))
    array([0.5])
    >>> numerical_gradient(lambda w: np.sum(w ** 2), np.array([1.0, 2.0]))
    array([2., 4.])
"""

from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x), squashing any number into (0, 1)."""
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of the sigmoid at x: sigmoid(x) * (1 - sigmoid(x))."""
    s = sigmoid(x)
    return s * (1.0 - s)


def softmax(x: np.ndarray) -> np.ndarray:
    """Scores to probabilities, row by row (minus the row maximum, so exp never overflows)."""
    shifted = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """Integer labels (N,) to one-hot rows (N, classes)."""
    return np.eye(classes)[np.asarray(labels).reshape(-1).astype(int)]


def cross_entropy_error(scores: np.ndarray, t: np.ndarray) -> float:
    """Mean cross-entropy of softmax(scores) against one-hot targets t.

    Computed from the scores as log-softmax (scores - log sum exp(scores)), which never takes
    log(0); taking log(softmax(scores) + 1e-7) instead would shift the loss by up to 1e-7.
    """
    shifted = scores - np.max(scores, axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return float(-np.sum(t * log_probs) / scores.shape[0])


def mean_squared_error(y: np.ndarray, t: np.ndarray) -> float:
    """Mean of (y - t)^2 over samples and outputs (as Keras's 'mse')."""
    return float(np.mean((y - t) ** 2))


def numerical_gradient(f, w: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """df/dw by central differences: (f(w + h) - f(w - h)) / 2h, one entry at a time.

    ``f`` takes ``w`` (changed in place and put back) and returns a number.  Slow (two
    evaluations of f per entry) but needs no calculus, which makes it the reference that
    back-propagation is checked against.
    """
    grad = np.zeros_like(w)
    it = np.nditer(w, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        original = w[i]
        w[i] = original + h
        plus = f(w)
        w[i] = original - h
        minus = f(w)
        w[i] = original
        grad[i] = (plus - minus) / (2 * h)
        it.iternext()
    return grad
