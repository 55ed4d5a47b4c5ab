"""The activations a fused recurrent cell can apply, with their derivatives, and the per-gate
application used by the LSTM, GRU and SimpleRNN ops.

Keras lets a recurrent layer take any activation; the fused ops need the derivative too, so
they accept the built-in ones listed in ``CELL_ACTIVATIONS``.  With only tanh and sigmoid
(the defaults) every gate of a step is computed by one ``np.tanh`` call.

Example:
    >>> cell_activation("hard_sigmoid").forward(np.array([0.0, 3.0]))
    array([0.5, 1. ])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from glassnet.ops.activations import sigmoid_array


# --- activations a fused cell can apply -------------------------------------------------------

@dataclass(frozen=True)
class CellActivation:
    """An activation with its derivative, written for the fused cells.

    ``derivative(pre, post)`` is d post / d pre from the pre-activation and the output; most
    entries need only the output.
    """

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]


def _hard_sigmoid(x):
    return np.clip(x * (1.0 / 6.0) + 0.5, 0.0, 1.0).astype(x.dtype, copy=False)


def _elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)


def _softplus(x):
    return (np.logaddexp(0, x)).astype(x.dtype, copy=False)


CELL_ACTIVATIONS = {
    "tanh": CellActivation("tanh", np.tanh, lambda x, y: 1 - y * y),
    "sigmoid": CellActivation("sigmoid", sigmoid_array, lambda x, y: y * (1 - y)),
    "hard_sigmoid": CellActivation(
        "hard_sigmoid", _hard_sigmoid,
        lambda x, y: ((x > -3) & (x < 3)).astype(y.dtype) * np.asarray(1 / 6, y.dtype)),
    "relu": CellActivation("relu", lambda x: np.maximum(x, 0),
                           lambda x, y: (y > 0).astype(y.dtype)),
    "linear": CellActivation("linear", lambda x: x.copy(), lambda x, y: np.ones_like(y)),
    "softsign": CellActivation("softsign", lambda x: x / (1 + np.abs(x)),
                               lambda x, y: np.square(1 - np.abs(y))),
    "elu": CellActivation("elu", _elu, lambda x, y: np.where(y > 0, 1, y + 1).astype(y.dtype)),
    "softplus": CellActivation("softplus", _softplus, lambda x, y: -np.expm1(-y)),
    "exponential": CellActivation("exponential", np.exp, lambda x, y: y),
}


def cell_activation(name: str, argument: str = "activation") -> CellActivation:
    """The fused form of activation ``name`` ('tanh', 'sigmoid', ...)."""
    if name is None:
        name = "linear"
    found = CELL_ACTIVATIONS.get(name)
    if found is None:
        raise ValueError(
            f"The fused recurrent cells support {argument} in {sorted(CELL_ACTIVATIONS)}. "
            f"Received: {argument}={name!r}")
    return found


class GateActivations:
    """One activation per gate, applied in place to a step's (gates, batch, units) block.

    With only tanh and sigmoid gates (the Keras defaults) a single ``np.tanh`` covers every
    gate, since sigmoid(x) = (1 + tanh(x / 2)) / 2: the caller halves the sigmoid gates'
    weights once per call (``scale``), and ``forward`` maps tanh's output to (0, 1) on
    those gates.  Any other activation keeps the pre-activations for backward.
    """

    def __init__(self, activations: list, shape: tuple, dtype, keep: bool):
        self.activations = activations
        names = {a.name for a in activations}
        self.fast = names <= {"tanh", "sigmoid"}
        self.has_sigmoid = "sigmoid" in names
        sigmoid = np.array([a.name == "sigmoid" for a in activations]).reshape(-1, 1, 1)
        # Per gate, broadcast over (batch, units).
        self.scale = np.where(sigmoid, 0.5, 1.0).astype(dtype) if (
            self.fast and self.has_sigmoid) else None
        self.out_shift = np.where(sigmoid, 0.5, 0.0).astype(dtype)
        # d/dz as (1 - s) (s + shift): s (1 - s) for sigmoid, 1 - s**2 for tanh.
        self.deriv_shift = np.where(sigmoid, 0.0, 1.0).astype(dtype)
        self.pre = np.empty(shape, dtype) if (keep and not self.fast) else None

    def scaled(self, blocks):
        """Per-gate weight blocks (gates, ..., units) with the sigmoid gates halved."""
        return scale_blocks(blocks, self.scale)

    def input_scale(self, dtype=None) -> np.ndarray:
        """The per-gate factor for the weights feeding these gates (ones if none)."""
        if self.scale is not None:
            return self.scale
        return np.ones((len(self.activations), 1, 1), dtype or self.out_shift.dtype)

    def forward(self, t: int, z: np.ndarray) -> None:
        """Replace step t's pre-activations ``z`` (gates, batch, units) by the activations."""
        if self.fast:
            np.tanh(z, out=z)
            if self.has_sigmoid:
                z *= self.scale
                z += self.out_shift
            return
        if self.pre is not None:
            self.pre[:, t] = z
        for k, activation in enumerate(self.activations):
            z[k] = activation.forward(z[k])

    def derivative_all(self, s: np.ndarray, out: np.ndarray) -> np.ndarray:
        """d s / d z for every step at once: ``s`` and ``out`` are (gates, T, batch, units)."""
        for k, activation in enumerate(self.activations):
            if not self.fast:
                out[k] = activation.derivative(self.pre[k], s[k])
            elif activation.name == "sigmoid":
                np.subtract(1, s[k], out=out[k])
                out[k] *= s[k]
            else:
                np.multiply(s[k], s[k], out=out[k])
                np.subtract(1, out[k], out=out[k])
        return out

    def derivative(self, t: int, s: np.ndarray, out: np.ndarray) -> np.ndarray:
        """d s / d z for step t's activations ``s`` (gates, batch, units), into ``out``."""
        if self.fast:
            np.subtract(1, s, out=out)
            out *= s + self.deriv_shift
            return out
        for k, activation in enumerate(self.activations):
            out[k] = activation.derivative(self.pre[k, t], s[k])
        return out


def scale_blocks(blocks, scale):
    """``blocks`` (gates, ..., units) times a per-gate ``scale`` (gates, 1, 1), or unchanged."""
    if blocks is None or scale is None:
        return blocks
    return blocks * scale.reshape((-1,) + (1,) * (blocks.ndim - 1))
