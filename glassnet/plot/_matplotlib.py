"""matplotlib for glassnet.plot: imported on first use, headless-safe, one install hint.

matplotlib is an optional dependency, so every plot function asks for ``pyplot()`` when it
runs rather than at import time: ``import glassnet.plot`` always works, and a missing
matplotlib is reported with the command that installs it.
"""

from __future__ import annotations

import os
import sys

INSTALL_HINT = "glassnet.plot needs matplotlib: pip install glassnet[plot]"


def pyplot():
    """``matplotlib.pyplot``, choosing the Agg backend when nothing could show a window.

    Raises ImportError with the install hint when matplotlib is missing.

    Example:
        >>> pyplot().figure  # doctest: +ELLIPSIS
        <function figure at ...>
    """
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    if "matplotlib.pyplot" not in sys.modules and _no_backend_chosen(matplotlib) \
            and not _has_display():
        # Without this a headless machine may try (and warn about) a GUI toolkit first.
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _no_backend_chosen(matplotlib) -> bool:
    if os.environ.get("MPLBACKEND"):
        return False
    get = getattr(matplotlib.rcParams, "_get_backend_or_none", None)
    return get is None or get() is None


def _has_display() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def finish(figure, path=None, dpi: int = 100):
    """Save ``figure`` to ``path`` when one is given (the format from its extension) and
    return the figure.

    Example:
        >>> figure = finish(pyplot().figure(), None)
    """
    if path is not None:
        figure.savefig(os.fspath(path), dpi=dpi)
    return figure


def grid_shape(count: int, ncols: int) -> tuple[int, int]:
    """Rows and columns of a grid that holds ``count`` panels, at most ``ncols`` a row.

    Example:
        >>> grid_shape(50, 10)
        (5, 10)
    """
    if count < 1:
        raise ValueError(f"Nothing to draw: expected at least one panel. Received: {count}")
    columns = max(1, min(int(ncols), count))
    return -(-count // columns), columns


def panel_grid(rows: int, columns: int, size: float = 0.9, gap: float = 0.12,
               title: float = 0.0, top: float = 0.1, right: float = 0.1, left: float = 0.1):
    """A figure with a ``rows`` x ``columns`` grid of square panels of ``size`` inches,
    ``title`` inches above each panel for its title, ``top`` above the grid (a heading)
    and ``right`` beside it (a color bar), all in inches.

    Image grids have dozens of panels; placing them by arithmetic rather than with a layout
    engine makes drawing them several times faster.

    Example:
        >>> figure, grid = panel_grid(5, 10, title=0.25)
        >>> grid.shape
        (5, 10)
    """
    width = left + columns * size + (columns - 1) * gap + right
    height = top + rows * (size + title) + 0.1
    figure, grid = pyplot().subplots(rows, columns, figsize=(width, height), squeeze=False)
    figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=0.1 / height,
                           top=1 - (top + title) / height, wspace=gap / size,
                           hspace=title / size)
    return figure, grid


def side_colorbar(figure, image, right: float, label: str) -> None:
    """A color bar in the ``right`` inches that ``panel_grid`` left free."""
    width, height = figure.get_size_inches()
    bar = figure.add_axes((1 - (right - 0.25) / width, 0.2, 0.15 / width, 0.6))
    figure.colorbar(image, cax=bar, label=label)


def blank_axes(axes) -> None:
    """Hide ticks and frames: the panels of an image grid are pictures, not charts."""
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_visible(False)


def to_numpy(value):
    """A NumPy array from an array, a Tensor/Variable (``.numpy()``) or a list."""
    import numpy as np
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value)
