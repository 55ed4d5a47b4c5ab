"""activations(): the activation functions side by side, as computed by glassnet.activations.

Elementwise functions are drawn as curves over x in [-5, 5].  Softmax is not elementwise (it
turns a whole vector of scores into probabilities), so its panel shows one example vector
of logits beside the probabilities softmax makes of them.  The perceptron's step and sign
functions, which are not Keras activations, are drawn too so the books' first chapters can
be put beside the smooth functions that replaced them.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from glassnet.plot._matplotlib import finish, grid_shape, pyplot

DEFAULT_NAMES = ("step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax")
SOFTMAX_EXAMPLE = np.array([2.0, 1.0, 0.1, -1.0], dtype=np.float32)
X_RANGE = (-5.0, 5.0)

# Not in keras.activations; plain NumPy, as the books define them.
_PERCEPTRON = {
    "step": (lambda x: (x > 0).astype(x.dtype), "1 if x > 0 else 0"),
    "sign": (np.sign, "-1, 0 or 1: the sign of x"),
}


def activations(names: Iterable[str] | None = None, ncols: int = 3, path=None):
    """Plot activation functions side by side, computed with ``glassnet.activations``.

    Args:
        names: activation names: any of ``glassnet.activations`` (``"sigmoid"``, ``"tanh"``,
            ``"relu"``, ``"leaky_relu"``, ``"elu"``, ``"gelu"``, ``"softmax"``, ...) and the
            perceptron's ``"step"`` and ``"sign"``.  Default: step, sigmoid, tanh, ReLU,
            leaky ReLU and softmax.
        ncols: panels per row.
        path: a file to save the figure to.

    Returns:
        The matplotlib Figure, one axes per name, titled with the name.

    Example:
        >>> figure = glassnet.plot.activations(["sigmoid", "relu"])  # doctest: +SKIP
        >>> [axes.get_title() for axes in figure.axes]  # doctest: +SKIP
        ['sigmoid', 'relu']
    """
    from glassnet import activations as functions

    names = list(DEFAULT_NAMES if names is None else ([names] if isinstance(names, str)
                                                     else names))
    for name in names:
        if name not in _PERCEPTRON:
            functions.get(name)  # an unknown name raises here, with suggestions
    rows, columns = grid_shape(len(names), ncols)
    plt = pyplot()
    figure, grid = plt.subplots(rows, columns, figsize=(3.4 * columns, 2.9 * rows),
                                squeeze=False, layout="constrained")
    x = np.linspace(*X_RANGE, 401, dtype=np.float32)
    for axes, name in zip(grid.flat, names):
        if name in ("softmax", "log_softmax"):
            _draw_vector_function(axes, name, getattr(functions, name))
        else:
            _draw_curve(axes, name, x, functions)
    for axes in list(grid.flat)[len(names):]:
        axes.set_visible(False)
    return finish(figure, path)


def _draw_curve(axes, name: str, x: np.ndarray, functions) -> None:
    if name in _PERCEPTRON:
        function, formula = _PERCEPTRON[name]
        y = function(x)
    else:
        function = functions.get(name)
        y = np.asarray(function(x), dtype=np.float32)
        formula = _formula(name, function)
    axes.axhline(0.0, color="0.6", linewidth=0.8)
    axes.axvline(0.0, color="0.6", linewidth=0.8)
    axes.plot(x, y, color="tab:blue", linewidth=2.0)
    axes.set_title(name)
    axes.set_xlabel(f"x    ({formula})" if formula else "x", fontsize=8)
    axes.set_xlim(*X_RANGE)
    axes.grid(True, alpha=0.3)


def _draw_vector_function(axes, name: str, function) -> None:
    logits = SOFTMAX_EXAMPLE
    outputs = np.asarray(function(logits[None, :]), dtype=np.float32)[0]
    positions = np.arange(len(logits))
    width = 0.4
    axes.bar(positions - width / 2, logits, width, color="0.65", label="logits x")
    bars = axes.bar(positions + width / 2, outputs, width, color="tab:blue",
                    label=f"{name}(x)")
    for bar, value in zip(bars, outputs):
        axes.annotate(f"{value:.2f}", (bar.get_x() + bar.get_width() / 2, value),
                      xytext=(0, 2 if value >= 0 else -9), textcoords="offset points",
                      ha="center", fontsize=7)
    axes.axhline(0.0, color="0.6", linewidth=0.8)
    axes.set_xticks(positions, [f"x{i}" for i in positions])
    axes.set_title(name)
    axes.set_xlabel("one vector of scores" + ("; outputs sum to 1" if name == "softmax"
                                               else ""), fontsize=8)
    axes.legend(fontsize=7, loc="upper right")


# Short forms for the axis label; other functions use their docstring when it is short.
FORMULAS = {
    "sigmoid": "1 / (1 + exp(-x))",
    "tanh": "(e^x - e^-x) / (e^x + e^-x)",
    "relu": "max(x, 0)",
    "leaky_relu": "x if x > 0 else 0.2 x",
    "elu": "x if x > 0 else exp(x) - 1",
    "gelu": "x * Phi(x)",
    "silu": "x * sigmoid(x)",
    "swish": "x * sigmoid(x)",
}


def _formula(name: str, function) -> str:
    if name in FORMULAS:
        return FORMULAS[name]
    doc = (function.__doc__ or "").strip().splitlines()
    line = doc[0].rstrip(".") if doc else ""
    return line if len(line) <= 32 else ""
