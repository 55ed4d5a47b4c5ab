"""Text tables drawn as the ``rich`` library draws them (which is how Keras 3 prints
``summary()``): column widths, word wrapping, '…' truncation, heavy-head box characters,
and on a terminal or in a notebook the same ANSI / HTML styles.

Example:
    >>> _emit([_Text("Model", _BOLD), (["A", "B"], ["left", "right"], [6, 6], 12,
    ...        [[_Text("x"), _Text("1")]])], print)
    Model
    ┏━━━━┳━━━━━┓
    ┃ A  ┃   B ┃
    ┡━━━━╇━━━━━┩
    │ x  │   1 │
    └────┴─────┘
"""

from __future__ import annotations

import builtins
import math
import os
import re
import sys

# A style is an int: bit 0 is bold, the bits above hold an xterm-256 colour number + 1.
_BOLD = 1


def _colour(number: int) -> int:
    return (number + 1) << 1


class _Text:
    """A string with a style for each character, the unit the table wraps and pads."""

    __slots__ = ("plain", "styles")

    def __init__(self, plain: str = "", style: int = 0, styles: list | None = None):
        self.plain = plain
        self.styles = styles if styles is not None else [style] * len(plain)

    def __add__(self, other: "_Text") -> "_Text":
        return _Text(self.plain + other.plain, styles=self.styles + other.styles)

    def __getitem__(self, part: slice) -> "_Text":
        return _Text(self.plain[part], styles=self.styles[part])

    def __len__(self) -> int:
        return len(self.plain)

    def runs(self, style: int = 0) -> list:
        """(text, style) pieces of equal style, with ``style`` added to each."""
        runs: list = []
        for char, own in zip(self.plain, self.styles):
            if runs and runs[-1][1] == own | style:
                runs[-1][0] += char
            else:
                runs.append([char, own | style])
        return [tuple(run) for run in runs]




_HEAVY_HEAD = ("┏━┳┓", "┃┃┃", "┡━╇┩", "│││", "├─┼┤", "└─┴┘")
_ASCII = ("+--+", "|||", "|-+|", "|||", "|-+|", "+--+")  # for stdout that cannot encode UTF
# How xterm-256 colours 33, 34, 45 show on a 16-colour terminal (below 16: standard codes).
_SIXTEEN_COLOURS = {33: 94, 34: 32, 45: 96}
_HTML_COLOURS = {9: "#ff0000", 33: "#0087ff", 34: "#00af00", 45: "#00d7ff"}
_HTML = ('<pre style="white-space:pre;overflow-x:auto;line-height:normal;font-family:Menlo,'
         "'DejaVu Sans Mono',consolas,'Courier New',monospace\">{}</pre>\n")


def _reduce(total: int, maximums: list, values: list) -> list:
    """Take ``total`` away from ``values``, in equal shares rounded half to even, each at
    most its maximum."""
    ratios = [1 if maximum else 0 for maximum in maximums]
    remaining, weight, result = total, sum(ratios), []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and weight > 0:
            taken = min(maximum, round(remaining / weight))
            result.append(value - taken)
            remaining -= taken
            weight -= 1
        else:
            result.append(value)
    return result


def _cell_widths(widths: list, line_length: int) -> list:
    """Widths of the columns (with their one-space padding each side) in a table
    ``line_length`` wide: the columns are made to fit by taking equal shares off each."""
    room = line_length - len(widths) - 1  # the vertical rules
    cells = [min(width + 2, room) for width in widths]
    if sum(cells) > room:
        cells = _reduce(sum(cells) - room, cells, cells)
    elif sum(cells) < room:
        spare, weight = room - sum(cells), sum(cells)
        grown = []
        for width in cells:
            share = math.ceil(width * spare / weight) if weight > 0 else spare
            grown.append(width + share)
            weight -= width
            spare -= share
        cells = grown
    return cells


def _break_points(plain: str, width: int, fold: bool) -> list:
    """Offsets where ``plain`` is wrapped to ``width``: between words, and inside a word
    longer than a line only when ``fold``."""
    breaks, used = [], 0
    for match in re.finditer(r"\s*\S+\s*", plain):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - used >= length:
            used += len(word)
        elif length > width:
            if fold:
                pieces = [word[i:i + width] for i in range(0, len(word), width)]
                for index, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if index == len(pieces) - 1:
                        used = len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                used = len(word)
        elif used and start:
            breaks.append(start)
            used = len(word)
    return breaks


