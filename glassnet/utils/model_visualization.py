"""``plot_model``: a picture of a model's layers and how they connect, as ``keras.utils``.

Each layer is a box (its class, optionally its name, shapes, activation, dtype and whether it
trains); arrows follow the data.  With Graphviz's ``dot`` program on the PATH the picture is
laid out by Graphviz, as in Keras; otherwise glassnet draws it with matplotlib (an optional
dependency), layer by layer from top to bottom (``rankdir='TB'``) or left to right
(``'LR'``).  ``model_to_dot`` gives the Graphviz source.

Example:
    >>> from glassnet import Sequential, layers
    >>> model = Sequential([layers.Dense(8, input_dim=4), layers.Dense(1)])
    >>> plot_model(model, to_file="model.png", show_shapes=True)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

_FONT_SIZE = 10
_CHAR_WIDTH = 0.62 * _FONT_SIZE / 72     # inches per character of the monospace font
_LINE_HEIGHT = 1.6 * _FONT_SIZE / 72     # inches per text line
_PAD = 0.12                              # inches of padding inside a box
_GAP = 0.45                              # inches between boxes


class _Box:
    """One layer call drawn as a box: its title line and detail lines."""

    def __init__(self, layer, node, options: dict):
        self.layer = layer
        name, cls = layer.name, type(layer).__name__
        if cls == "Model" and getattr(layer, "outputs", None):
            cls = "Functional"
        self.title = f"{name} ({cls})" if options["show_layer_names"] else cls
        self.lines = []
        activation = getattr(layer, "activation", None)
        if options["show_layer_activations"] and activation is not None:
            self.lines.append(f"Activation: {getattr(activation, '__name__', activation)}")
        if options["show_shapes"]:
            if cls != "InputLayer":
                self.lines.append(f"Input shape: {_shapes(node, 'input_tensors')}")
            self.lines.append(f"Output shape: {_shapes(node, 'output_tensors')}")
        if options["show_dtype"]:
            self.lines.append(f"Output dtype: {_dtype(node)}")
        if options["show_trainable"] and getattr(layer, "weights", None):
            self.lines.append(f"Trainable: {'Y' if layer.trainable else 'N'}")
        self.width = _CHAR_WIDTH * max(len(t) for t in [self.title] + self.lines) + 2 * _PAD
        self.height = _LINE_HEIGHT * (1 + len(self.lines)) + 2 * _PAD
        self.x = self.y = 0.0  # centre, set by the layout


def _shapes(node, attribute: str) -> str:
    tensors = getattr(node, attribute, None) if node is not None else None
    if not tensors:
        return "?"
    shapes = [tuple(t.shape) for t in tensors]
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _dtype(node) -> str:
    tensors = getattr(node, "output_tensors", None) if node is not None else None
    return str(tensors[0].dtype) if tensors else "?"


def _graph(model):
    """(layer-call nodes in order, edges) of the model: [(layer, node)], [(i, j)]."""
    outputs = []
    try:
        outputs = list(model.outputs or [])
    except (AttributeError, ValueError):
        pass
    if not outputs:  # a model without a recorded graph: its layers in a chain
        calls = [(layer, (getattr(layer, "_inbound_nodes", None) or [None])[-1])
                 for layer in model.layers]
        return calls, [(i, i + 1) for i in range(len(calls) - 1)]
    calls, index, edges = [], {}, []

    def visit(tensor) -> int:
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in index:
            return index[id(node)]
        parents = [visit(parent) for parent in node.input_tensors]
        index[id(node)] = len(calls)
        calls.append((layer, node))
        edges.extend((parent, index[id(node)]) for parent in parents)
        return index[id(node)]

    for tensor in outputs:
        visit(tensor)
    return calls, sorted(set(edges))


def _check_built(model) -> None:
    if not getattr(model, "built", True) and not getattr(model, "layers", None):
        raise ValueError("This model has not yet been built. Build the model first by calling "
                         "build() or by calling the model on a batch of data.")
    if not getattr(model, "built", True):
        raise ValueError(f"plot_model needs a built model, and {model.name!r} is not built "
                         "yet. Give the first layer an input shape (input_dim=... or "
                         "input_shape=...), or call the model on a batch of data first.")


def model_to_dot(model, show_shapes: bool = False, show_dtype: bool = False,
                 show_layer_names: bool = False, rankdir: str = "TB",
                 expand_nested: bool = False, dpi: int = 200,
                 show_layer_activations: bool = False, show_trainable: bool = False,
                 **kwargs) -> str:
    """The model as Graphviz DOT source (a string; Keras returns a pydot object).

    Example:
        >>> from glassnet import Sequential, layers
        >>> print(model_to_dot(Sequential([layers.Dense(2, input_dim=3)])).splitlines()[0])
        digraph G {
    """
    _check_built(model)
    options = dict(show_shapes=show_shapes, show_dtype=show_dtype,
                   show_layer_names=show_layer_names, show_trainable=show_trainable,
                   show_layer_activations=show_layer_activations)
    calls, edges = _graph(model)
    lines = ["digraph G {", f'  graph [rankdir={rankdir}, dpi={int(dpi)}, concentrate=true];',
             '  node [shape=record, fontname="Helvetica"];']
    for i, (layer, node) in enumerate(calls):
        box = _Box(layer, node, options)
        label = "|".join(_dot_escape(t) for t in [box.title] + box.lines)
        lines.append(f'  n{i} [label="{{{label}}}"];')
    lines += [f"  n{a} -> n{b};" for a, b in edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_escape(text: str) -> str:
    for char in '\\{}|<>"':
        text = text.replace(char, "\\" + char)
    return text


def _layout(boxes: list, edges: list, rankdir: str) -> tuple[float, float]:
    """Place boxes in ranks (longest path from an input); return the picture's size."""
    rank = [0] * len(boxes)
    for a, b in sorted(edges, key=lambda e: e[1]):  # nodes are in topological order
        rank[b] = max(rank[b], rank[a] + 1)
    ranks: dict = {}
    for i, r in enumerate(rank):
        ranks.setdefault(r, []).append(boxes[i])
    vertical = rankdir in ("TB", "BT")
    extent = {r: sum((b.width if vertical else b.height) for b in row) + _GAP * (len(row) - 1)
              for r, row in ranks.items()}
    across = max(extent.values()) + 2 * _GAP
    position = _GAP
    for r in sorted(ranks):
        depth = max((b.height if vertical else b.width) for b in ranks[r])
        cursor = (across - extent[r]) / 2
        for box in ranks[r]:
            size = box.width if vertical else box.height
            if vertical:
                box.x, box.y = cursor + size / 2, position + depth / 2
            else:
                box.x, box.y = position + depth / 2, cursor + size / 2
            cursor += size + _GAP
        position += depth + _GAP
    width, height = (across, position) if vertical else (position, across)
    for box in boxes:  # matplotlib's y grows upwards: 'TB' puts the first rank on top
        if rankdir == "TB":
            box.y = height - box.y
        elif rankdir == "RL":
            box.x = width - box.x
    return width, height


def _draw(model, to_file: str, rankdir: str, dpi: int, options: dict) -> None:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.patches import FancyBboxPatch
    except ImportError as error:
        raise ImportError("plot_model draws with matplotlib (or Graphviz's `dot`), and neither "
                          "is installed. Install one: `pip install matplotlib`.") from error
    calls, edges = _graph(model)
    boxes = [_Box(layer, node, options) for layer, node in calls]
    width, height = _layout(boxes, edges, rankdir)
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.axis("off")
    vertical = rankdir in ("TB", "BT")
    for a, b in edges:
        start, end = boxes[a], boxes[b]
        sign = -1 if rankdir in ("TB", "LR") else 1
        if vertical:
            tail = (start.x, start.y + sign * start.height / 2)
            head = (end.x, end.y - sign * end.height / 2)
        else:
            tail = (start.x - sign * start.width / 2, start.y)
            head = (end.x + sign * end.width / 2, end.y)
        axes.annotate("", xy=head, xytext=tail,
                      arrowprops=dict(arrowstyle="-|>", color="0.25", linewidth=1.5))
    for box in boxes:
        left, bottom = box.x - box.width / 2, box.y - box.height / 2
        axes.add_patch(FancyBboxPatch((left, bottom), box.width, box.height,
                                      boxstyle="round,pad=0,rounding_size=0.05",
                                      facecolor="white", edgecolor="black", linewidth=1.2))
        title_bottom = box.y + box.height / 2 - _PAD - _LINE_HEIGHT
        axes.add_patch(FancyBboxPatch((left, title_bottom - _PAD / 2), box.width,
                                      _LINE_HEIGHT + _PAD * 1.5,
                                      boxstyle="round,pad=0,rounding_size=0.05",
                                      facecolor="black", edgecolor="black"))
        axes.text(box.x, title_bottom + _LINE_HEIGHT / 2, box.title, color="white",
                  ha="center", va="center", family="monospace", weight="bold",
                  fontsize=_FONT_SIZE)
        for k, line in enumerate(box.lines):
            axes.text(box.x, title_bottom - _PAD / 2 - (k + 0.5) * _LINE_HEIGHT, line,
                      ha="center", va="center", family="monospace", fontsize=_FONT_SIZE)
    figure.savefig(to_file, dpi=dpi)


def _render_with_graphviz(dot_source: str, to_file: str, extension: str) -> bool:
    program = shutil.which("dot")
    if program is None:
        return False
    with tempfile.NamedTemporaryFile("w", suffix=".dot", delete=False) as source:
        source.write(dot_source)
    try:
        result = subprocess.run([program, f"-T{extension}", source.name, "-o", to_file],
                                capture_output=True, timeout=60)
    finally:
        os.unlink(source.name)
    return result.returncode == 0


def plot_model(model, to_file: str = "model.png", show_shapes: bool = False,
               show_dtype: bool = False, show_layer_names: bool = False, rankdir: str = "TB",
               expand_nested: bool = False, dpi: int = 200,
               show_layer_activations: bool = False, show_trainable: bool = False,
               **kwargs):
    """Save a picture of the model to ``to_file`` (the format follows its extension).

    Args:
        model: a built model (Sequential with an input shape, or functional).
        to_file: where to write the picture (``.png`` by default; ``.pdf``, ``.svg`` work).
        show_shapes: write each layer's input and output shapes.
        show_layer_names: write layer names beside their classes.
        rankdir: ``'TB'`` (top to bottom, default), ``'LR'``, ``'BT'`` or ``'RL'``.
        dpi: resolution of raster formats.

    Returns:
        An ``IPython.display.Image`` of the file when IPython is installed (so a notebook
        shows it), else None.

    Example:
        >>> plot_model(model, show_shapes=True)  # doctest: +SKIP
    """
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError("rankdir must be 'TB', 'LR', 'BT' or 'RL'. "
                         f"Received: rankdir={rankdir!r}")
    _check_built(model)
    options = dict(show_shapes=show_shapes, show_dtype=show_dtype,
                   show_layer_names=show_layer_names, show_trainable=show_trainable,
                   show_layer_activations=show_layer_activations)
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:].lower() or "png"
    folder = os.path.dirname(to_file)
    if folder:
        os.makedirs(folder, exist_ok=True)
    dot_source = model_to_dot(model, rankdir=rankdir, dpi=dpi, **options)
    if not _render_with_graphviz(dot_source, to_file, extension):
        _draw(model, to_file, rankdir, dpi, options)
    if extension != "pdf":
        try:
            from IPython import display
        except ImportError:
            return None
        return display.Image(filename=to_file)
    return None


__all__ = ["plot_model", "model_to_dot"]
