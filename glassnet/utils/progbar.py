"""Progbar: the progress line that ``fit``, ``evaluate`` and ``predict`` print, as Keras 3.

Verbose 1 redraws one line per update (bold step count, a green and grey bar of '━',
ETA or elapsed time, time per step, metrics); verbose 2 prints one line when the bar is
finished.  The bytes written are the ones ``keras.utils.Progbar`` writes.

Example:
    >>> bar = Progbar(target=3)
    >>> for step in range(1, 4):
    ...     bar.update(step, [("loss", 0.5)])
"""

from __future__ import annotations

import math
import os
import sys
import time
from typing import Callable, Iterable

import numpy as np

_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"
_GREEN = "\x1b[32m"
_GREY = "\x1b[37m"
# Bytes that the width bookkeeping leaves out: the bold step count, each coloured bar part
# and the bold time are wrapped in escape codes that take no room on screen.
_BOLD_WRAP = len(_BOLD) + len(_RESET)
_COLOUR_WRAP = len(_GREEN) + len(_RESET)


def write(message: str) -> None:
    """Write ``message`` to stdout as is and flush (Keras's ``io_utils.print_msg`` without a
    line break).  Terminals that cannot encode '━' get '=' instead, as Keras 2 drew it.

    Example:
        >>> write("done\\n")
        done
    """
    from glassnet.distribute import is_chief
    if not is_chief():  # in a data-parallel job only rank 0 prints
        return
    stream = sys.stdout
    try:
        stream.write(message)
    except UnicodeEncodeError:
        encoding = stream.encoding or "utf-8"
        message = message.replace("━", "=").encode(encoding, errors="ignore").decode(encoding)
        stream.write(message)
    stream.flush()


def format_step_time(seconds: float, unit_name: str) -> str:
    """' 12ms/step': the time of one unit in s, ms or us, rounded to whole numbers.

    Example:
        >>> format_step_time(0.0042, "step")
        ' 4ms/step'
    """
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def _format_eta(seconds: float) -> str:
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def _terminal_redraws() -> bool:
    # Keras redraws in place (backspaces and a carriage return) for terminals, notebooks,
    # PyCharm and every POSIX system; elsewhere each update starts a new line.
    isatty = getattr(sys.stdout, "isatty", None)
    return bool((isatty is not None and isatty()) or "ipykernel" in sys.modules
                or "posix" in sys.modules or "PYCHARM_HOSTED" in os.environ)


