"""FunctionalGraph: the recorded layer calls between a model's inputs and outputs, ordered
as Keras orders them, and replayed on real data.

Keras gives every call (node) a depth: 0 for the calls that make the outputs, and one
more than the deepest call that uses its result for the others.  Layers are listed from
the deepest down; layers at the same depth in the order a depth-first walk from the
outputs first meets them.  So in a diamond ``concatenate([c, b])`` the branch of ``c``
comes first, whichever layer was created first.

Example:
    >>> inputs = Input(shape=(4,))
    >>> outputs = Dense(2)(Dense(8)(inputs))
    >>> graph = FunctionalGraph(inputs, outputs)
    >>> [layer.name for layer in graph.layers]
    ['input_layer', 'dense', 'dense_1']
"""

from __future__ import annotations

import warnings

import numpy as np

from glassnet.core.symbolic import (GraphNode, KerasTensor, flatten_structure, map_structure,
                                    pack_like)
from glassnet.core.tensor import Tensor
from glassnet.utils.naming import unique_name


def _node_of(tensor: KerasTensor) -> GraphNode:
    layer, node_index, _ = tensor._keras_history
    return layer._inbound_nodes[node_index]


def walk_graph(flat_inputs: list, flat_outputs: list):
    """Depth-first walk back from the outputs, stopping at the inputs.

    Returns (nodes from inputs to outputs, {id(layer): index of first visit}).  Iterative,
    so a graph thousands of calls deep is fine.
    """
    input_ids = {id(t) for t in flat_inputs}
    finished, in_progress, order, first_seen = set(), set(), [], {}

    def enter(tensor):
        """The node to expand for ``tensor``, or None if there is nothing to do."""
        if tensor._keras_history is None:
            raise ValueError(f"Tensor {tensor.name} was not produced by a layer call or Input.")
        node = _node_of(tensor)
        if id(node) in finished:
            return None
        if not node.is_input and id(tensor) in input_ids:
            finished.add(id(node))
            return None
        if id(node) in in_progress:
            raise ValueError(f"Tensor {tensor.name} from layer '{node.layer.name}' is part of "
                             "a cycle.")
        first_seen.setdefault(id(node.layer), len(first_seen))
        in_progress.add(id(node))
        return node

    for output in flat_outputs:
        start = enter(output)
        if start is None:
            continue
        stack = [(start, iter(start.input_tensors))]
        while stack:
            node, parents = stack[-1]
            for tensor in parents:
                child = enter(tensor)
                if child is not None:
                    stack.append((child, iter(child.input_tensors)))
                    break
            else:
                stack.pop()
                in_progress.discard(id(node))
                finished.add(id(node))
                order.append(node)
    return order, first_seen


def _clone_from_intermediate(inputs, outputs):
    """Keras's answer to ``Model(hidden, out)`` with ``hidden`` not made by ``Input``: a new
    Input stands in for it ('<name>CLONE') and the calls after it are recorded again on
    copies of their tensors, so the original graph is left as it was."""
    from glassnet.layers.core.input_layer import Input

    mapping = {}
    for tensor in flatten_structure(inputs):
        if _node_of(tensor).is_input:
            mapping[id(tensor)] = tensor
        else:
            mapping[id(tensor)] = Input(batch_shape=tensor.shape, dtype=tensor.dtype,
                                        name=f"{tensor.name}CLONE")

    def swap(value):
        if not isinstance(value, KerasTensor):
            return value
        if id(value) not in mapping:
            mapping[id(value)] = KerasTensor(value.shape, value.dtype, name=f"{value.name}_clone")
        return mapping[id(value)]

    new_outputs = map_structure(swap, outputs)
    nodes, _ = walk_graph(flatten_structure(inputs), flatten_structure(outputs))
    for node in nodes:
        if node.is_input:
            continue
        layer = node.layer
        copy = GraphNode(layer, map_structure(swap, node.call_args),
                         map_structure(swap, node.call_kwargs), map_structure(swap, node.outputs))
        for i, tensor in enumerate(copy.output_tensors):
            tensor._keras_history = (layer, len(layer._inbound_nodes), i)
        layer._inbound_nodes.append(copy)
    return map_structure(swap, inputs), new_outputs


