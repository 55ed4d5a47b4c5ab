"""Figures saved to files instead of shown: what ``glassnet run`` does with ``plt.show()``.

:class:`FigureSaver` switches matplotlib to its file-only backend (Agg) and replaces
``pyplot.show`` with a function that writes every open figure to a PNG file in a folder and
then closes it, as a notebook's inline display would.  Figures still open when a notebook
cell (or the script) ends are saved the same way.

Example:
    >>> saver = FigureSaver("figures", prefix="lesson")
    >>> saver.install()                        # doctest: +SKIP
    >>> import matplotlib.pyplot as plt
    >>> plt.plot([1, 2, 3]); plt.show()        # doctest: +SKIP
    >>> saver.saved                            # doctest: +SKIP
    [PosixPath('figures/lesson_1.png')]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class FigureSaver:
    """Save matplotlib figures to ``folder`` as ``<prefix>_<n>.png`` (``cell<k>`` in notebooks).

    Args:
        folder: where the files go; created when the first figure is saved.
        prefix: the start of every file name.
    """

    def __init__(self, folder: str | os.PathLike, prefix: str = "figure"):
        self.folder = Path(folder)
        self.prefix = prefix
        self.saved: list[Path] = []
        self.label = ""          # e.g. "cell3": added to the names while a cell runs
        self._pyplot = None
        self._original_show = None

    def install(self) -> bool:
        """Patch ``pyplot.show``; False (and nothing done) when matplotlib is not installed."""
        if self._pyplot is not None:
            return True
        # Agg draws to files only; an explicit MPLBACKEND from the user is respected.
        os.environ.setdefault("MPLBACKEND", "Agg")
        try:
            import matplotlib
            import matplotlib.pyplot as pyplot
        except ImportError:
            return False
        if os.environ.get("MPLBACKEND", "").lower() == "agg":
            matplotlib.use("Agg", force=True)
        self._pyplot = pyplot
        self._original_show = pyplot.show
        saver = self

        def show(*args, **kwargs):
            """Save the open figures to files (glassnet run) instead of showing them."""
            saver.save_open_figures()

        pyplot.show = show
        return True

    def uninstall(self) -> None:
        """Put ``pyplot.show`` back."""
        if self._pyplot is not None:
            self._pyplot.show = self._original_show
            self._pyplot = None

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # e.g. a read-only folder next to an installed script
            fallback = Path.cwd() / self.folder.name
            print(f"glassnet run: cannot write figures to {self.folder} ({error}); saving them "
                  f"in {fallback} instead.", file=sys.stderr)
            self.folder = fallback
            self.folder.mkdir(parents=True, exist_ok=True)

    def save_open_figures(self) -> list[Path]:
        """Write every open figure to a new file, close it, and return the paths."""
        pyplot = self._pyplot
        if pyplot is None:
            return []
        paths = []
        for number in pyplot.get_fignums():
            figure = pyplot.figure(number)
            self._make_folder()
            parts = [self.prefix] + ([self.label] if self.label else [])
            path = self.folder / f"{'_'.join(parts)}_{len(self.saved) + 1}.png"
            figure.savefig(path)
            pyplot.close(figure)
            self.saved.append(path)
            paths.append(path)
        return paths
