"""history(): the loss and accuracy curves of a ``fit``, training against validation.

The figure learners draw by hand after ``history = model.fit(...)``: one axes per metric,
the training value per epoch as dots joined by a line and the validation value (when
``fit`` had validation data) dashed beside it, so overfitting shows as the curves parting.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from glassnet.plot._matplotlib import finish, pyplot


def history(history, metrics: str | Iterable[str] | None = None, path=None):
    """Plot the per-epoch training and validation curves of a ``fit``.

    Args:
        history: what ``model.fit`` returned (a ``History``), or its ``.history`` dict.
        metrics: the metric names to draw, one axes each (``"loss"``, ``"accuracy"``, ...).
            Default: every training metric in the history, in its order.  The validation
            curve ``val_<name>`` is added wherever the history has it.
        path: a file to save the figure to (PNG, SVG, PDF... from the extension).

    Returns:
        The matplotlib Figure.

    Example:
        >>> h = model.fit(x, y, epochs=5, validation_split=0.2, verbose=0)  # doctest: +SKIP
        >>> figure = glassnet.plot.history(h, path="curves.png")  # doctest: +SKIP
        >>> [axes.get_title() for axes in figure.axes]  # doctest: +SKIP
        ['Training and validation accuracy', 'Training and validation loss']
    """
    logs = _logs(history)
    names = _metric_names(logs, metrics)
    longest = max(len(logs[key]) for name in names for key in (name, f"val_{name}")
                  if key in logs)
    epochs = _epoch_numbers(history, longest)

    plt = pyplot()
    figure, axes_list = plt.subplots(1, len(names), figsize=(5.0 * len(names), 3.8),
                                     squeeze=False, layout="constrained")
    for axes, name in zip(axes_list[0], names):
        drawn = []
        for key, label, style, color in ((name, "Training", "o-", "tab:blue"),
                                         (f"val_{name}", "Validation", "s--", "tab:orange")):
            if key in logs:
                values = np.asarray(logs[key], dtype=float)
                axes.plot(epochs[:len(values)], values, style, color=color,
                          label=f"{label} {name}")
                drawn.append(label)
        axes.set_title(" and ".join(drawn).capitalize() + f" {name}")
        axes.set_xlabel("Epoch")
        axes.set_ylabel(name)
        axes.grid(True, alpha=0.3)
        # Whole epochs only: "2.5" on the axis means nothing here.
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.legend()
    return finish(figure, path)


def _logs(history) -> dict:
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError("plot.history expects what model.fit returned (a History) or its "
                        f".history dict. Received: {type(history).__name__}")
    if not logs:
        raise ValueError("plot.history: the history is empty; was fit run for at least one "
                         "epoch?")
    return logs


def _metric_names(logs: dict, metrics) -> list[str]:
    if metrics is None:
        names = [name for name in logs if not name.startswith("val_")]
        # A history with only validation entries still has something to draw.
        return names or [name[4:] for name in logs]
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    if not names:
        raise ValueError("plot.history: `metrics` is empty; give at least one name, e.g. "
                         "metrics=['loss'].")
    for name in names:
        if name not in logs and f"val_{name}" not in logs:
            raise ValueError(f"plot.history: no metric {name!r} in the history; it has "
                             f"{list(logs)}. Received: metrics={names!r}")
    return names


def _epoch_numbers(history, count: int) -> np.ndarray:
    # History.epoch counts from 0 (and from initial_epoch when fit resumed); the books and
    # the progress bar count from 1.
    recorded = getattr(history, "epoch", None)
    if recorded is not None and len(recorded) == count:
        return np.asarray(recorded, dtype=int) + 1
    return np.arange(1, count + 1)
