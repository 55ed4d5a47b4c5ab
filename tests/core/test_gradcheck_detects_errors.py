"""glassnet.core.gradcheck must fail on wrong backwards, or the op tests prove nothing."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.core.gradcheck import check_op, numerical_grad, relative_error
from glassnet.core.op import Op, unbroadcast

X = np.array([[0.4, -1.3, 2.1], [0.9, -0.2, 1.5]])
Y = np.array([[1.1, 0.6, -0.8], [-1.7, 0.3, 2.4]])
TOLERANCE = 1e-6


class Square(Op):
    label = "test_square"

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, grad):
        return (2 * self.x * grad,)


class SquareMissingFactor(Square):
    def backward(self, grad):
        return (self.x * grad,)


class SquareSlightlyOff(Square):
    def backward(self, grad):
        return (2 * self.x * grad * (1 + 1e-4),)


class SquareNoGradient(Square):
    def backward(self, grad):
        return (None,)


class Product(Op):
    label = "test_product"

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        return (unbroadcast(grad * self.b, self.a.shape), unbroadcast(grad * self.a, self.b.shape))


class ProductWrongSecond(Product):
    def backward(self, grad):
        return grad * self.b, grad * self.b


class ProductNoUnbroadcast(Product):
    def backward(self, grad):
        return grad * self.b, grad * self.a


class ScaledByTarget(Op):
    """z = x * t with t a constant target: only x is checked."""

    label = "test_scaled"
    differentiable = (True, False)

    def forward(self, x, t):
        self.t = t
        return x * t

    def backward(self, grad):
        return grad * self.t, None


def test_a_correct_backward_passes():
    assert check_op(Square, [X]).max_error < 1e-8
    assert check_op(Product, [X, Y]).max_error < 1e-8
    assert check_op(Product, [X, Y[:1]]).max_error < 1e-8


@pytest.mark.parametrize("wrong", [SquareMissingFactor, SquareSlightlyOff, SquareNoGradient],
                         ids=["missing-factor", "off-by-1e-4", "no-gradient"])
def test_a_wrong_backward_fails(wrong):
    assert check_op(wrong, [X]).max_error > TOLERANCE


def test_the_wrong_input_is_named():
    report = check_op(ProductWrongSecond, [X, Y])
    assert report.errors[0] < 1e-8 and report.errors[1] > 0.1
    assert report.label == "test_product"


def test_a_gradient_of_the_wrong_shape_fails():
    report = check_op(ProductNoUnbroadcast, [X, Y[:1]])
    assert report.errors[1] == float("inf") and report.max_error == float("inf")


def test_constant_inputs_are_not_checked():
    report = check_op(ScaledByTarget, [X, Y])
    assert report.errors[1] is None and report.errors[0] < 1e-8
    labels = np.array([[0], [2]])
    assert check_op(Product, [X, labels]).errors[1] is None  # integer inputs are constants


def test_check_op_leaves_the_callers_inputs_alone():
    x = X.copy()
    check_op(Square, [x])
    np.testing.assert_array_equal(x, X)


def test_numerical_grad_of_a_known_function():
    x = np.array([0.5, -1.0, 2.0])
    grad = numerical_grad(lambda: float(np.sum(np.sin(x) * x)), x)
    np.testing.assert_allclose(grad, np.cos(x) * x + np.sin(x), rtol=1e-8)
    np.testing.assert_array_equal(x, [0.5, -1.0, 2.0])


def test_relative_error():
    assert relative_error(np.array([1.0, 200.0]), np.array([1.0, 202.0])) == pytest.approx(2 / 202)
    assert relative_error(np.array([1e-9]), np.array([2e-9])) == pytest.approx(1e-9)
    assert relative_error(np.ones(3), np.ones(4)) == float("inf")
    assert relative_error(np.ones(0), np.ones(0)) == 0.0