class Progbar:
    """A progress bar for ``target`` steps (``None`` when the number is not known yet).

    Metrics named in ``stateless_metrics`` (or all but those in ``stateful_metrics``) are
    averaged over the steps seen, weighted by how many steps each update covers; the others
    are shown as given.  With neither argument every metric is averaged.  ``clock`` returns
    the time in seconds (``time.time`` unless given; tests pass a fake one).

    Example:
        >>> bar = Progbar(target=100, stateful_metrics=["accuracy"])
        >>> bar.update(50, [("loss", 0.31), ("accuracy", 0.9)])
        >>> bar.add(50, [("loss", 0.29), ("accuracy", 0.92)])
    """

    def __init__(self, target: int | None, width: int = 20, verbose: int = 1,
                 interval: float = 0.05, stateful_metrics: Iterable[str] | None = None,
                 stateless_metrics: Iterable[str] | None = None, unit_name: str = "step",
                 clock: Callable[[], float] | None = None):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar takes either `stateful_metrics` (metrics shown as given, all others "
                "averaged) or `stateless_metrics` (metrics averaged, all others shown as "
                f"given), not both. Received: stateful_metrics={stateful_metrics}, "
                f"stateless_metrics={stateless_metrics}")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = None if stateless_metrics is not None else \
            set(stateful_metrics or ())
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        # Whether some metric may be averaged, so that every update's values count.
        self._averages = self.stateless_metrics is None or bool(self.stateless_metrics)
        self.clock = clock if clock is not None else time.time
        self._dynamic_display = _terminal_redraws()
        self._seen_so_far = 0
        # name -> [weighted sum, weight]; dicts keep the order in which names first came.
        self._values: dict = {}
        self._start = self.clock()
        self._last_update = 0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def update(self, current: int, values=None, finalize: bool | None = None) -> None:
        """Move the bar to step ``current`` with ``values``, a list of (name, value) for the
        steps since the last update; ``finalize`` (default: ``current >= target``) ends it.

        ``values`` may also be a function returning that list: when no metric is averaged
        it is called only if this update is shown, so a training loop can skip computing
        metrics on the steps between redraws."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        now = self.clock()
        shown = finalize or (self.verbose == 1 and now - self._last_update >= self.interval)
        if callable(values):
            values = values() if shown or self._averages else None
        if values:
            self._record(current, values, finalize)
        self._seen_so_far = current
        if self.verbose == 1 and not shown:
            # Called every training step: only remember when step 1 ended, which the time
            # per step is measured from.
            if current == 1:
                self._time_after_first_step = now
            return
        step_time = self._step_time(current, now)
        if current == 1:
            self._time_after_first_step = now
        if self.verbose == 1:
            self._draw(current, now, step_time, finalize)
        elif self.verbose == 2 and finalize and self.target is not None and self.target > 0:
            self._print_summary_line(current, now, step_time)
        self._last_update = now

    def add(self, n: int, values=None) -> None:
        """Advance the bar by ``n`` steps."""
        self.update(self._seen_so_far + n, values)

    # --- bookkeeping --------------------------------------------------------------------
    def _record(self, current: int, values, finalize: bool) -> None:
        stored = self._values
        for name, value in values:
            if self.stateful_metrics is not None:
                averaged = name not in self.stateful_metrics
            else:
                averaged = name in self.stateless_metrics
            if averaged and not finalize:
                # Weight by the steps this update covers (at least one, since a bar whose
                # target was unknown gets the same step twice: last batch, then epoch end).
                steps = max(current - self._seen_so_far, 1)
                if name in stored:
                    stored[name][0] += value * steps
                    stored[name][1] += steps
                else:
                    stored[name] = [value * steps, steps]
            else:
                # A final average replaces the running one; a stateful value is shown as is.
                stored[name] = [value, 1]

    def _step_time(self, current: int, now: float) -> float:
        if not current:
            return 0
        # The first step (graph building, warm-up) is left out once later steps exist.
        if self._time_after_first_step is not None and current > 1:
            return (now - self._time_after_first_step) / (current - 1)
        return (now - self._start) / current

    def _average(self, name: str):
        total, count = self._values[name]
        if not isinstance(total, float):
            total = np.mean(total)
        return total / max(1, count)

    # --- output -------------------------------------------------------------------------
    def _draw(self, current: int, now: float, step_time: float, finalize: bool) -> None:
        known = self.target is not None and self.target > 0
        hidden = _BOLD_WRAP  # the bold time below
        if known:
            digits = int(math.log10(self.target)) + 1
            bar = f"{_BOLD}{'%*d/%d' % (digits, current, self.target)}{_RESET} "
            done = int(self.width * (float(current) / self.target))
            hidden += _BOLD_WRAP + _COLOUR_WRAP
            if done > 0:
                bar += f"{_GREEN}{'━' * done}{_RESET}"
                hidden += _COLOUR_WRAP
            bar += f"{_GREY}{'━' * (self.width - done)}{_RESET}"
        else:
            bar = "%7d/Unknown" % current
        if known and not finalize:
            info = f" {_BOLD}{_format_eta(step_time * (self.target - current))}{_RESET}"
        else:
            info = f" {_BOLD}{now - self._start:.0f}s{_RESET}"
        info += format_step_time(step_time, self.unit_name)
        for name in self._values:
            avg = self._average(name)
            info += f" - {name}: {avg:.4f}" if abs(avg) > 1e-3 else f" - {name}: {avg:.4e}"

        if self._dynamic_display:
            message = "\b" * self._prev_total_width + "\r"
        else:
            message = "\n"
        message += bar + info
        total_width = len(bar) + len(info) - hidden
        if self._prev_total_width > total_width:
            # Blank out the end of a longer previous line.
            message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        write(message)
        self._prev_total_width = total_width

    def _print_summary_line(self, current: int, now: float, step_time: float) -> None:
        digits = int(math.log10(self.target)) + 1
        line = "%*d/%d" % (digits, current, self.target) + f" - {now - self._start:.0f}s -"
        line += format_step_time(step_time, self.unit_name)
        for name in self._values:
            avg = self._average(name)
            # Keras compares the signed value here, so negative numbers use the e-notation.
            line += f" - {name}: {avg:.4f}" if avg > 1e-3 else f" - {name}: {avg:.4e}"
        write(line + "\n")
