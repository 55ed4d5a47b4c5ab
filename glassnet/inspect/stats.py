"""Summary numbers for arrays in a trace: shape, mean, std, min, max, zeros, saturation.

A unit is *saturated* when its activation sits where the derivative is nearly zero, so
almost no gradient passes back through it:

- sigmoid: output below 0.01 or above 0.99 (derivative z (1 - z) below about 0.0099);
- tanh: |output| above 0.99 (derivative 1 - z**2 below about 0.02);
- hard_sigmoid: output exactly 0 or 1 (derivative 0).

A ReLU unit is *dead* on a batch when its output is zero for every sample of the batch.

Example:
    >>> s = describe(np.array([[0.0, 0.5], [0.0, 0.995]]), activation="sigmoid")
    >>> s.mean, s.zeros, s.saturated
    (0.37375, 0.5, 0.75)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Saturation threshold on the activation's output (see the module docstring).
SATURATION = 0.01

#: Activations whose units can saturate, and those whose units can die.
SATURATING = ("sigmoid", "tanh", "hard_sigmoid")
RECTIFYING = ("relu", "relu6", "elu", "selu", "leaky_relu")


@dataclass(frozen=True)
class ArrayStats:
    """Summary of one array; ``zeros`` and ``saturated`` are fractions of its entries."""

    shape: tuple
    mean: float
    std: float
    min: float
    max: float
    zeros: float
    saturated: float | None = None


def saturated_mask(activation_output: np.ndarray, activation: str) -> np.ndarray | None:
    """Where the units of an activation's output are saturated (None if it cannot saturate)."""
    z = np.asarray(activation_output)
    if activation == "sigmoid":
        return (z < SATURATION) | (z > 1 - SATURATION)
    if activation == "tanh":
        return np.abs(z) > 1 - SATURATION
    if activation == "hard_sigmoid":
        return (z <= 0) | (z >= 1)
    return None


def saturated_fraction(activation_output, activation: str) -> float | None:
    """Fraction of saturated entries, or None for activations that do not saturate."""
    mask = saturated_mask(activation_output, activation)
    return None if mask is None else float(mask.mean()) if mask.size else 0.0


def dead_fraction(activation_output: np.ndarray) -> float:
    """Fraction of units (last axis) whose output is zero for every sample of the batch.

    Example:
        >>> dead_fraction(np.array([[0.0, 1.0, 0.0], [0.0, 2.0, 3.0]]))
        0.3333333333333333
    """
    z = np.asarray(activation_output)
    if z.size == 0:
        return 0.0
    units = z.reshape(-1, z.shape[-1])
    return float(np.all(units == 0, axis=0).mean())


def describe(array, activation: str | None = None) -> ArrayStats:
    """The summary numbers of ``array`` (statistics in float64 so float32 sums stay exact)."""
    a = np.asarray(array)
    if a.size == 0:
        return ArrayStats(a.shape, np.nan, np.nan, np.nan, np.nan, 0.0, None)
    wide = a.astype(np.float64, copy=False)
    saturated = None if activation is None else saturated_fraction(a, activation)
    return ArrayStats(tuple(a.shape), float(wide.mean()), float(wide.std()), float(wide.min()),
                      float(wide.max()), float(np.count_nonzero(a == 0) / a.size), saturated)


def norm(array) -> float:
    """The L2 norm of all entries, in float64."""
    a = np.asarray(array, dtype=np.float64).reshape(-1)
    return float(np.sqrt(np.dot(a, a)))


def _number(value: float) -> str:
    if value is None:
        return ""
    if value != value:  # NaN
        return "nan"
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.4f}"
    return f"{value:.3e}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


COLUMNS = ("quantity", "shape", "mean", "std", "min", "max", "zeros", "saturated")


def format_table(rows: list) -> str:
    """Rows of ``(label, ArrayStats or None)`` (None starts a section) as aligned text."""
    cells = []
    for label, stats in rows:
        if stats is None:
            cells.append((label,))
            continue
        cells.append((label, str(stats.shape), _number(stats.mean), _number(stats.std),
                      _number(stats.min), _number(stats.max), _percent(stats.zeros),
                      _percent(stats.saturated)))
    widths = [len(c) for c in COLUMNS]
    for row in cells:
        if len(row) > 1:
            widths = [max(w, len(c)) for w, c in zip(widths, row)]
    def line(row):
        first = row[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        return "  ".join([first] + rest).rstrip()
    out = [line(COLUMNS), "-" * (sum(widths) + 2 * (len(widths) - 1))]
    for row in cells:
        out.append(row[0] if len(row) == 1 else line(row))
    return "\n".join(out)
