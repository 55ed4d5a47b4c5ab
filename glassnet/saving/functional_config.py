"""A functional model's graph as a config and back, in Keras 3's layout.

The config lists every layer once, in graph order, each with its ``inbound_nodes``: the
calls that belong to this model, as the (serialized) arguments of each call.  A symbolic
tensor argument is written as a reference ``[layer_name, node_index, tensor_index]`` to
the call that produced it.  Rebuilding creates the layers, then replays the calls, each as
soon as the tensors it needs exist, which restores shared layers (one layer, several
calls), several inputs and outputs and nested models.

Example:
    >>> inputs = Input(shape=(4,), name="x")
    >>> model = Model(inputs, Dense(2, name="out")(inputs))
    >>> config = functional_get_config(model)
    >>> config["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"]
    ['x', 0, 0]
    >>> functional_from_config(Model, config).output_shape
    (None, 2)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.symbolic import KerasTensor, flatten_structure
from glassnet.saving.errors import ModelFileError


class _NotReady(Exception):
    """A call needs a tensor whose producing call has not been replayed yet."""


#: Where symbolic operations (``x + y``, ``x[:, 0]``) live; entries from there are rebuilt
#: from ``operation_classes`` only.
OPERATIONS_MODULE = "glassnet.core.symbolic"


def operation_classes() -> dict:
    """The symbolic operations a config may name, by class name.

    Example:
        >>> operation_classes()["Add"].__name__
        'Add'
    """
    from glassnet.core import symbolic

    return {name: cls for name, cls in vars(symbolic).items()
            if isinstance(cls, type) and issubclass(cls, symbolic.Operation)
            and cls is not symbolic.Operation}


def _operations(graph) -> list:
    """Layers and symbolic operations of the graph, in the graph's order."""
    return list(getattr(graph, "operations", None) or graph.layers)


def _encode_index(value):
    """A ``GetItem`` key (ints, slices, None, Ellipsis, tuples of those) as JSON."""
    if isinstance(value, slice):
        return {"class_name": "__slice__", "config": {
            "start": _encode_index(value.start), "stop": _encode_index(value.stop),
            "step": _encode_index(value.step)}}
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, tuple):
        return {"class_name": "__tuple__", "config": {"value": [_encode_index(v)
                                                                for v in value]}}
    if isinstance(value, list):
        return [_encode_index(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int)):
        return value
    raise ValueError(f"Cannot save the index {value!r} of a symbolic slice.")


def _decode_index(value):
    if isinstance(value, list):
        return [_decode_index(v) for v in value]
    if isinstance(value, dict):
        marker, config = value.get("class_name"), value.get("config")
        if marker == "__ellipsis__":
            return Ellipsis
        if marker == "__slice__" and isinstance(config, dict):
            return slice(*(_decode_index(config.get(k)) for k in ("start", "stop", "step")))
        if marker == "__tuple__" and isinstance(config, dict) and \
                isinstance(config.get("value"), list):
            return tuple(_decode_index(v) for v in config["value"])
        raise ModelFileError(f"Unexpected index {value!r:.100} in a symbolic slice.")
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise ModelFileError(f"Unexpected index {value!r:.100} in a symbolic slice.")


def serialize_operation(operation) -> dict:
    """A symbolic operation (``x + y``, ``x[:, 1:]``) as a layer-like config entry.

    Example:
        >>> serialize_operation((Input((3,)) * 2.0)._keras_history[0])["class_name"]
        'Multiply'
    """
    config = {"name": operation.name}
    if hasattr(operation, "key"):
        config["key"] = _encode_index(operation.key)
    return {"module": OPERATIONS_MODULE, "class_name": type(operation).__name__,
            "config": config, "registered_name": None}


def deserialize_operation(entry: dict):
    """The operation of ``serialize_operation``'s entry (only glassnet's own operations).

    Example:
        >>> deserialize_operation({"class_name": "Add", "config": {"name": "add_3"}}).name
        'add_3'
    """
    cls = operation_classes().get(entry.get("class_name"))
    config = entry.get("config")
    if cls is None or not isinstance(config, dict) or not isinstance(config.get("name"), str):
        raise ModelFileError(f"Unknown symbolic operation {entry.get('class_name')!r}.")
    operation = cls(_decode_index(config["key"])) if "key" in config else cls()
    operation.name = config["name"]
    return operation


