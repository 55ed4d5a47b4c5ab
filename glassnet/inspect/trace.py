"""trace: one training step with every activation, gradient and update kept for inspection.

``trace(model, x, y)`` runs the step a compiled model would run on this batch (forward with
``training=True``, the compiled loss plus penalties, back-propagation to the weights that
train) and records, per layer and per op inside the layer, the values going forward, the
gradients coming back and the update the optimizer would make.  With ``step=False`` (the
default) nothing changes: not the weights, not the optimizer's state (the update is
computed on a copy, see :mod:`glassnet.inspect.update`), not the random generators (so the
next real step draws the same dropout masks), not BatchNorm's moving statistics.
With ``step=True`` the update is applied as ``train_on_batch`` would apply it (metrics
are left alone).

Example:
    >>> t = glassnet.inspect.trace(model, x_train[:32], y_train[:32])
    >>> print(t)                                  # shape, mean, std, min, max, zeros, saturated
    >>> t["dense_1"].grad_kernel                  # d loss / d kernel of layer dense_1
    >>> t["dense_1"].pre_activation, t["dense_1"].activation
    >>> t["dense_1"].update_kernel                # what the optimizer adds this step
    >>> t["dense_1"].ops[1].z                     # the sigmoid op's saved output
"""

from __future__ import annotations

import numpy as np

from glassnet.core.symbolic import flatten_structure
from glassnet.core.tape import run_backward
from glassnet.core.tensor import Tensor
from glassnet.inspect import recorder
from glassnet.inspect.records import LayerRecord, OpRecord, Trace
from glassnet.inspect.update import preview_update

_ACTIVATION_MODULE = "glassnet.ops.activations"


class _Copies:
    """Copies arrays once each, so an array shared by two records is stored once."""

    def __init__(self):
        self._done: dict = {}

    def __call__(self, value):
        if value is None:
            return None
        if isinstance(value, Tensor):
            value = value.data
        if not isinstance(value, np.ndarray):
            return value
        key = id(value)
        if key not in self._done:
            # Holding the original too keeps it alive, so no other array can reuse its id.
            self._done[key] = (value, np.array(value, copy=True))
        return self._done[key][1]


def _op_intermediates(op, copy) -> dict:
    return {k: copy(v) for k, v in vars(op).items()
            if isinstance(v, np.ndarray) and not k.startswith("_")}


def _activation_node(call):
    """The node of the layer's final activation op, if its output is the layer's output."""
    outputs = call.output_tensors()
    if not outputs or outputs[0].node is None or not call.nodes:
        return None
    node = outputs[0].node
    if node in call.nodes and type(node.op).__module__ == _ACTIVATION_MODULE:
        return node
    return None


def _weights_of(call, recorded_layers: set) -> list:
    layer = call.layer
    exclude = set()
    for sub in layer._flatten_layers(include_self=False):
        if id(sub) in recorded_layers:
            exclude.update(id(v) for v in sub.weights)
    return [v for v in layer.weights if id(v) not in exclude]


def _weight_keys(variables) -> list:
    names = [v.name for v in variables]
    return [v.name if names.count(v.name) == 1 else v.path.replace("/", "_") for v in variables]


class _Pending:
    """A layer call waiting for its gradients: the tensors to ask the tape for."""

    def __init__(self, call, graph, recorded_layers, copy, before: dict):
        self.call = call
        self.layer = call.layer
        activation = _activation_node(call)
        outputs = call.output_tensors()
        inputs = call.input_tensors()
        self.input = inputs[0] if inputs else None
        self.output = outputs[0] if outputs else None
        fused = call.nodes[-1].op if call.nodes else None
        fused = getattr(fused, "activation", None)
        if activation is not None:
            self.pre = activation.inputs[0]
            self.activation_name = activation.op.label
        elif isinstance(fused, str) and fused:
            # The activation runs inside the layer's op (Conv with relu): its input is not kept.
            self.pre, self.activation_name = None, fused
        else:
            self.pre, self.activation_name = self.output, None
        self.variables = _weights_of(call, recorded_layers)
        self.keys = _weight_keys(self.variables)
        # Values from before the forward pass (BatchNorm moves its statistics during it).
        self.weight_values = {k: before.get(id(v), copy(v.data))
                              for k, v in zip(self.keys, self.variables)}
        self.values = {"input": copy(self.input), "pre": copy(self.pre),
                       "output": copy(self.output)}
        self.ops = [_pending_op(node, graph, copy) for node in call.nodes]

    def tensors(self) -> list:
        found = [t for t in (self.input, self.pre, self.output) if isinstance(t, Tensor)]
        return found + [t for op in self.ops for t in op[1] if t is not None]


def _pending_op(node, graph, copy):
    outputs = [recorder.output_of(graph, node, i) for i in range(node.n_outputs)]
    record = OpRecord(label=node.op.label, op_class=type(node.op).__name__,
                      inputs=[copy(t) for t in node.inputs],
                      outputs=[copy(t) for t in outputs], grad_outputs=[],
                      intermediates=_op_intermediates(node.op, copy))
    return record, outputs


def _grad(found: dict, tensor):
    if not isinstance(tensor, Tensor):
        return None
    g = found.get(id(tensor))
    return None if g is None else np.asarray(g)


