"""Numerical gradient checking by central differences in float64.

``check_op`` compares an op's ``backward`` with finite differences of its ``forward``;
``numerical_grad`` is the building block, useful on its own for teaching.

Example:
    >>> from glassnet.ops.activations import Sigmoid
    >>> report = check_op(Sigmoid, [np.random.randn(3, 4)])
    >>> report.max_error < 1e-6
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np


def numerical_grad(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f / d x by central differences, perturbing ``x`` in place one element at a time."""
    grad = np.zeros_like(x, dtype=np.float64)
    flat = x.reshape(-1)
    grad_flat = grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        plus = f()
        flat[i] = original - eps
        minus = f()
        flat[i] = original
        grad_flat[i] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """max |a - n| / max(1, |a|, |n|): relative for large values, absolute near zero."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(n)))
    return float(np.max(np.abs(a - n) / scale))


@dataclass
class GradCheckReport:
    """Per-input errors of one gradient check; ``max_error`` is the worst."""

    label: str
    errors: list = field(default_factory=list)

    @property
    def max_error(self) -> float:
        return max((e for e in self.errors if e is not None), default=0.0)


def _forward_outputs(op, inputs) -> list:
    out = op.forward(*inputs)
    return list(out) if isinstance(out, tuple) else [out]


def check_op(op_cls, inputs: list, kwargs: dict | None = None, eps: float = 1e-6,
             seed: int = 0) -> GradCheckReport:
    """Compare ``op_cls(**kwargs).backward`` with central differences.

    The (possibly multi-output) op is reduced to a scalar by a fixed random projection
    of each output, so every output element's gradient path is checked.
    """
    kwargs = kwargs or {}
    rng = np.random.default_rng(seed)
    inputs = [np.array(x, copy=True) if isinstance(x, np.ndarray) else x for x in inputs]
    op = op_cls(**kwargs)
    differentiable = [isinstance(x, np.ndarray) and x.dtype.kind == "f" for x in inputs]
    if op_cls.differentiable is not None:
        differentiable = [a and b for a, b in zip(differentiable, op_cls.differentiable)]
    op.needs_input_grad = tuple(differentiable)
    outputs = _forward_outputs(op, inputs)
    projections = [rng.standard_normal(o.shape) for o in outputs]
    grad_out = projections[0] if len(outputs) == 1 else projections
    analytic = op.backward(grad_out)

    def scalar() -> float:
        fresh = op_cls(**kwargs)
        fresh.needs_input_grad = tuple(differentiable)
        outs = _forward_outputs(fresh, inputs)
        return float(sum(np.sum(o.astype(np.float64) * p) for o, p in zip(outs, projections)))

    report = GradCheckReport(op_cls.label)
    for i, x in enumerate(inputs):
        if not differentiable[i]:
            report.errors.append(None)
            continue
        numeric = numerical_grad(scalar, x, eps)
        a = analytic[i]
        if a is None:
            a = np.zeros_like(numeric)
        report.errors.append(relative_error(a, numeric))
    return report
