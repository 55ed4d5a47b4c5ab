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

import math
import re
import shutil
from typing import Callable

import numpy as np

from glassnet.utils.text_table import _BOLD, _Text, _colour, _emit


# Keras's colours (xterm-256 numbers): class names, numbers, None, trainable Y / N.
_CLASS, _NUMBER, _NONE, _YES, _NO = 33, 34, 45, 34, 9


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
