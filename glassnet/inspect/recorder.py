"""Which layer made which op: the bookkeeping behind :func:`glassnet.inspect.trace`.

Every op call records a :class:`~glassnet.core.tensor.Node` with a sequence number that
grows with every call.  While a forward pass runs inside :func:`record_layer_calls`, each
layer's ``call`` is wrapped to note the sequence numbers before and after it, so every node
can afterwards be given to the innermost layer call whose interval holds it.  Nothing in the
engine changes: the wrappers are instance attributes, removed when the block ends.

Example:
    >>> with record_layer_calls(model) as calls:
    ...     y_pred = model(x, training=True)
    >>> graph = attribute_nodes(calls, loss)
    >>> [op.label for op in graph.calls[0].ops]
    ['dense', 'sigmoid']
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import numpy as np

from glassnet.core import tensor as tensor_module
from glassnet.core.symbolic import flatten_structure
from glassnet.core.tensor import Tensor

_MISSING = object()


@dataclass
class LayerCall:
    """One call of one layer during the recorded forward pass."""

    layer: object
    inputs: object
    outputs: object
    start: int
    end: int
    nodes: list = field(default_factory=list)

    def output_tensors(self) -> list:
        return [t for t in flatten_structure(self.outputs) if isinstance(t, Tensor)]

    def input_tensors(self) -> list:
        return [t for t in flatten_structure(self.inputs) if isinstance(t, Tensor)]


@dataclass
class RecordedGraph:
    """Layer calls in call order, the loss's own nodes, and every tensor by (node, output)."""

    calls: list
    loss_nodes: list
    tensors: dict  # (id(node), output index) -> Tensor
    outside_nodes: list = field(default_factory=list)  # model ops run between layers


def next_seq() -> int:
    # Taking a number from the shared counter leaves a gap in the node numbering, which is
    # harmless: only the order of the numbers matters to the tape.
    return next(tensor_module._sequence)


@contextlib.contextmanager
def record_layer_calls(model):
    """Wrap the ``call`` of every layer inside ``model`` and yield the list of calls made."""
    calls: list = []
    layers = model._flatten_layers(include_self=False)
    saved = []
    for layer in layers:
        previous = layer.__dict__.get("call", _MISSING)
        bound = layer.call

        def wrapper(*args, _bound=bound, _layer=layer, **kwargs):
            start = next_seq()
            outputs = _bound(*args, **kwargs)
            calls.append(LayerCall(_layer, args[0] if args else kwargs.get("inputs"), outputs,
                                   start, next_seq()))
            return outputs

        object.__setattr__(layer, "call", wrapper)
        saved.append((layer, previous))
    try:
        yield calls
    finally:
        for layer, previous in saved:
            if previous is _MISSING:
                layer.__dict__.pop("call", None)
            else:
                object.__setattr__(layer, "call", previous)


def _producers(tensors) -> list:
    return [t.node for t in tensors
            if isinstance(t, Tensor) and t.node is not None and t.requires_grad]


def attribute_nodes(calls: list, loss: Tensor, forward_end: int) -> RecordedGraph:
    """Give every recorded node to the innermost layer call that made it (before backward).

    Nodes reachable from the loss that no layer made are ``outside_nodes`` when the model's
    forward pass made them (``x + y`` between layers of a functional model, numbered before
    ``forward_end``) and ``loss_nodes`` otherwise (the loss function, weight penalties).
    Must run before back-propagation frees the graph.
    """
    claimed: set = set()
    # Innermost calls first, so an outer layer does not take its sublayers' ops.
    for call in sorted(calls, key=lambda c: c.end - c.start):
        stack, seen = _producers(call.output_tensors()), set()
        while stack:
            node = stack.pop()
            if id(node) in seen or not call.start < node.seq < call.end or node.op is None:
                continue
            seen.add(id(node))
            if id(node) not in claimed:
                claimed.add(id(node))
                call.nodes.append(node)
            stack.extend(_producers(node.inputs))
        call.nodes.sort(key=lambda n: n.seq)
    loss_nodes, stack, seen = [], _producers([loss]), set()
    while stack:
        node = stack.pop()
        if id(node) in seen or node.op is None:
            continue
        seen.add(id(node))
        if id(node) not in claimed:
            loss_nodes.append(node)
        stack.extend(_producers(node.inputs))
    loss_nodes.sort(key=lambda n: n.seq)
    outside = [n for n in loss_nodes if n.seq < forward_end]
    loss_nodes = [n for n in loss_nodes if n.seq > forward_end]

    tensors: dict = {}
    every_node = [n for c in calls for n in c.nodes] + loss_nodes + outside
    known = [t for n in every_node for t in n.inputs]
    known += [t for c in calls for t in c.output_tensors() + c.input_tensors()]
    known.append(loss)
    for t in known:
        if isinstance(t, Tensor) and t.node is not None:
            tensors.setdefault((id(t.node), t.index), t)
    ordered = sorted(calls, key=lambda c: c.start)
    return RecordedGraph(ordered, loss_nodes, tensors, outside)


def output_of(graph: RecordedGraph, node, index: int = 0):
    """The tensor that is output ``index`` of ``node``, if anything kept it."""
    return graph.tensors.get((id(node), index))


def generators_of(model) -> list:
    """The global random generator and every generator a layer keeps (seeded dropout)."""
    from glassnet.core import random as random_module

    found = [random_module.generator()]
    for layer in model._flatten_layers():
        for value in vars(layer).values():
            if isinstance(value, np.random.Generator) and all(value is not g for g in found):
                found.append(value)
    return found


@contextlib.contextmanager
def preserved_random_state(model, keep: bool = True):
    """Restore every random generator ``model`` draws from when the block ends.

    With ``keep=True`` a traced step draws the same dropout masks that the next real step
    will draw, so a trace shows exactly what training is about to do.
    """
    generators = generators_of(model) if keep else []
    states = [g.bit_generator.state for g in generators]
    try:
        yield
    finally:
        for g, state in zip(generators, states):
            g.bit_generator.state = state