class FunctionalGraph:
    """The calls needed to compute ``outputs`` from ``inputs`` (see the module docstring).

    Attributes:
        inputs, outputs: the structures given (a tensor, list or dict of them).
        flat_inputs, flat_outputs: the same, flattened (dicts by sorted key).
        nodes: the calls to replay, deepest first (a valid order to compute them in).
        operations: every layer and symbolic operation, in Keras's order.
        layers: the Layer objects among them (what ``model.layers`` lists).
        input_layers: the InputLayer of each input.
    """

    def __init__(self, inputs, outputs, name: str | None = None):
        # Keras's Sequential builds a Functional, whose automatic name uses up one
        # 'functional_N' each time; a graph without a name does the same.
        self.name = name or unique_name("functional")
        for argument, value in (("inputs", inputs), ("outputs", outputs)):
            flat = flatten_structure(value)
            if not flat:
                raise ValueError(f"`{argument}` argument cannot be empty. Received:\n"
                                 f"inputs={inputs}\noutputs={outputs}")
            for t in flat:
                if not isinstance(t, KerasTensor):
                    raise ValueError(
                        f"All `{argument}` values must be KerasTensors (made with Input() and "
                        f"layer calls). Received: {argument}={value!r} including invalid "
                        f"value {t!r} of type {type(t)}")
        if isinstance(inputs, dict):
            for key, tensor in inputs.items():
                if isinstance(tensor, KerasTensor) and key != tensor.name:
                    warnings.warn(
                        "When providing `inputs` as a dict, all keys in the dict must match "
                        "the names of the corresponding tensors. Received key "
                        f"'{key}' mapping to value {tensor} which has name '{tensor.name}'. "
                        f"Change the tensor name to '{key}' (via `Input(..., name='{key}')`)",
                        stacklevel=3)
        if not all(_node_of(t).is_input for t in flatten_structure(inputs)):
            inputs, outputs = _clone_from_intermediate(inputs, outputs)
        self.inputs = inputs
        self.outputs = outputs
        self.flat_inputs = flatten_structure(inputs)
        self.flat_outputs = flatten_structure(outputs)
        self.input_layers = [t._keras_history[0] for t in self.flat_inputs]
        self._map_graph()
        self._plan = [(node.layer, node.call_args, node.call_kwargs,
                       [id(t) for t in node.output_tensors], _single_input(node))
                      for node in self.nodes]

    def _map_graph(self) -> None:
        order, first_seen = walk_graph(self.flat_inputs, self.flat_outputs)
        in_graph = {id(node) for node in order}
        node_depth, layer_depth, by_id = {}, {}, {}
        for node in reversed(order):
            depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
            by_id.setdefault(id(node), node)
            layer_depth[id(node.layer)] = depth
            node_depth[id(node)] = depth
            for parent in node.parent_nodes:
                if id(parent) in in_graph:
                    by_id.setdefault(id(parent), parent)
                    node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
        layers_by_id = {id(node.layer): node.layer for node in order}
        for tensor in self.flat_inputs:  # inputs no output depends on still belong
            layer, node = tensor._keras_history[0], _node_of(tensor)
            if id(layer) not in layer_depth:
                layer_depth[id(layer)] = 0
                first_seen[id(layer)] = -1
                layers_by_id[id(layer)] = layer
                node_depth[id(node)] = 0
                by_id[id(node)] = node
        self.node_depth = node_depth
        self.nodes = [by_id[key] for key in sorted(node_depth, key=lambda k: -node_depth[k])
                      if not by_id[key].is_input]
        self.operations = [layers_by_id[key] for key in sorted(
            layer_depth, key=lambda k: (-layer_depth[k], first_seen[k]))]
        self._check_connected()
        from glassnet.layers.layer import Layer
        self.layers = [op for op in self.operations if isinstance(op, Layer)]
        names = [op.name for op in self.operations]
        for name in names:
            if names.count(name) != 1:
                raise ValueError(f'The name "{name}" is used {names.count(name)} times in the '
                                 "model. All layer names should be unique.")

    def _check_connected(self) -> None:
        known = {id(t) for t in self.flat_inputs}
        done = []
        for node in self.nodes:
            for tensor in node.input_tensors:
                if id(tensor) not in known:
                    origin = tensor._keras_history[0]
                    raise ValueError(
                        f"Graph disconnected: cannot obtain value for tensor {tensor.name} "
                        f"(from layer '{origin.name}') needed by layer '{node.layer.name}'; it "
                        "does not come from the model's inputs "
                        f"{[t.name for t in self.flat_inputs]}. Layers reached without issue: "
                        f"{done}. Pass the missing Input to Model(inputs=...).")
            done.append(node.layer.name)
            known.update(id(t) for t in node.output_tensors)

    # --- replaying ----------------------------------------------------------------------------
    def standardize_inputs(self, inputs, model_name: str = "functional") -> list:
        """The data for each flat input, matched by name for dicts, as Keras accepts it."""
        if isinstance(inputs, dict):
            given = self._from_dict(inputs)
        elif isinstance(inputs, (list, tuple)):
            given = flatten_structure(inputs)
        else:
            given = [inputs]
        if len(given) != len(self.flat_inputs):
            names = [t.name for t in self.flat_inputs]
            raise ValueError(
                f'Layer "{model_name}" expects {len(names)} named input(s) with keys {names}, '
                f"but it received {len(given)} input tensors. Pass inputs as a dict, e.g. "
                "`layer({" + ", ".join(f"'{n}': ..." for n in names) + "})`.")
        return [_conform(value, ref, i, model_name)
                for i, (value, ref) in enumerate(zip(given, self.flat_inputs))]

    def run(self, inputs, training=None, model_name: str = "functional"):
        """Replay the graph on real tensors; returns outputs shaped like ``self.outputs``."""
        given = self.standardize_inputs(inputs, model_name)
        values = {id(t): v for t, v in zip(self.flat_inputs, given)}

        def lookup(t):
            return values[id(t)] if isinstance(t, KerasTensor) else t

        for layer, args, kwargs, output_ids, single in self._plan:
            if single is not None:
                if training is None:
                    outputs = layer(values[single])
                else:
                    outputs = layer(values[single], training=training)
            else:
                call_args = map_structure(lookup, args)
                call_kwargs = map_structure(lookup, kwargs)
                if training is not None and not _is_operation(layer):
                    call_kwargs["training"] = training
                outputs = layer(*call_args, **call_kwargs)
            if len(output_ids) == 1:
                values[output_ids[0]] = outputs if isinstance(outputs, Tensor) else \
                    flatten_structure(outputs)[0]
            else:
                for key, value in zip(output_ids, flatten_structure(outputs)):
                    values[key] = value
        return pack_like(self.outputs, [values[id(t)] for t in self.flat_outputs])

    def output_spec(self, inputs):
        """Symbolic outputs for symbolic ``inputs`` (a nested model called on new tensors)."""
        flat = self._from_dict(inputs) if isinstance(inputs, dict) else \
            flatten_structure(inputs)
        if len(flat) == len(self.flat_inputs) and all(
                tuple(a.shape) == tuple(b.shape) for a, b in zip(flat, self.flat_inputs)):
            return pack_like(self.outputs, [KerasTensor(t.shape, t.dtype)
                                            for t in self.flat_outputs])
        values = {id(t): v for t, v in zip(self.flat_inputs, flat)}

        def lookup(t):
            return values[id(t)] if isinstance(t, KerasTensor) else t

        for node in self.nodes:
            args = map_structure(lookup, node.call_args)
            kwargs = map_structure(lookup, node.call_kwargs)
            if _is_operation(node.layer):
                out = KerasTensor(node.layer._output_shape(args), node.layer._output_dtype(args))
            else:
                out = node.layer.compute_output_spec(*args, **kwargs)
            for t, value in zip(node.output_tensors, flatten_structure(out)):
                values[id(t)] = value
        return pack_like(self.outputs, [lookup(t) for t in self.flat_outputs])

    def _from_dict(self, inputs: dict) -> list:
        """One value per flat input from a dict keyed like the model's input dict, or by
        the names of its Inputs."""
        if isinstance(self.inputs, dict):
            keys = [k for k in sorted(self.inputs)]
        else:
            keys = [t.name for t in self.flat_inputs]
        missing = [k for k in keys if k not in inputs]
        if missing:
            raise ValueError(
                f'Missing data for input "{missing[0]}". You passed a data dictionary with '
                f"keys {list(inputs)}. Expected the following keys: {keys}")
        return flatten_structure([inputs[k] for k in keys])


