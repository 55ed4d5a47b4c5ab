"""Tensor: operators as recorded ops, their values and gradients, comparisons, repr."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.core.tensor import Tensor, as_array

A = np.array([[0.5, -1.5, 2.0], [1.0, 3.0, -0.25]])
B = np.array([[2.0, 0.5, -1.0], [4.0, -2.0, 0.5]])


def _leaves():
    return Tensor(A.copy(), requires_grad=True), Tensor(B.copy(), requires_grad=True)


# (expression, label of the op it records, value, d sum / d a, d sum / d b), all by hand.
BINARY = [
    (lambda a, b: a + b, "add", A + B, np.ones_like(A), np.ones_like(B)),
    (lambda a, b: a - b, "subtract", A - B, np.ones_like(A), -np.ones_like(B)),
    (lambda a, b: a * b, "multiply", A * B, B, A),
    (lambda a, b: a / b, "divide", A / B, 1 / B, -A / B**2),
    (lambda a, b: a @ b.T, "matmul", A @ B.T, np.ones((2, 2)) @ B, np.ones((2, 2)).T @ A),
]


@pytest.mark.parametrize("expression, label, value, grad_a, grad_b", BINARY,
                         ids=[case[1] for case in BINARY])
def test_binary_operators(expression, label, value, grad_a, grad_b):
    a, b = _leaves()
    out = expression(a, b)
    assert isinstance(out, Tensor) and out.op_label == label and out.requires_grad
    np.testing.assert_allclose(out.data, value, rtol=1e-12)
    da, db = glassnet.grad(out.sum(), [a, b])
    np.testing.assert_allclose(da, grad_a, rtol=1e-12)
    np.testing.assert_allclose(db, grad_b, rtol=1e-12)


UNARY = [
    (lambda a: -a, "negative", -A, -np.ones_like(A)),
    (lambda a: a ** 3, "power", A**3, 3 * A**2),
    (lambda a: 2.0 + a, "add", 2 + A, np.ones_like(A)),
    (lambda a: 2.0 - a, "subtract", 2 - A, -np.ones_like(A)),
    (lambda a: 3.0 * a, "multiply", 3 * A, 3 * np.ones_like(A)),
    (lambda a: 1.0 / a, "divide", 1 / A, -1 / A**2),
    (lambda a: a[1, ::2], "get_item", A[1, ::2], np.array([[0, 0, 0], [1.0, 0, 1.0]])),
    (lambda a: a.T, "transpose", A.T, np.ones_like(A)),
    (lambda a: a.reshape(3, 2), "reshape", A.reshape(3, 2), np.ones_like(A)),
    (lambda a: a.reshape((6,)), "reshape", A.reshape(6), np.ones_like(A)),
    (lambda a: a.mean(axis=0), "mean", A.mean(axis=0), np.full_like(A, 0.5)),
    (lambda a: a.sum(axis=1, keepdims=True), "sum", A.sum(axis=1, keepdims=True),
     np.ones_like(A)),
]


@pytest.mark.parametrize("expression, label, value, grad", UNARY,
                         ids=[f"{case[1]}-{i}" for i, case in enumerate(UNARY)])
def test_unary_operators_and_methods(expression, label, value, grad):
    a, _ = _leaves()
    out = expression(a)
    assert out.op_label == label
    np.testing.assert_allclose(out.data, value, rtol=1e-12)
    np.testing.assert_allclose(glassnet.grad(out.sum(), a), grad, rtol=1e-12)


def test_array_on_the_left_uses_the_reflected_operator():
    a, _ = _leaves()
    out = B + a  # NumPy defers to Tensor because of __array_priority__
    assert isinstance(out, Tensor) and out.op_label == "add"
    out = B @ a.T
    assert isinstance(out, Tensor) and out.op_label == "matmul"
    np.testing.assert_allclose(out.data, B @ A.T)


def test_comparisons_give_constant_boolean_tensors():
    a, b = _leaves()
    for result, expected in [(a < b, A < B), (a <= b, A <= B), (a > 1.0, A > 1.0),
                             (a >= b, A >= B)]:
        assert result.dtype == bool and result.node is None and not result.requires_grad
        np.testing.assert_array_equal(result.data, expected)


def test_python_floats_become_float32_arrays_stay_as_they_are():
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(1.5).dtype == np.float32
    assert Tensor(A).dtype == np.float64 and Tensor(A).data is A
    assert Tensor([1, 2]).dtype.kind == "i"
    assert as_array([0.5], dtype=np.float64).dtype == np.float64


def test_float64_scalar_from_a_full_reduction_stays_float64():
    x = Tensor(np.array([1.0, 2.0 + 1e-12]), requires_grad=True)
    assert x.sum().dtype == np.float64
    assert Tensor(np.float64(1.0)).dtype == np.float64


def test_array_like_surface():
    t = Tensor(A)
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6 and len(t) == 2
    copy = t.numpy()
    copy[0, 0] = 99.0
    assert A[0, 0] == 0.5, "numpy() must return a copy"
    assert np.asarray(t) is A
    assert float(Tensor(2.5)) == 2.5 and int(Tensor(3)) == 3
    assert Tensor(np.array(4.0)).item() == 4.0
    rows = list(Tensor(A, requires_grad=True))
    assert len(rows) == 2 and rows[1].op_label == "get_item"
    np.testing.assert_array_equal(rows[1].data, A[1])


def test_repr_shows_values_op_and_gradient():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    assert repr(x) == "Tensor([1. 2.], op=leaf)"
    y = x * x
    assert "op=multiply" in repr(y) and "[1. 4.]" in repr(y)
    y.sum().backward()
    assert repr(x) == "Tensor([1. 2.], op=leaf, grad=[2. 4.])"
    assert "op=freed" in repr(y)


def test_repr_of_a_large_tensor_is_summarised():
    text = repr(Tensor(np.arange(1000.0)))
    assert "..." in text and len(text) < 100


def test_detach_cuts_the_graph():
    x = Tensor(A, requires_grad=True)
    d = (x * 2.0).detach()
    assert d.node is None and not d.requires_grad
    np.testing.assert_array_equal(d.data, 2 * A)
