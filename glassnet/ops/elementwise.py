"""Elementwise arithmetic ops with NumPy broadcasting.

Each backward sums the gradient back over broadcast axes (``unbroadcast``).

Example:
    >>> add(Tensor([1.0, 2.0]), 3.0).data
    array([4., 5.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op, unbroadcast


def _shape(x) -> tuple:
    return np.shape(x)


def _two(rng=np.random.default_rng(0)):
    return [([rng.standard_normal((3, 4)), rng.standard_normal((3, 4))], {}),
            ([rng.standard_normal((2, 3, 4)), rng.standard_normal((1, 4))], {})]


def _positive_pair(rng=np.random.default_rng(1)):
    return [([rng.standard_normal((3, 4)), rng.uniform(0.5, 2.0, (3, 4))], {}),
            ([rng.standard_normal((2, 3)), rng.uniform(0.5, 2.0, (3,))], {})]


def _one(rng=np.random.default_rng(2)):
    return [([rng.standard_normal((3, 4))], {})]


def _positive(rng=np.random.default_rng(3)):
    return [([rng.uniform(0.5, 3.0, (3, 4))], {})]


@register_op(_two)
class Add(Op):
    """z = a + b;  da = dz,  db = dz (summed over broadcast axes)."""

    label = "add"

    def forward(self, a, b):
        self.a_shape, self.b_shape = _shape(a), _shape(b)
        return np.add(a, b)

    def backward(self, grad):
        return unbroadcast(grad, self.a_shape), unbroadcast(grad, self.b_shape)


@register_op(_two)
class Subtract(Op):
    """z = a - b;  da = dz,  db = -dz."""

    label = "subtract"

    def forward(self, a, b):
        self.a_shape, self.b_shape = _shape(a), _shape(b)
        return np.subtract(a, b)

    def backward(self, grad):
        return unbroadcast(grad, self.a_shape), unbroadcast(-grad, self.b_shape)


@register_op(_two)
class Multiply(Op):
    """z = a * b;  da = dz * b,  db = dz * a."""

    label = "multiply"

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.multiply(a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        da = unbroadcast(grad * self.b, _shape(self.a)) if need_a else None
        db = unbroadcast(grad * self.a, _shape(self.b)) if need_b else None
        return da, db


@register_op(_positive_pair)
class Divide(Op):
    """z = a / b;  da = dz / b,  db = -dz * a / b**2."""

    label = "divide"

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.divide(a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        da = unbroadcast(grad / self.b, _shape(self.a)) if need_a else None
        db = unbroadcast(-grad * self.a / (self.b * self.b), _shape(self.b)) if need_b else None
        return da, db


@register_op(_one)
class Negative(Op):
    """z = -x;  dx = -dz."""

    label = "negative"

    def forward(self, x):
        return np.negative(x)

    def backward(self, grad):
        return (-grad,)


@register_op(lambda: [([np.random.default_rng(4).uniform(0.5, 2.0, (3, 4))], {"exponent": 3.0}),
                      ([np.random.default_rng(5).uniform(0.5, 2.0, (3, 4))], {"exponent": 0.5})])
class Power(Op):
    """z = x ** p (constant p);  dx = dz * p * x ** (p - 1)."""

    label = "power"

    def __init__(self, exponent: float = 2.0):
        self.exponent = exponent

    def forward(self, x):
        self.x = x
        return np.power(x, self.exponent)

    def backward(self, grad):
        p = self.exponent
        return (grad * (p * np.power(self.x, p - 1)),)


@register_op(_one)
class Square(Op):
    """z = x**2;  dx = 2 x dz."""

    label = "square"

    def forward(self, x):
        self.x = x
        return np.square(x)

    def backward(self, grad):
        return (2 * self.x * grad,)


@register_op(_positive)
class Sqrt(Op):
    """z = sqrt(x);  dx = dz / (2 z)."""

    label = "sqrt"

    def forward(self, x):
        self.z = np.sqrt(x)
        return self.z

    def backward(self, grad):
        return (grad / (2 * self.z),)


@register_op(_one)
class Exp(Op):
    """z = exp(x);  dx = dz * z."""

    label = "exp"

    def forward(self, x):
        self.z = np.exp(x)
        return self.z

    def backward(self, grad):
        return (grad * self.z,)


@register_op(_positive)
class Log(Op):
    """z = log(x);  dx = dz / x."""

    label = "log"

    def forward(self, x):
        self.x = x
        return np.log(x)

    def backward(self, grad):
        return (grad / self.x,)


@register_op(lambda: [([np.array([[-2.0, -0.5, 0.7], [1.5, -3.0, 0.2]])], {})])
class Abs(Op):
    """z = |x|;  dx = dz * sign(x)."""

    label = "abs"

    def forward(self, x):
        self.x = x
        return np.abs(x)

    def backward(self, grad):
        return (grad * np.sign(self.x),)


def _separated_pair():
    a = np.array([[0.1, -1.0, 2.0], [0.5, 0.3, -0.7]])
    b = np.array([[0.4, -2.0, 1.0], [-0.5, 0.9, 0.2]])
    return [([a, b], {})]


@register_op(_separated_pair)
class Maximum(Op):
    """z = max(a, b);  the gradient goes to the larger input (to ``a`` on ties)."""

    label = "maximum"

    def forward(self, a, b):
        self.a, self.b = a, b
        self.a_wins = np.greater_equal(a, b)
        return np.maximum(a, b)

    def backward(self, grad):
        da = unbroadcast(np.where(self.a_wins, grad, 0), _shape(self.a))
        db = unbroadcast(np.where(self.a_wins, 0, grad), _shape(self.b))
        return da, db


@register_op(_separated_pair)
class Minimum(Op):
    """z = min(a, b);  the gradient goes to the smaller input (to ``a`` on ties)."""

    label = "minimum"

    def forward(self, a, b):
        self.a, self.b = a, b
        self.a_wins = np.less_equal(a, b)
        return np.minimum(a, b)

    def backward(self, grad):
        da = unbroadcast(np.where(self.a_wins, grad, 0), _shape(self.a))
        db = unbroadcast(np.where(self.a_wins, 0, grad), _shape(self.b))
        return da, db


@register_op(lambda: [([np.array([[-2.0, -0.5, 0.7], [1.5, -3.0, 0.2]])],
                       {"low": -1.0, "high": 1.0})])
class Clip(Op):
    """z = clip(x, low, high);  dx = dz where low < x < high, else 0 (as Keras)."""

    label = "clip"

    def __init__(self, low: float, high: float):
        self.low, self.high = low, high

    def forward(self, x):
        self.inside = (x > self.low) & (x < self.high)
        return np.clip(x, self.low, self.high)

    def backward(self, grad):
        return (grad * self.inside,)


def add(a, b):
    return Add()(a, b)


def subtract(a, b):
    return Subtract()(a, b)


def multiply(a, b):
    return Multiply()(a, b)


def divide(a, b):
    return Divide()(a, b)


def negative(x):
    return Negative()(x)


def power(x, exponent):
    return Power(float(exponent))(x)


def square(x):
    return Square()(x)


def sqrt(x):
    return Sqrt()(x)


def exp(x):
    return Exp()(x)


def log(x):
    return Log()(x)


def abs(x):  # noqa: A001 - mirrors keras.ops.abs
    return Abs()(x)


def maximum(a, b):
    return Maximum()(a, b)


def minimum(a, b):
    return Minimum()(a, b)


def clip(x, low, high):
    return Clip(low, high)(x)