def _graph_node_ids(model) -> set:
    graph = model._graph
    kept = {id(node) for node in graph.nodes}
    for layer in graph.input_layers:
        kept.add(id(layer._inbound_nodes[0]))
    return kept


def functional_get_config(model) -> dict:
    """The config of a functional model (see the module docstring).

    Example:
        >>> sorted(functional_get_config(model))
        ['input_layers', 'layers', 'name', 'output_layers', 'trainable']
    """
    from glassnet.layers.layer import Layer
    from glassnet.saving.serialization_lib import serialize_layer

    graph = model._graph
    kept = _graph_node_ids(model)
    operations = _operations(graph)
    # Node indices count only the calls that belong to this model.
    new_index = {}
    for layer in operations:
        count = 0
        for i, node in enumerate(layer._inbound_nodes):
            if id(node) in kept:
                new_index[(id(layer), i)] = count
                count += 1
    names = [layer.name for layer in operations]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"Model '{model.name}' has several layers named {twice}; layer names "
                         "must be unique to save the model.")

    def reference(tensor: KerasTensor) -> list:
        layer, node_index, tensor_index = tensor._keras_history
        key = (id(layer), node_index)
        if key not in new_index:
            raise ValueError(f"Model '{model.name}': tensor {tensor.name} comes from a call of "
                             f"layer '{layer.name}' that is not part of the model.")
        return [layer.name, new_index[key], tensor_index]

    def encode(value):
        if isinstance(value, KerasTensor):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": list(value.shape), "dtype": value.dtype,
                               "keras_history": reference(value)}}
        if isinstance(value, tuple):
            return {"class_name": "__tuple__", "config": {"value": [encode(v) for v in value]}}
        if isinstance(value, list):
            return [encode(v) for v in value]
        if isinstance(value, dict):
            return {str(k): encode(v) for k, v in value.items()}
        if isinstance(value, np.generic):
            return value.item()
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise ValueError(f"Model '{model.name}': cannot save the call argument {value!r} of "
                         f"type {type(value).__name__}; only tensors and plain values are "
                         "saved.")

    layers = []
    for layer in operations:
        inbound = [{"args": encode(list(node.call_args)), "kwargs": encode(node.call_kwargs)}
                   for node in layer._inbound_nodes
                   if id(node) in kept and not node.is_input]
        entry = serialize_layer(layer) if isinstance(layer, Layer) else \
            serialize_operation(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = inbound
        layers.append(entry)

    def structure(value):
        if isinstance(value, KerasTensor):
            return reference(value)
        if isinstance(value, dict):
            return {k: structure(v) for k, v in value.items()}
        return [structure(v) for v in value]

    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": structure(graph.inputs), "output_layers": structure(graph.outputs)}


def _is_reference(value) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value[1:]))


def _tensor(created: dict, history, strict: bool):
    if not _is_reference(history):
        raise ModelFileError(f"A tensor reference must be [layer_name, node_index, "
                             f"tensor_index]; received {history!r}.")
    name, node_index, tensor_index = history
    if name not in created:
        raise ModelFileError(f"The config refers to layer {name!r}, which it does not define.")
    layer = created[name]
    if node_index < 0 or tensor_index < 0:
        raise ModelFileError(f"Negative index in the tensor reference {history!r}.")
    if node_index >= len(layer._inbound_nodes):
        if strict:
            raise ModelFileError(f"The config refers to call {node_index} of layer {name!r}, "
                                 "which never happens.")
        raise _NotReady
    outputs = layer._inbound_nodes[node_index].output_tensors
    if tensor_index >= len(outputs):
        raise ModelFileError(f"Layer {name!r} call {node_index} has {len(outputs)} outputs; "
                             f"the config asks for output {tensor_index}.")
    return outputs[tensor_index]


