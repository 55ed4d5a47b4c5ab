"""The op contract beyond the math, for every registered op and example.

``forward`` and ``backward`` never change their arguments, ``backward`` returns one gradient
per input with the input's shape, and float32 stays float32 (Keras's default ``floatx``)
through forward and backward.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.op_cases import op_cases


def _as_list(result) -> list:
    return list(result) if isinstance(result, tuple) else [result]


def _copies(values) -> list:
    return [np.array(v, copy=True) if isinstance(v, np.ndarray) else v for v in values]


def _unchanged(before, after) -> bool:
    return all(not isinstance(b, np.ndarray) or np.array_equal(b, a, equal_nan=True)
               for b, a in zip(before, after))


def _run(case, inputs):
    """forward then backward on a fresh op, with every differentiable input needed."""
    flags = case.differentiable()
    op = case.cls(**case.kwargs)
    op.needs_input_grad = tuple(flags)
    outputs = _as_list(op.forward(*inputs))
    rng = np.random.default_rng(7)
    grads_out = [rng.standard_normal(o.shape).astype(o.dtype) for o in outputs]
    grad_arg = grads_out[0] if len(outputs) == 1 else grads_out
    return flags, outputs, grads_out, op, grad_arg


@pytest.mark.parametrize("case", op_cases())
def test_forward_and_backward_leave_their_arguments_alone(case):
    case.require_example()
    inputs = case.float64_inputs()
    before = _copies(inputs)
    flags, outputs, grads_out, op, grad_arg = _run(case, inputs)
    assert _unchanged(before, inputs), f"op {case.label!r}: forward changed its inputs"
    seeds = _copies(grads_out)
    input_grads = op.backward(grad_arg)
    assert _unchanged(seeds, grads_out), f"op {case.label!r}: backward changed its grad argument"
    assert _unchanged(before, inputs), f"op {case.label!r}: backward changed the inputs"
    assert isinstance(input_grads, tuple) and len(input_grads) == len(inputs), (
        f"op {case.label!r}: backward must return a tuple of {len(inputs)} gradients (one per "
        f"input); received {type(input_grads).__name__} of length {len(input_grads)}")
    for i, (x, g, needed) in enumerate(zip(inputs, input_grads, flags)):
        if needed:
            assert g is not None, f"op {case.label!r}: no gradient for needed input {i}"
            assert np.shape(g) == np.shape(x), (
                f"op {case.label!r}: gradient {i} has shape {np.shape(g)}, input {np.shape(x)}")


@pytest.mark.parametrize("case", op_cases())
def test_float32_stays_float32(case):
    case.require_example()
    inputs = [x.astype(np.float32) if isinstance(x, np.ndarray) and x.dtype.kind == "f" else x
              for x in case.float64_inputs()]
    flags, outputs, grads_out, op, grad_arg = _run(case, inputs)
    for i, out in enumerate(outputs):
        assert out.dtype == np.float32, (
            f"op {case.label!r}: output {i} of float32 inputs has dtype {out.dtype}")
    input_grads = op.backward(grad_arg)
    for i, (g, needed) in enumerate(zip(input_grads, flags)):
        if needed:
            assert np.asarray(g).dtype == np.float32, (
                f"op {case.label!r}: gradient {i} of float32 inputs has dtype "
                f"{np.asarray(g).dtype}")
