"""print_summary: the table ``model.summary()`` prints, character for character as Keras 3.

Keras draws the table with the ``rich`` library; glassnet draws the same table itself: the
same column widths, word wrapping, '…' truncation, box characters and, on a terminal, the
same ANSI styles (bold headers, coloured numbers).  When ``print_fn`` is given it receives
the whole plain-text summary in one call, as in Keras.

Example:
    >>> model = Sequential([Input((784,)), Dense(50), Dense(10)])
    >>> model.summary()
    Model: "sequential"
    ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
    ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
    ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
    │ dense (Dense)                   │ (None, 50)             │        39,250 │
    ...
     Total params: 39,760 (155.31 KB)
"""

from __future__ import annotations

import builtins
import math
import os
import re
import shutil
import sys
from typing import Callable

import numpy as np


# Keras's colours (xterm-256 numbers): class names, numbers, None, trainable Y / N.
_CLASS, _NUMBER, _NONE, _YES, _NO = 33, 34, 45, 34, 9

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


def print_summary(model, line_length: int | None = None, positions=None,
                  print_fn: Callable | None = None, expand_nested: bool = False,
                  show_trainable: bool = False, layer_range=None) -> None:
    """Print the layer table of ``model`` and its parameter counts and sizes.

    ``line_length`` is the table width (default 88, or 108 with a "Connected to" column,
    at most the terminal width minus 4); ``positions`` the right edge of each column as a
    fraction of it (or in characters).  ``layer_range=("dense", "dense_2")`` (names or
    regular expressions) limits the rows.  ``print_fn`` gets the text instead of stdout.

    Example:
        >>> print_summary(model, print_fn=lambda text: lines.extend(text.splitlines()))
    """
    layers, sequential_like, relevant_nodes = _layout(model)
    if sequential_like:
        default_length, positions = 88, positions or [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        justify = ["left", "left", "right"]
    else:
        default_length, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        justify = ["left", "left", "right", "left"]
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        justify.append("center")
    default_length = min(default_length, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default_length
    if len(positions) < len(header):
        raise ValueError(
            f"positions needs one entry per column ({len(header)}: {header}). Received: "
            f"positions={list(positions)}")
    widths, edge = [], 0
    for position in positions:
        width = int(position * line_length) - edge
        if width < 4:
            raise ValueError(
                "Insufficient console width to print summary: a column would be "
                f"{width} characters wide. Received: line_length={line_length}, "
                f"positions={list(positions)}")
        widths.append(width)
        edge += width
    widths = widths[:len(header)]  # extra positions are ignored, as in Keras

    rows = []
    start, stop = _layer_bounds(layers, layer_range)
    for layer in layers[start:stop]:
        rows.extend(_layer_rows(layer, 0, sequential_like, relevant_nodes, show_trainable,
                                expand_nested))

    trainable = list(model.trainable_weights)
    non_trainable = list(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None)
    optimizer_built = getattr(model, "compiled", True) and optimizer is not None and \
        not isinstance(optimizer, str) and bool(getattr(optimizer, "built", False))
    optimizer_variables = list(optimizer.variables) if optimizer_built else []
    counts = [_count(trainable), _count(non_trainable), _count(optimizer_variables)]
    sizes = [_memory(trainable), _memory(non_trainable), _memory(optimizer_variables)]
    totals = [("Total", sum(counts), sum(sizes)), ("Trainable", counts[0], sizes[0]),
              ("Non-trainable", counts[1], sizes[1])]
    if optimizer_built:
        totals.append(("Optimizer", counts[2], sizes[2]))

    blocks = [_Text(f'Model: "{model.name}"', _BOLD), (header, justify, widths, line_length, rows)]
    for label, count, size in totals:
        blocks.append(_Text(f" {label} params: ", _BOLD) + _Text(f"{count:,}", _colour(_NUMBER)) +
                      _Text(f" ({_readable_size(size)})"))
    _emit(blocks, print_fn)


# --- which rows, in which layout ------------------------------------------------------------
def _layout(model):
    """(layers, sequential_like, nodes of the model's graph) as Keras decides them: a
    Sequential or subclassed model is a plain stack; a functional one is a stack only if
    its graph is a single chain without shared layers."""
    from glassnet.models.sequential import Sequential

    if isinstance(model, Sequential):
        return list(model.layers), True, []
    try:
        inputs, outputs = list(model.inputs or []), list(model.outputs or [])
    except (AttributeError, ValueError):
        inputs, outputs = [], []
    if not outputs:
        return list(model.layers), True, []
    layers, nodes_by_depth = _graph_by_depth(inputs, outputs)
    relevant = [node for nodes in nodes_by_depth.values() for node in nodes]
    chain = all(len(nodes) == 1 and len(nodes[0].input_tensors) <= 1
                for nodes in nodes_by_depth.values())
    if chain:
        for layer in layers:
            if sum(1 for node in layer._inbound_nodes if _contains(relevant, node)) > 1:
                chain = False
    return layers, chain, relevant


def _contains(nodes, node) -> bool:
    return any(node is n for n in nodes)


def _graph_by_depth(inputs, outputs):
    """Keras's map of a functional graph: each node's depth is its distance from the
    outputs; layers are listed deepest first, and in the order a depth-first walk from
    the outputs meets them when depths are equal."""
    order, finished, first_seen = [], set(), {}
    input_ids = {id(t) for t in inputs}

    def visit(tensor):
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in finished:
            return
        if node.input_tensors and id(tensor) in input_ids:
            finished.add(id(node))
            return
        first_seen.setdefault(id(layer), (len(first_seen), layer))
        for parent in node.input_tensors:
            visit(parent)
        finished.add(id(node))
        order.append(node)

    for tensor in outputs:
        visit(tensor)
    in_graph = {id(node) for node in order}
    node_depth, layer_depth = {}, {}
    for node in reversed(order):
        depth = max(node_depth.setdefault(id(node), (0, node))[0],
                    layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        node_depth[id(node)] = (depth, node)
        for tensor in node.input_tensors:
            layer, node_index, _ = tensor._keras_history
            parent = layer._inbound_nodes[node_index]
            if id(parent) in in_graph:
                previous = node_depth.get(id(parent), (0, parent))[0]
                node_depth[id(parent)] = (max(depth + 1, previous), parent)
    for tensor in inputs:  # inputs that no output depends on still get a row
        layer, node_index, _ = tensor._keras_history
        if id(layer) not in layer_depth and not layer._inbound_nodes[node_index].input_tensors:
            layer_depth[id(layer)] = 0
            first_seen.setdefault(id(layer), (-1, layer))
            node_depth[id(layer._inbound_nodes[node_index])] = \
                (0, layer._inbound_nodes[node_index])
    by_depth: dict = {}
    for depth, node in node_depth.values():
        by_depth.setdefault(depth, []).append(node)
    layers = sorted((item for item in first_seen.values() if id(item[1]) in layer_depth),
                    key=lambda item: (-layer_depth[id(item[1])], item[0]))
    return [layer for _, layer in layers], by_depth


def _layer_bounds(layers, layer_range):
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError("layer_range must be a list or tuple of two layer names. Received: "
                         f"layer_range={layer_range} of length {len(layer_range)}")
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"layer_range must hold two strings. Received: {layer_range}")
    first = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    last = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not first or not last:
        raise ValueError("layer_range names no layer of this model. Received: "
                         f"{layer_range}; the layers are {[layer.name for layer in layers]}")
    if min(first) > max(last):
        return min(last), max(first) + 1
    return min(first), max(last) + 1


# --- one row per layer -------------------------------------------------------------------------
def _layer_rows(layer, level, sequential_like, relevant_nodes, show_trainable, expand):
    prefix = "   " * level + "└ " if level else ""
    name = _Text(f"{prefix}{layer.name} (") + _Text(_class_name(layer), _colour(_CLASS)) + \
        _Text(")")
    if not hasattr(layer, "built"):
        params = _Text("0", _colour(_NUMBER))
    elif not layer.built:
        params = _Text("0", _colour(_NUMBER)) + _Text(" (unbuilt)")
    else:
        params = _Text(f"{layer.count_params():,}", _colour(_NUMBER))
    row = [name, _output_shape(layer), params]
    if not sequential_like:
        row.append(_connections(layer, relevant_nodes))
    if show_trainable:
        if getattr(layer, "weights", None):
            row.append(_Text("Y", _BOLD | _colour(_YES)) if layer.trainable
                       else _Text("N", _BOLD | _colour(_NO)))
        else:
            row.append(_Text("-", _BOLD))
    rows = [row]
    inner = getattr(layer, "layers", None) if expand else None
    for sublayer in inner or []:
        rows.extend(_layer_rows(sublayer, level + 1, sequential_like, relevant_nodes,
                                show_trainable, expand))
    return rows


def _class_name(layer) -> str:
    """The class Keras names: ``Model(inputs, outputs)`` is a ``Functional`` there."""
    name = type(layer).__name__
    if name == "Model":
        try:
            return "Functional" if layer.outputs else name
        except (AttributeError, ValueError):
            return name
    return name


def _shape_text(shape) -> _Text:
    text = _Text("(")
    for i, dim in enumerate(shape):
        text += _Text(", ") if i else _Text("")
        text += _Text(str(dim), _colour(_NONE if dim is None else _NUMBER))
    return text + _Text(")")


def _output_shape(layer) -> _Text:
    nodes = getattr(layer, "_inbound_nodes", None) or []
    if nodes:
        shapes = [tuple(t.shape) for t in nodes[-1].output_tensors]
    else:
        build_shape = getattr(layer, "_build_shape", None)
        if build_shape is None:
            return _Text("?")
        try:
            shapes = layer.compute_output_shape(build_shape)
        except NotImplementedError:
            return _Text("?")
        nested = isinstance(shapes, (list, tuple)) and shapes and \
            all(isinstance(s, (list, tuple)) for s in shapes)
        shapes = [tuple(s) for s in shapes] if nested else [tuple(shapes)]
    if len(shapes) == 1:
        return _shape_text(shapes[0])
    # Several outputs print as a list of shapes, as str() of Keras's list does.
    text = _Text("[")
    for i, shape in enumerate(shapes):
        text += (_Text(", ") if i else _Text("")) + _shape_text(shape)
    return text + _Text("]")


def _connections(layer, relevant_nodes) -> _Text:
    text = _Text("")
    for node in layer._inbound_nodes:
        if relevant_nodes and not _contains(relevant_nodes, node):
            continue  # a call of a shared layer that belongs to another model
        for tensor in node.input_tensors:
            inbound, node_index, tensor_index = tensor._keras_history
            if text.plain:
                text += _Text(", ")
            text += _Text(f"{inbound.name}[") + _Text(str(node_index), _colour(_NUMBER)) + \
                _Text("][") + _Text(str(tensor_index), _colour(_NUMBER)) + _Text("]")
    return text if text.plain else _Text("-")


# --- parameter counts and sizes -----------------------------------------------------------------
def _count(weights) -> int:
    return int(sum(math.prod(tuple(w.shape)) for w in weights))


def _bits(dtype) -> int:
    if str(dtype) == "bfloat16":
        return 16
    dtype = np.dtype(dtype)
    return 1 if dtype.kind == "b" else dtype.itemsize * 8


def _memory(weights) -> float:
    """Bytes taken by ``weights`` (each variable counted once; a bool takes one bit)."""
    unique = {id(w): w for w in weights}.values()
    return sum(math.prod(tuple(w.shape)) * _bits(w.dtype) for w in unique) / 8


def _readable_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


# --- drawing the table (the layout rules of the rich library, which Keras prints with) ----------
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
