"""Op: one differentiable function with its forward and backward written out in NumPy.

An op is a small class.  ``forward`` takes NumPy arrays and returns an array (or a
tuple of arrays), keeping what ``backward`` needs under readable names on ``self``.
``backward`` takes the gradient of the output and returns one gradient per input
(None where an input needs none).  It never changes its arguments.

Calling an op instance on tensors runs ``forward`` and, when any input requires a
gradient and gradients are enabled, records a :class:`Node` so the tape can call
``backward`` later.  Every op class is registered with :func:`register_op` together
with example inputs, and the test suite gradient-checks every registered op.

Example:
    >>> class Square(Op):
    ...     label = "square"
    ...     def forward(self, x):
    ...         self.x = x
    ...         return x * x
    ...     def backward(self, grad):
    ...         return (2 * self.x * grad,)
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from glassnet.core.tensor import Node, Tensor

#: Every registered op class by label, with a function giving gradient-check examples.
OP_REGISTRY: dict[str, dict] = {}


class GradMode:
    """Whether ops record nodes for back-propagation (switched off by ``no_grad``)."""

    enabled = True


class Op:
    """Base class of all ops; see the module docstring for the contract."""

    label = "op"
    #: Which positional inputs can receive a gradient (None means all of them).
    differentiable: tuple | None = None

    needs_input_grad: tuple = ()

    def forward(self, *inputs):  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, grad):  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, *inputs):
        arrays = [x.data if isinstance(x, Tensor) else x for x in inputs]
        track = False
        if GradMode.enabled:
            needs = [isinstance(x, Tensor) and x.requires_grad for x in inputs]
            if self.differentiable is not None:
                needs = [n and d for n, d in zip(needs, self.differentiable)]
            track = any(needs)
            if track:
                self.needs_input_grad = tuple(needs)
        result = self.forward(*arrays)
        if isinstance(result, tuple):
            outputs = tuple(Tensor(r) for r in result)
        else:
            outputs = (Tensor(result),)
        if track:
            node = Node(self, inputs, len(outputs))
            for i, out in enumerate(outputs):
                out.requires_grad = True
                out.node = node
                out.index = i
        return outputs if isinstance(result, tuple) else outputs[0]

    def __repr__(self) -> str:
        return f"<op {self.label}>"


def register_op(examples: Callable[[], list]) -> Callable[[type], type]:
    """Register an op class with a function returning gradient-check examples.

    Each example is ``(inputs, kwargs)``: a list of float64 arrays (or other constant
    inputs) and the keyword arguments for the op's constructor.
    """

    def decorate(cls: type) -> type:
        if cls.label in OP_REGISTRY:
            raise ValueError(f"An op labelled {cls.label!r} is already registered.")
        OP_REGISTRY[cls.label] = {"cls": cls, "examples": examples}
        return cls

    return decorate


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting added or stretched to reach ``shape``."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad.reshape(shape)
