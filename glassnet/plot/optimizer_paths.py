"""optimizer_paths: six optimizers descending the same 2-D loss surface, drawn on its contours.

The point (x, y) is two glassnet Variables; each step computes the surface's value with
glassnet ops, its gradient with ``glassnet.grad`` and moves the point with the optimizer's
own ``apply``, so the paths are exactly what ``keras.optimizers.*`` do.

Surfaces:

- ``'bowl'``: f = x²/20 + y², a long, narrow valley (*Deep Learning from Scratch*, ch. 6):
  plain SGD zig-zags across it, momentum overshoots and swings, adaptive methods head
  straight down.
- ``'rosenbrock'``: f = (1 − x)² + 100 (y − x²)², a curved valley with its minimum at (1, 1).
- ``'saddle'``: f = x² − y² + y⁴/4 (a saddle at the origin between two minima at
  y = ±√2): methods that start almost on the ridge differ in how fast they leave it.

Example:
    >>> fig = glassnet.plot.optimizer_paths()                    # the bowl, six optimizers
    >>> fig = glassnet.plot.optimizer_paths("rosenbrock", steps=300)
    >>> path = descend(glassnet.optimizers.Adam(0.3), "bowl", start=(-7.0, 2.0), steps=30)
    >>> path.shape
    (31, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from glassnet.plot._matplotlib import finish, pyplot


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface: its function, where to start, the view and a learning rate per
    optimizer that makes their behaviour visible in a few dozen steps."""

    name: str
    function: Callable
    start: tuple
    xlim: tuple
    ylim: tuple
    minima: tuple
    learning_rates: dict
    steps: int
    log_levels: bool = False


def _bowl(x, y):
    return x * x / 20 + y * y


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def _saddle(x, y):
    return x * x - y * y + y ** 4 / 4


SURFACES = {
    "bowl": Surface("bowl: x²/20 + y²", _bowl, (-7.0, 2.0), (-10, 10), (-5, 5), ((0.0, 0.0),),
                    {"SGD": 0.95, "Momentum": 0.1, "Nesterov": 0.1, "Adagrad": 1.5,
                     "RMSprop": 0.2, "Adam": 0.3}, 30),
    "rosenbrock": Surface("Rosenbrock: (1 − x)² + 100 (y − x²)²", _rosenbrock, (-1.2, 1.0),
                          (-1.5, 1.5), (-0.5, 1.75), ((1.0, 1.0),),
                          {"SGD": 0.0015, "Momentum": 0.0005, "Nesterov": 0.0005,
                           "Adagrad": 0.5, "RMSprop": 0.01, "Adam": 0.1}, 1000, True),
    "saddle": Surface("saddle: x² − y² + y⁴/4", _saddle, (-1.5, 1e-3), (-2, 2), (-2, 2),
                      ((0.0, 2 ** 0.5), (0.0, -2 ** 0.5)),
                      {"SGD": 0.05, "Momentum": 0.02, "Nesterov": 0.02, "Adagrad": 0.3,
                       "RMSprop": 0.02, "Adam": 0.05}, 60),
}

NAMES = ("SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam")


def surface(name) -> Surface:
    """The named surface ('bowl', 'rosenbrock', 'saddle'), or a Surface given as is."""
    if isinstance(name, Surface):
        return name
    from glassnet.utils.naming import lookup

    return lookup("surface", name, SURFACES)


def make_optimizer(name: str, learning_rate: float):
    """One of the six optimizers of the figure, by its label."""
    from glassnet import optimizers

    makers = {"SGD": lambda: optimizers.SGD(learning_rate),
              "Momentum": lambda: optimizers.SGD(learning_rate, momentum=0.9),
              "Nesterov": lambda: optimizers.SGD(learning_rate, momentum=0.9, nesterov=True),
              "Adagrad": lambda: optimizers.Adagrad(learning_rate),
              "RMSprop": lambda: optimizers.RMSprop(learning_rate),
              "Adam": lambda: optimizers.Adam(learning_rate)}
    return makers[name]()


