"""What a trace holds: one :class:`OpRecord` per op call, one :class:`LayerRecord` per layer call.

Names in a :class:`LayerRecord` (all NumPy arrays, copied when the trace was taken):

============================  ==========================================================
``input``                     what the layer received
``pre_activation``            the value entering the layer's activation (``x @ W + b`` of
                              a Dense layer); the output itself when there is none; None
                              when the activation is fused into the layer's op (a Conv
                              with relu), which does not keep it
``activation``                the layer's output (alias ``output``)
``grad_activation``           d loss / d output (alias ``grad_output``); None when the loss
                              reads the logits instead (softmax or sigmoid fused with
                              cross-entropy)
``grad_pre_activation``       d loss / d pre-activation, the backprop "delta" (alias
                              ``delta``)
``grad_input``                d loss / d input (None for the model's first layer)
``kernel``, ``bias``, ...     each weight's value before the step
``grad_kernel``, ...          d loss / d weight
``update_kernel``, ...        what the optimizer adds to the weight this step
``new_kernel``, ...           the weight after the step (``kernel + update_kernel``)
============================  ==========================================================

Example:
    >>> t = glassnet.inspect.trace(model, x, y)
    >>> t["dense_1"].grad_kernel.shape, t["dense_1"].update_kernel.shape
    ((50, 10), (50, 10))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from glassnet.inspect.stats import describe, format_table


@dataclass
class OpRecord:
    """One op call: its label, input and output values, output gradients and intermediates.

    ``intermediates`` are the arrays the op kept for its backward pass, under the op's own
    names (``z`` of a sigmoid, ``active`` of a ReLU, ``probs`` of a softmax cross-entropy);
    they can also be read as attributes: ``record.z``.
    """

    label: str
    op_class: str
    inputs: list
    outputs: list
    grad_outputs: list
    intermediates: dict = field(default_factory=dict)

    @property
    def output(self):
        return self.outputs[0] if self.outputs else None

    @property
    def grad_output(self):
        return self.grad_outputs[0] if self.grad_outputs else None

    def __getattr__(self, name: str):
        intermediates = self.__dict__.get("intermediates", {})
        if name in intermediates:
            return intermediates[name]
        raise AttributeError(f"Op record '{self.__dict__.get('label')}' has no {name!r}; it "
                             f"keeps {sorted(intermediates)}.")

    def __repr__(self) -> str:
        shape = None if self.output is None else self.output.shape
        return (f"<OpRecord {self.label}: output {shape}, intermediates "
                f"{sorted(self.intermediates)}>")


_ALIASES = {"output": "activation", "grad_output": "grad_activation",
            "delta": "grad_pre_activation"}
_PREFIXES = (("grad_", "grads"), ("update_", "updates"), ("new_", "new_weights"))


@dataclass
class LayerRecord:
    """Everything one layer call saw and did in a traced step (names in the module docstring)."""

    name: str
    layer: object
    activation_name: str | None
    input: np.ndarray | None
    grad_input: np.ndarray | None
    pre_activation: np.ndarray | None
    grad_pre_activation: np.ndarray | None
    activation: np.ndarray | None
    grad_activation: np.ndarray | None
    weights: dict = field(default_factory=dict)
    grads: dict = field(default_factory=dict)
    updates: dict = field(default_factory=dict)
    new_weights: dict = field(default_factory=dict)
    ops: list = field(default_factory=list)

    @property
    def class_name(self) -> str:
        return type(self.layer).__name__

    def __getattr__(self, name: str):
        d = self.__dict__
        if name in _ALIASES:
            return d[_ALIASES[name]]
        weights = d.get("weights", {})
        if name in weights:
            return weights[name]
        for prefix, table in _PREFIXES:
            if name.startswith(prefix) and name[len(prefix):] in weights:
                return d[table].get(name[len(prefix):])
        known = sorted(weights) + [p + w for p, _ in _PREFIXES for w in weights]
        raise AttributeError(f"Layer record '{d.get('name')}' has no {name!r}. Weight names "
                             f"here: {known or 'none (this layer has no weights)'}.")

    def stat_rows(self) -> list:
        """``(label, ArrayStats)`` for every array of this record, forward values first."""
        act = self.activation_name
        rows = []
        candidates = [("input", self.input, None)]
        if act is not None and self.pre_activation is not None:
            candidates.append(("pre_activation", self.pre_activation, None))
        candidates.append(("activation", self.activation, act))
        candidates += [(w, v, None) for w, v in self.weights.items()]
        candidates += [("grad_activation", self.grad_activation, None)]
        if act is not None and self.grad_pre_activation is not None:
            candidates.append(("grad_pre_activation", self.grad_pre_activation, None))
        candidates.append(("grad_input", self.grad_input, None))
        candidates += [(f"grad_{w}", self.grads.get(w), None) for w in self.weights]
        candidates += [(f"update_{w}", self.updates.get(w), None) for w in self.weights]
        for label, value, activation in candidates:
            if value is not None:
                rows.append((f"  {label}", describe(value, activation)))
        return rows

    def header(self) -> str:
        act = f", {self.activation_name}" if self.activation_name else ""
        return f"{self.name} ({self.class_name}{act}): ops " + (
            " -> ".join(op.label for op in self.ops) or "none")

    def table(self) -> str:
        return format_table([(self.header(), None)] + self.stat_rows())

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return f"<LayerRecord {self.name}: {', '.join(self.weights) or 'no weights'}>"


class Trace:
    """The record of one training step, layer by layer (see :func:`glassnet.inspect.trace`).

    Index it by layer name or position (``t['dense_1']``, ``t[0]``), iterate over its
    layer records, read ``loss``, ``y_pred`` and ``loss_ops``; ``print(t)`` shows the table.
    """

    def __init__(self, layers: list, loss: float, y_pred, loss_ops: list, optimizer_name: str,
                 stepped: bool, training: bool, outside_ops: list | None = None):
        self.layers = layers
        self.loss = loss
        self.y_pred = y_pred
        self.loss_ops = loss_ops
        self.outside_ops = outside_ops or []  # ops the model ran between layers (x + y)
        self.optimizer_name = optimizer_name
        self.stepped = stepped
        self.training = training
        self._by_name = {r.name: r for r in layers}

    def keys(self) -> list:
        return list(self._by_name)

    def __getitem__(self, key) -> LayerRecord:
        if isinstance(key, (int, np.integer)):
            return self.layers[key]
        if key in self._by_name:
            return self._by_name[key]
        raise KeyError(f"No layer named {key!r} in this trace. Layers: {self.keys()}.")

    def __contains__(self, key) -> bool:
        return key in self._by_name

    def __iter__(self):
        return iter(self.layers)

    def __len__(self) -> int:
        return len(self.layers)

    def table(self) -> str:
        """All layers' statistics as one aligned text table."""
        rows = []
        for record in self.layers:
            rows.append((record.header(), None))
            rows.extend(record.stat_rows())
        if self.outside_ops:
            rows.append(("ops outside layers: " + " -> ".join(op.label for op in self.outside_ops),
                         None))
        ops = " -> ".join(op.label for op in self.loss_ops) or "none"
        rows.append((f"loss = {self.loss:.6g} (ops: {ops})", None))
        step = "applied" if self.stepped else "not applied (the model is unchanged)"
        title = f"Trace of one training step; optimizer {self.optimizer_name}, update {step}"
        return title + "\n" + format_table(rows)

    def summary(self, print_fn=None) -> None:
        """Print the table (or pass it to ``print_fn``)."""
        (print_fn or print)(self.table())

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return f"<Trace of {len(self.layers)} layers, loss={self.loss:.6g}, keys={self.keys()}>"