def _single_input(node: GraphNode):
    """id of the one tensor argument when the call is simply ``layer(x)``, else None."""
    if len(node.call_args) == 1 and not node.call_kwargs and \
            isinstance(node.call_args[0], KerasTensor) and not _is_operation(node.layer):
        return id(node.call_args[0])
    return None


def _is_operation(layer) -> bool:
    from glassnet.core.symbolic import Operation
    return isinstance(layer, Operation)


def _conform(value, ref: KerasTensor, index: int, model_name: str):
    """``value`` as the model's input ``ref`` expects it: a Tensor or array of its dtype and
    rank (a trailing axis of 1 is added or dropped, as Keras does)."""
    if value is None:
        raise ValueError(f"The input '{ref.name}' is not optional, but None was passed. "
                         "Please provide a valid tensor.")
    if not isinstance(value, Tensor):
        value = np.asarray(value)
        if ref.dtype != "string" and value.dtype != np.dtype(ref.dtype) and \
                value.dtype.kind in "biuf":
            value = value.astype(ref.dtype)
    shape = tuple(value.shape)
    if len(shape) != len(ref.shape):
        if len(shape) == len(ref.shape) + 1 and shape[-1] == 1:
            value = _reshape(value, shape[:-1])
        elif len(shape) == len(ref.shape) - 1 and ref.shape[-1] == 1:
            value = _reshape(value, shape + (1,))
        else:
            raise ValueError(
                f"Invalid input shape for input {ref.name!r} of model '{model_name}': expected "
                f"shape {ref.shape}, but the input has incompatible shape {shape}")
        shape = tuple(value.shape)
    expected, found = ref.shape[1:], shape[1:]
    if expected and expected[-1] == 1:
        expected = expected[:-1]
    if found and found[-1] == 1:
        found = found[:-1]
    for want, got in zip(expected, found):
        if want is not None and want != got:
            raise ValueError(
                f"Input {index} with name '{ref.name}' of layer '{model_name}' is incompatible "
                f"with the layer: expected shape={(None,) + tuple(ref.shape[1:])}, found "
                f"shape={shape}")
    return value


def _reshape(value, shape):
    if isinstance(value, Tensor):
        from glassnet.ops import reshape
        return reshape(value, shape)
    return value.reshape(shape)