def trace(model, x, y=None, sample_weight=None, step: bool = False,
          training: bool = True) -> Trace:
    """Run one training step's forward and backward pass on ``(x, y)`` and record it all.

    Args:
        model: a compiled model.
        x, y, sample_weight: one batch, as ``train_on_batch`` takes it.
        step: apply the update to the model (as ``train_on_batch`` does); by default the
            model, its optimizer and the random generators are left exactly as they were.
        training: run layers in training mode (dropout active, BatchNorm on batch statistics).

    Returns:
        A :class:`~glassnet.inspect.records.Trace`; see
        :mod:`glassnet.inspect.records` for the names of the recorded arrays.

    Example:
        >>> t = trace(model, x[:3], y[:3])
        >>> np.allclose(t["dense"].new_kernel, t["dense"].kernel + t["dense"].update_kernel)
        True
    """
    model._assert_compiled("trace")
    x, y, sample_weight = model._prepare(x, y, sample_weight)
    batch = (x, y, sample_weight)
    if not model._compile_loss_built:
        model._build_compiled(batch)
    variables = model._variables_to_train()
    all_weights = list(model.weights)
    saved_state = [w.numpy() for w in all_weights]
    copy = _Copies()
    frozen = [v for v in variables if not v.requires_grad]
    with recorder.preserved_random_state(model, keep=not step):
        for v in frozen:  # weights frozen after compile still train, as in a real step
            v.requires_grad = True
        try:
            with recorder.record_layer_calls(model) as calls:
                y_pred = model(x, training=training)
            forward_end = recorder.next_seq()
            loss = model.compute_loss(x, y, y_pred, sample_weight)
            graph = recorder.attribute_nodes(calls, loss, forward_end)
            recorded_layers = {id(c.layer) for c in graph.calls}
            values_before = {id(w): value for w, value in zip(all_weights, saved_state)}
            pending = [_Pending(c, graph, recorded_layers, copy, values_before)
                       for c in graph.calls
                       if c.nodes or not _has_recorded_sublayer(c.layer, recorded_layers)]
            loss_ops = [_pending_op(node, graph, copy) for node in graph.loss_nodes]
            outside_ops = [_pending_op(node, graph, copy) for node in graph.outside_nodes]
            wanted = [t for p in pending for t in p.tensors()]
            wanted += [t for op in loss_ops + outside_ops for t in op[1] if t is not None]
            found = run_backward([loss], [np.ones_like(loss.data)], wanted=wanted)
        finally:
            for v in frozen:
                v.requires_grad = False
    if not step:
        # A forward pass in training mode may move non-trainable state (BatchNorm's moving
        # statistics); put it back so the trace leaves the model as it found it.
        for w, value in zip(all_weights, saved_state):
            if not np.array_equal(w.data, value):
                w.assign(value)
    grads = [found.get(id(v)) for v in variables]
    before = [v.numpy() for v in variables]
    if step:
        model.optimizer.apply(grads, variables)
        after = [v.numpy() for v in variables]
    else:
        after = preview_update(model.optimizer, variables, grads)
    by_id = {id(v): (None if g is None else np.asarray(g), b, a)
             for v, g, b, a in zip(variables, grads, before, after)}

    layers = [_finish(p, found, by_id) for p in pending]
    for op, tensors in loss_ops + outside_ops:
        op.grad_outputs = [_grad(found, t) for t in tensors]
    _name_repeated_calls(layers)
    outputs = [t.data.copy() for t in flatten_structure(y_pred) if isinstance(t, Tensor)]
    return Trace(layers, float(np.sum(loss.data)), outputs[0] if len(outputs) == 1 else outputs,
                 [op for op, _ in loss_ops], model.optimizer.name, stepped=step,
                 training=training, outside_ops=[op for op, _ in outside_ops])


def _has_recorded_sublayer(layer, recorded: set) -> bool:
    return any(id(s) in recorded for s in layer._flatten_layers(include_self=False))


def _finish(p: _Pending, found: dict, by_id: dict) -> LayerRecord:
    for op, tensors in p.ops:
        op.grad_outputs = [_grad(found, t) for t in tensors]
    record = LayerRecord(
        name=p.layer.name, layer=p.layer, activation_name=p.activation_name,
        input=p.values["input"], grad_input=_grad(found, p.input),
        pre_activation=p.values["pre"], grad_pre_activation=_grad(found, p.pre),
        activation=p.values["output"], grad_activation=_grad(found, p.output),
        weights=p.weight_values, ops=[op for op, _ in p.ops])
    for key, v in zip(p.keys, p.variables):
        grad, old, new = by_id.get(id(v), (None, None, None))
        record.grads[key] = grad
        if old is not None:
            record.updates[key] = new - old
            record.new_weights[key] = new
    return record


def _name_repeated_calls(layers: list) -> None:
    """A layer called more than once (shared layers) gets 'name', 'name#2', ..."""
    counts: dict = {}
    for record in layers:
        counts[record.name] = counts.get(record.name, 0) + 1
        if counts[record.name] > 1:
            record.name = f"{record.name}#{counts[record.name]}"