def _truncate(line: _Text, width: int, overflow: str, pad: bool = False) -> _Text:
    length = len(line)
    if length > width:
        if overflow == "ellipsis":
            # The '…' keeps the style of the character it replaces.
            line = line[:width - 1] + _Text("…", line.styles[width - 1])
        else:
            line = line[:width]
    if pad and length < width:
        line = line + _Text(" " * (width - length))
    return line


def _wrap(text: _Text, width: int, justify: str, overflow: str) -> list:
    """Lines of ``text`` at most ``width`` long, justified ('default' leaves them ragged)."""
    lines, start = [], 0
    for paragraph in text.plain.split("\n"):
        part = text[start:start + len(paragraph)]
        start += len(paragraph) + 1
        points = [0] + _break_points(paragraph, width, overflow == "fold") + [len(paragraph)]
        for begin, end in zip(points, points[1:]):
            line = part[begin:end]
            if len(line) > width:  # drop spaces that hang past the edge
                spaces = len(line.plain) - len(line.plain.rstrip())
                line = line[:len(line) - min(spaces, len(line) - width)]
            if justify == "left":
                line = _truncate(line, width, overflow, pad=True)
            elif justify in ("center", "right"):
                line = _truncate(line[:len(line.plain.rstrip())], width, overflow)
                left = (width - len(line)) // 2 if justify == "center" else width - len(line)
                line = _Text(" " * left) + line
                line = line + _Text(" " * (width - len(line)))
            lines.append(_truncate(line, width, overflow))
    return lines


def _table_lines(header, justify, widths, line_length, rows, box) -> list:
    """The table as lines of (text, style) runs."""
    cells = _cell_widths(widths, line_length)
    top, head, head_rule, body, rule, bottom = box

    def border(chars):
        return [(chars[0] + chars[2].join(chars[1] * width for width in cells) + chars[3], 0)]

    lines = [border(top)]
    all_rows = [[_Text(name) for name in header]] + rows
    for index, row in enumerate(all_rows):
        is_header = index == 0
        style = _BOLD if is_header else 0
        wrapped = [_wrap(cell, width - 2, how, "ellipsis")
                   for cell, width, how in zip(row, cells, justify)]
        height = max(len(cell) for cell in wrapped)
        edges = head if is_header else body
        for line_no in range(height):
            line = [(edges[0], 0)]
            for column, (cell, width) in enumerate(zip(wrapped, cells)):
                if column:
                    line.append((edges[1], 0))
                # Header cells sit at the bottom of their row, the others at the top.
                at = line_no - (height - len(cell)) if is_header else line_no
                if 0 <= at < len(cell):
                    line += [(" ", style)] + cell[at].runs(style) + [(" ", style)]
                else:
                    line.append((" " * width, style))
            lines.append(line + [(edges[2], 0)])
        if is_header:
            lines.append(border(head_rule))
        elif index < len(all_rows) - 1:
            lines.append(border(rule))
    lines.append(border(bottom))
    return lines


def _crop(line: list, width: int) -> list:
    kept, used = [], 0
    for text, style in line:
        if used + len(text) < width:
            kept.append((text, style))
            used += len(text)
        else:
            kept.append((text[:width - used], style))
            break
    return kept


# --- where the text goes ------------------------------------------------------------------------
def _in_notebook() -> bool:
    shell = getattr(builtins, "get_ipython", lambda: None)()
    return shell is not None and (type(shell).__name__ == "ZMQInteractiveShell" or
                                  "google.colab" in str(type(shell)) or
                                  bool(os.environ.get("DATABRICKS_RUNTIME_VERSION")))


def _digits(name: str):
    value = os.environ.get(name)
    return int(value) if value is not None and value.isdigit() else None


def _is_terminal() -> bool:
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return False  # IDLE says it is a tty but shows escape codes as text
    if os.environ.get("TTY_COMPATIBLE") in ("0", "1"):
        return os.environ["TTY_COMPATIBLE"] == "1"
    if "FORCE_COLOR" in os.environ:
        return os.environ["FORCE_COLOR"] != ""
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, ValueError):
        return False


