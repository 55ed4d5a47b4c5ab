"""The progress line of a dataset download, written to stderr.

On a terminal the bar is redrawn in place (at most ten times a second); elsewhere (a log, a
notebook capture, a test) only its final state is written, so logs get one line per file.

Example:
    >>> bar = DownloadProgress("http://host/x.npz", "/tmp/x.npz", total=2048)  # doctest: +SKIP
    >>> bar.update(2048); bar.close()  # doctest: +SKIP
"""

from __future__ import annotations

import sys
import time

_WIDTH = 20
_INTERVAL = 0.1


def format_size(size: float) -> str:
    """A byte count with a binary unit, as people read it.

    Example:
        >>> format_size(512), format_size(11_490_434)
        ('512 B', '11.0 MiB')
    """
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.2f} GiB"


class DownloadProgress:
    """Say what is downloaded where, then show bytes received out of ``total`` (None when the
    server does not say) and the rate.

    Example:
        >>> import contextlib, io
        >>> captured = io.StringIO()
        >>> with contextlib.redirect_stderr(captured):
        ...     bar = DownloadProgress("http://h/f", "/tmp/f", total=4)
        ...     bar.update(4)
        ...     bar.close()
        >>> captured.getvalue().splitlines()[-1].startswith("[====")
        True
    """

    def __init__(self, url: str, path, total: int | None):
        self.stream = sys.stderr
        self.total = total
        self.received = 0
        self.start = time.monotonic()
        self._last_draw = 0.0
        isatty = getattr(self.stream, "isatty", None)
        self._redraw = bool(isatty and isatty())
        self.stream.write(f"Downloading {url}\n  -> {path}\n")
        self.stream.flush()

    def update(self, received: int) -> None:
        self.received = received
        now = time.monotonic()
        if self._redraw and now - self._last_draw >= _INTERVAL:
            self._last_draw = now
            self.stream.write("\r" + self._line(now))
            self.stream.flush()

    def close(self) -> None:
        prefix = "\r" if self._redraw else ""
        self.stream.write(prefix + self._line(time.monotonic()) + "\n")
        self.stream.flush()

    def _line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = f"{format_size(self.received / elapsed)}/s"
        if not self.total:
            return f"{format_size(self.received)} received  {rate}"
        fraction = min(self.received / self.total, 1.0)
        filled = int(round(fraction * _WIDTH))
        bar = "=" * filled + (">" if filled < _WIDTH else "") + " " * (_WIDTH - filled - 1)
        return (f"[{bar}] {fraction * 100:3.0f}%  {format_size(self.received)} / "
                f"{format_size(self.total)}  {rate}")
