"""gradient_flow: draw what :class:`glassnet.callbacks.GradientFlow` recorded.

One panel per statistic, layers along the x axis (input side on the left), one line per
epoch (lighter = earlier, dashed grey = before training).  Gradient norms and update
ratios use a log scale, so a gradient that shrinks by the same factor in every layer shows
as a straight slope: the vanishing-gradient picture.

Example:
    >>> flow = glassnet.callbacks.GradientFlow(x_train[:512], y_train[:512])
    >>> model.fit(x_train, y_train, epochs=5, callbacks=[flow])
    >>> fig = glassnet.plot.gradient_flow(flow, path="gradient_flow.png")
"""

from __future__ import annotations

from glassnet.callbacks.gradient_flow import STATISTICS
from glassnet.plot._matplotlib import finish, pyplot

TITLES = {"grad_norm": "gradient norm ||dL/dW||", "update_ratio": "update / weight ratio",
          "dead_relu": "dead ReLU units (fraction)", "saturated": "saturated units (fraction)"}
LOG_SCALE = ("grad_norm", "update_ratio")


def _series(source) -> tuple:
    """({statistic: {layer: [per epoch]}}, initial values by key or {}) from any source."""
    initial = getattr(source, "initial", {}) or {}
    history = getattr(source, "history", source)
    history = getattr(history, "history", history)  # a History object holds a dict
    if not isinstance(history, dict):
        raise TypeError("gradient_flow expects a GradientFlow callback, a History or its "
                        f"history dict. Received: {type(source).__name__}")
    found: dict = {}
    for key, values in history.items():
        stat, _, layer = str(key).partition("/")
        if stat in STATISTICS and layer:
            found.setdefault(stat, {})[layer] = list(values)
    if not found:
        raise ValueError("No gradient-flow statistics found (keys such as 'grad_norm/dense'). "
                         "Train with callbacks=[GradientFlow(x, y)] first. Received keys: "
                         f"{sorted(history)[:8]}")
    return found, initial


def gradient_flow(source, statistics=None, figsize=None, path=None):
    """Plot per-layer gradient norms, update ratios, dead and saturated units over epochs.

    Args:
        source: a :class:`~glassnet.callbacks.GradientFlow`, the History from ``fit``, or
            ``history.history``.
        statistics: which to draw (default: those recorded, in the order
            grad_norm, update_ratio, dead_relu, saturated).
        path: save the figure there too (the format from the extension).

    Returns:
        The matplotlib Figure (one Axes per statistic).

    Example:
        >>> fig = gradient_flow(history)
        >>> [ax.get_title() for ax in fig.axes]
        ['gradient norm ||dL/dW||', 'update / weight ratio']
    """
    plt = pyplot()
    found, initial = _series(source)
    wanted = [s for s in (statistics or STATISTICS) if s in found]
    if not wanted:
        raise ValueError(f"None of the statistics {list(statistics)} was recorded; "
                         f"recorded: {sorted(found)}")
    fig, axes = plt.subplots(1, len(wanted), squeeze=False,
                             figsize=figsize or (4.2 * len(wanted), 3.6))
    for ax, stat in zip(axes[0], wanted):
        layers = list(found[stat])
        positions = list(range(1, len(layers) + 1))
        epochs = len(next(iter(found[stat].values())))
        start = [initial.get(f"{stat}/{name}") for name in layers]
        if all(v is not None for v in start):
            ax.plot(positions, start, linestyle="--", color="0.5", marker=".",
                    label="before training")
        colors = plt.get_cmap("viridis")
        for e in range(epochs):
            values = [found[stat][name][e] for name in layers]
            shade = colors(0.15 + 0.7 * e / max(epochs - 1, 1))
            ax.plot(positions, values, marker="o", markersize=3, color=shade,
                    label=f"epoch {e + 1}")
        if stat in LOG_SCALE:
            ax.set_yscale("log")
        else:  # fractions: keep 0 at the bottom so "none" looks like none
            ax.set_ylim(0, max(0.05, 1.1 * ax.get_ylim()[1]))
        ax.set_title(TITLES[stat])
        ax.set_xlabel("layer (input → output)")
        ax.set_xticks(positions)
        ax.set_xticklabels(layers, rotation=60, ha="right", fontsize=7)
        ax.grid(True, alpha=0.3)
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    return finish(fig, path)