def _console_width(notebook: bool, dumb: bool) -> int:
    if notebook:
        return _digits("JUPYTER_COLUMNS") or 115
    columns = _digits("COLUMNS")
    if columns is not None and _digits("LINES") is not None:
        return columns
    if dumb:
        return 80
    width = None
    for descriptor in ((1, 2) if sys.platform == "win32" else (0, 1, 2)):
        try:
            width = os.get_terminal_size(descriptor).columns
            break
        except (AttributeError, ValueError, OSError):
            pass
    return (columns if columns is not None else width) or 80


def _colour_codes(system: str | None):
    """How a style is written for a terminal with ``system`` colours (None: no codes)."""
    no_colour = os.environ.get("NO_COLOR", "") != ""

    def codes(style: int) -> str:
        parts = ["1"] if style & _BOLD else []
        number = (style >> 1) - 1
        if number >= 0 and not no_colour:
            if number < 16:
                parts.append(str(30 + number if number < 8 else 82 + number))
            elif system == "standard":
                parts.append(str(_SIXTEEN_COLOURS[number]))
            else:
                parts.append(f"38;5;{number}")
        return ";".join(parts)

    return codes if system is not None else None


def _ansi(lines: list, codes) -> str:
    out = []
    for line in lines:
        for text, style in line:
            attributes = codes(style) if codes is not None and style and text else ""
            out.append(f"\x1b[{attributes}m{text}\x1b[0m" if attributes else text)
        out.append("\n")
    return "".join(out)


def _html(lines: list) -> str:
    merged: list = []
    for text, style in [run for line in lines for run in line + [("\n", 0)]]:
        if merged and merged[-1][1] == style:
            merged[-1][0] += text
        else:
            merged.append([text, style])
    out = []
    for text, style in merged:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        css = []
        number = (style >> 1) - 1
        if number >= 0:  # NO_COLOR removes colours from the plain text only, as in Keras
            css += [f"color: {_HTML_COLOURS[number]}",
                    f"text-decoration-color: {_HTML_COLOURS[number]}"]
        if style & _BOLD:
            css.append("font-weight: bold")
        out.append(f'<span style="{"; ".join(css)}">{text}</span>' if css else text)
    return _HTML.format("".join(out))


class _NotebookOutput:
    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        return {"text/plain": self.text, "text/html": self.html}


def _emit(blocks: list, print_fn) -> None:
    """Lay out the title, table and totals for where they go and write them: to
    ``print_fn`` as one plain string, to a notebook as rich output, else to stdout (with
    ANSI styles when stdout is a terminal)."""
    in_notebook = _in_notebook()
    notebook = print_fn is None and in_notebook
    terminal = print_fn is None and not notebook and _is_terminal()
    dumb = terminal and os.environ.get("TERM", "").lower() in ("dumb", "unknown")
    width = _console_width(in_notebook, dumb)
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower()
    box = _HEAVY_HEAD if encoding.startswith("utf") else _ASCII
    printed = []
    for block in blocks:
        if isinstance(block, _Text):
            lines = [line.runs() for line in _wrap(block, width, "default", "fold")]
        else:
            lines = _table_lines(*block, box)
        printed.append([_crop(line, width) for line in lines])
    if print_fn is not None:
        print_fn("".join(_ansi(lines, None) for lines in printed))
    elif notebook:
        try:
            from IPython.display import display
        except ImportError:  # a notebook-like shell without IPython: Keras shows nothing
            return
        codes = _colour_codes("truecolor")
        for lines in printed:
            display(_NotebookOutput(_html(lines), _ansi(lines, codes)))
    else:
        system = None
        if terminal and not dumb:
            term = os.environ.get("TERM", "").strip().lower().rpartition("-")[2]
            truecolor = os.environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit")
            system = "truecolor" if truecolor or sys.platform == "win32" else \
                "256" if term in ("256color", "kitty") else "standard"
        codes = _colour_codes(system)
        for lines in printed:
            sys.stdout.write(_ansi(lines, codes))
            sys.stdout.flush()