def _decode(value, created: dict):
    if isinstance(value, list):
        return [_decode(v, created) for v in value]
    if isinstance(value, dict):
        marker = value.get("class_name")
        if marker == "__keras_tensor__":
            config = value.get("config")
            if not isinstance(config, dict):
                raise ModelFileError(f"A saved tensor needs a config; received {value!r}.")
            return _tensor(created, config.get("keras_history"), strict=False)
        if marker == "__tuple__":
            inner = value.get("config", {})
            items = inner.get("value") if isinstance(inner, dict) else None
            if not isinstance(items, list):
                raise ModelFileError(f"A saved tuple needs a list of values; received {value!r}.")
            return tuple(_decode(v, created) for v in items)
        if marker is not None:
            raise ModelFileError(f"Unexpected object {marker!r} among call arguments.")
        return {k: _decode(v, created) for k, v in value.items()}
    return value


def functional_from_config(cls, config: dict, custom_objects: dict | None = None):
    """Rebuild a functional model of class ``cls`` from ``functional_get_config``'s dict.

    Example:
        >>> functional_from_config(Model, functional_get_config(model)).name == model.name
        True
    """
    from glassnet.saving.serialization_lib import deserialize_layer

    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ModelFileError("A functional model config needs a list of 'layers'; received "
                             f"{type(config).__name__}.")
    created: dict = {}
    pending: list = []
    for entry in config["layers"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ModelFileError(f"Every layer entry needs a 'name'; received {entry!r:.200}.")
        name = entry["name"]
        if name in created:
            raise ModelFileError(f"The config defines layer {name!r} twice.")
        layer_config = {k: v for k, v in entry.items() if k not in ("name", "inbound_nodes")}
        if entry.get("module") == OPERATIONS_MODULE:
            layer = deserialize_operation(layer_config)
        else:
            layer = deserialize_layer(layer_config, custom_objects)
        if getattr(layer, "name", None) != name:
            raise ModelFileError(f"Layer entry {name!r} builds a layer named "
                                 f"{getattr(layer, 'name', None)!r}.")
        created[name] = layer
        nodes = entry.get("inbound_nodes", [])
        if not isinstance(nodes, list):
            raise ModelFileError(f"'inbound_nodes' of layer {name!r} must be a list.")
        pending.append([layer, list(nodes)])

    # Replay the calls; a call waits until the tensors it reads exist (shared layers can be
    # called at several depths), and a pass that makes no progress means a broken graph.
    while any(nodes for _, nodes in pending):
        progressed = False
        for item in pending:
            layer, nodes = item
            while nodes:
                node = nodes[0]
                if not isinstance(node, dict) or not isinstance(node.get("args", []), list) \
                        or not isinstance(node.get("kwargs", {}), dict):
                    raise ModelFileError(f"A call of layer {layer.name!r} must be "
                                         "{'args': [...], 'kwargs': {...}}.")
                try:
                    args = _decode(node.get("args", []), created)
                    kwargs = _decode(node.get("kwargs", {}), created)
                except _NotReady:
                    break
                if not any(isinstance(t, KerasTensor) for t in flatten_structure((args, kwargs))):
                    raise ModelFileError(f"A call of layer {layer.name!r} has no tensor inputs.")
                layer(*args, **kwargs)
                nodes.pop(0)
                progressed = True
        if not progressed:
            stuck = [layer.name for layer, nodes in pending if nodes]
            raise ModelFileError("The functional model config has a cycle or refers to calls "
                                 f"that never happen; layers left waiting: {stuck}.")

    def structure(value):
        if _is_reference(value):
            return _tensor(created, value, strict=True)
        if isinstance(value, dict):
            return {k: structure(v) for k, v in value.items()}
        if isinstance(value, list) and value:
            return [structure(v) for v in value]
        raise ModelFileError(f"Unexpected model input/output entry {value!r}.")

    inputs = structure(config.get("input_layers"))
    outputs = structure(config.get("output_layers"))
    for tensor in flatten_structure(inputs):
        if not tensor.node.is_input:
            raise ModelFileError(f"Model input {tensor.name} is not an Input tensor.")
    name = config.get("name")
    trainable = config.get("trainable", True)
    if name is not None and not isinstance(name, str) or not isinstance(trainable, bool):
        raise ModelFileError("The model 'name' must be a string and 'trainable' a boolean.")
    return cls(inputs=inputs, outputs=outputs, name=name, trainable=trainable)
