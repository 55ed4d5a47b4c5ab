"""Every registered op against PyTorch: forward values and input gradients, in float64.

Each op/example runs through glassnet's recorded path (``op(*tensors)`` then
``glassnet.grad``) and through the matching function of ``torch_reference.REFERENCES``; the
outputs are reduced by the same fixed random projection on both sides.  A registered op with
no entry in the table fails, so no op can skip its reference.
"""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest

import glassnet
from glassnet.core.tensor import Tensor
from tests.ops.op_cases import OpCase, load_registry, op_cases

RTOL = 1e-6
# Float64 results that should be zero can differ by rounding of their larger intermediates.
ATOL = 1e-10


@pytest.fixture(scope="module")
def references(torch):
    return importlib.import_module("tests.ops.torch_reference").REFERENCES


def _to_torch(torch, x, requires_grad: bool):
    if isinstance(x, np.ndarray):
        if x.dtype.kind == "f":
            return torch.tensor(x, dtype=torch.float64, requires_grad=requires_grad)
        if x.dtype.kind in "iu":
            return torch.from_numpy(x.astype(np.int64))
        if x.dtype.kind == "b":
            return torch.from_numpy(x.copy())
    return x


def _wants_op(reference) -> bool:
    try:
        return "op" in inspect.signature(reference).parameters
    except (TypeError, ValueError):  # torch builtins have no signature and take no op
        return False


def _as_list(result) -> list:
    return list(result) if isinstance(result, tuple) else [result]


def compare_with_torch(torch, case: OpCase, reference) -> None:
    """Assert glassnet's outputs and input gradients for ``case`` equal ``reference``'s."""
    inputs = case.float64_inputs()
    flags = case.differentiable()
    assert any(flags), (f"op {case.label!r}: the example has no differentiable input, so "
                        "its gradient cannot be compared")

    op = case.cls(**case.kwargs)
    tensors = [Tensor(x, requires_grad=True) if f else x for x, f in zip(inputs, flags)]
    outputs = _as_list(op(*tensors))
    rng = np.random.default_rng(2024)
    projections = [rng.standard_normal(o.shape) for o in outputs]
    wanted = [t for t, f in zip(tensors, flags) if f]
    grads = glassnet.grad(outputs, wanted, grad_output=projections)

    torch_inputs = [_to_torch(torch, x, f) for x, f in zip(inputs, flags)]
    kwargs = dict(case.kwargs)
    if _wants_op(reference):
        kwargs["op"] = op
    expected = _as_list(reference(*torch_inputs, **kwargs))
    assert len(outputs) == len(expected), (
        f"op {case.label!r} returns {len(outputs)} outputs, PyTorch {len(expected)}")
    for i, (out, ref) in enumerate(zip(outputs, expected)):
        assert out.dtype == np.float64, (
            f"op {case.label!r} output {i}: float64 inputs gave dtype {out.dtype}")
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=RTOL, atol=ATOL,
                                   err_msg=f"op {case.label!r} forward, output {i}")

    projected = sum((ref * torch.from_numpy(p)).sum() for ref, p in zip(expected, projections))
    torch_wanted = [t for t, f in zip(torch_inputs, flags) if f]
    torch_grads = torch.autograd.grad(projected, torch_wanted, allow_unused=True)
    positions = [i for i, f in enumerate(flags) if f]
    for position, got, ref, x in zip(positions, grads, torch_grads, torch_wanted):
        ref = torch.zeros_like(x) if ref is None else ref
        assert got.shape == tuple(x.shape), (
            f"op {case.label!r}: gradient of input {position} has shape {got.shape}, "
            f"the input has {tuple(x.shape)}")
        assert got.dtype == np.float64, (
            f"op {case.label!r}: gradient of input {position} has dtype {got.dtype}")
        np.testing.assert_allclose(got, ref.numpy(), rtol=RTOL, atol=ATOL,
                                   err_msg=f"op {case.label!r} gradient of input {position}")


KNOWN_BUGS: dict = {}


@pytest.mark.parametrize("case", op_cases(KNOWN_BUGS))
def test_op_matches_pytorch(case, torch, references):
    case.require_example()
    if case.label not in references:
        pytest.fail(f"op {case.label!r} ({case.cls.__module__}.{case.cls.__name__}) has no "
                    "PyTorch reference; add one to tests/ops/torch_reference.py REFERENCES")
    compare_with_torch(torch, case, references[case.label])


def test_every_reference_names_a_registered_op(references):
    stale = sorted(set(references) - set(load_registry()))
    assert not stale, f"references for labels no op is registered under: {stale}"


def _registered(label: str) -> type:
    return load_registry()[label]["cls"]


# Probabilities on and beyond the clip edges [1e-7, 1 - 1e-7] (KL: [1e-7, 1]), where the
# Keras forms differ from a plain log; the registered examples stay inside, since central
# differences cannot straddle the clip.
_EDGE_PROBS = np.array([[0.0, 1.0, 0.0], [1e-9, 0.5, 0.5 - 1e-9], [0.2, 0.3, 0.5]])
_EDGE_CASES = [
    ("categorical_cross_entropy", [_EDGE_PROBS, np.eye(3)[[0, 1, 2]]]),
    ("categorical_cross_entropy", [_EDGE_PROBS, np.eye(3)[[1, 0, 1]]]),
    ("sparse_categorical_cross_entropy", [_EDGE_PROBS, np.array([0, 0, 2])]),
    ("sparse_categorical_cross_entropy", [_EDGE_PROBS, np.array([1, 2, 1])]),
    ("binary_cross_entropy", [np.array([[0.0, 1.0, 1e-9, 0.4], [1.0 - 1e-9, 0.7, 0.0, 1.0]]),
                              np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])]),
    ("binary_cross_entropy", [np.array([[0.0], [1.0], [0.3]]), np.array([[0.0], [1.0], [1.0]])]),
    ("binary_focal_cross_entropy", [np.array([[0.0, 1.0, 1e-9, 0.4], [1.0, 0.7, 0.0, 0.5]]),
                                    np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])]),
    ("kl_divergence", [np.array([[0.0, 0.5, 0.5], [1e-9, 0.2, 0.8]]),
                       np.array([[0.3, 0.0, 0.7], [0.5, 0.5, 0.0]])]),
]


@pytest.mark.parametrize("label, inputs", _EDGE_CASES,
                         ids=[f"{label}-{i}" for i, (label, _) in enumerate(_EDGE_CASES)])
def test_probability_losses_clip_like_keras(label, inputs, torch, references):
    compare_with_torch(torch, OpCase(label, _registered(label), inputs), references[label])