def descend(optimizer, surface_name="bowl", start=None, steps: int | None = None) -> np.ndarray:
    """Run ``optimizer`` on a surface from ``start``; returns the path, shape (steps + 1, 2).

    Example:
        >>> descend(glassnet.optimizers.SGD(0.95), "bowl", steps=2)[:, 1]
        array([ 2.  , -1.8 ,  1.62])
    """
    from glassnet.core.tape import grad
    from glassnet.core.variable import Variable

    s = surface(surface_name)
    start = s.start if start is None else start
    steps = s.steps if steps is None else steps
    x = Variable(np.float64(start[0]), dtype=np.float64, name="x")
    y = Variable(np.float64(start[1]), dtype=np.float64, name="y")
    path = [(float(x.data), float(y.data))]
    for _ in range(steps):
        loss = s.function(x, y)
        optimizer.apply(grad(loss, [x, y]), [x, y])
        path.append((float(x.data), float(y.data)))
    return np.array(path)


def optimizer_paths(surface_name="bowl", optimizers=None, start=None, steps: int | None = None,
                    levels: int = 25, figsize=(9, 5.5), path=None):
    """Draw the paths of several optimizers on the contour plot of one surface.

    Args:
        surface_name: 'bowl' (default), 'rosenbrock', 'saddle' or a :class:`Surface`.
        optimizers: ``{label: optimizer}``; by default SGD, momentum, Nesterov, Adagrad,
            RMSprop and Adam with the surface's learning rates.
        start, steps: the starting point and the number of steps (surface defaults).
        levels: how many contour levels.
        path: save the figure there too (the format from the extension).

    Returns:
        The matplotlib Figure; ``fig.paths`` maps each label to its path array.

    Example:
        >>> fig = optimizer_paths("bowl")
        >>> fig.paths["Adam"][-1]      # where Adam ended
    """
    plt = pyplot()
    s = surface(surface_name)
    if optimizers is None:
        optimizers = {name: make_optimizer(name, s.learning_rates[name]) for name in NAMES}
    paths = {label: descend(opt, s, start, steps) for label, opt in optimizers.items()}

    gx, gy = np.meshgrid(np.linspace(*s.xlim, 300), np.linspace(*s.ylim, 300))
    gz = s.function(gx, gy)
    fig, ax = plt.subplots(figsize=figsize)
    if s.log_levels:  # values spanning decades: equal ratios between levels
        contour_levels = np.geomspace(max(gz.min(), 1e-3), gz.max(), levels)
    else:  # about equal areas between levels, so the floor of the valley is drawn too
        contour_levels = np.unique(np.quantile(gz, np.linspace(0, 1, levels)))
    ax.contour(gx, gy, gz, levels=contour_levels, colors="0.55", linewidths=0.6)
    colors = plt.get_cmap("tab10")
    for i, (label, points) in enumerate(paths.items()):
        every = max(1, (len(points) - 1) // 40)  # markers show the step size, not a smear
        ax.plot(points[:, 0], points[:, 1], marker="o", markersize=2.5, markevery=every,
                linewidth=1.2, color=colors(i), label=f"{label} (lr {_rate(optimizers[label])})")
    minima = np.array(s.minima)
    ax.plot(minima[:, 0], minima[:, 1], marker="*", markersize=12, color="black",
            linestyle="none", label="minimum")
    some_path = next(iter(paths.values()))
    ax.plot(some_path[0, 0], some_path[0, 1], marker="s", color="black", linestyle="none",
            label="start")
    ax.set_xlim(*s.xlim)
    ax.set_ylim(*s.ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(f"{s.name}, {len(some_path) - 1} steps")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.tight_layout()
    fig.paths = paths
    return finish(fig, path)


def _rate(optimizer) -> str:
    try:
        return f"{float(optimizer.learning_rate.numpy()):g}"
    except AttributeError:
        return "schedule"
