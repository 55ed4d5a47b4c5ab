"""GradientTape, the Keras/TensorFlow-style interface over the same back-propagation."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.core.tensor import Tensor
from glassnet.core.variable import Variable

X = np.array([1.0, -2.0, 0.5])


def test_watch_makes_a_constant_differentiable():
    x = Tensor(X)
    with glassnet.GradientTape() as tape:
        tape.watch(x)
        y = x * x * x
    dx = tape.gradient(y, x)
    assert isinstance(dx, Tensor)
    np.testing.assert_array_equal(dx.data, 3 * X**2)


def test_watch_accepts_a_list():
    a, b = Tensor(X), Tensor(2 * X)
    with glassnet.GradientTape() as tape:
        tape.watch([a, b])
        y = a * b
    da, db = tape.gradient(y, [a, b])
    np.testing.assert_array_equal(da.data, 2 * X)
    np.testing.assert_array_equal(db.data, X)


def test_variables_are_watched_without_asking():
    w = Variable(X, dtype=np.float64)
    with glassnet.GradientTape() as tape:
        loss = (w * w).sum()
    (dw,) = tape.gradient(loss, [w])
    np.testing.assert_array_equal(dw.data, 2 * X)


def test_a_second_gradient_call_needs_a_persistent_tape():
    w = Variable(X, dtype=np.float64)
    with glassnet.GradientTape() as tape:
        loss = (w * w).sum()
    tape.gradient(loss, [w])
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.gradient(loss, [w])


def test_persistent_tape_gives_several_gradients():
    w = Variable(X, dtype=np.float64)
    with glassnet.GradientTape(persistent=True) as tape:
        h = w * 3.0
        first = (h * h).sum()
        second = (h * w).sum()
    a = tape.gradient(first, w)
    b = tape.gradient(first, w)
    c = tape.gradient(second, w)
    np.testing.assert_array_equal(a.data, 18 * X)
    np.testing.assert_array_equal(b.data, a.data)
    np.testing.assert_array_equal(c.data, 6 * X)


def test_output_gradients_seed_the_pass():
    w = Variable(X, dtype=np.float64)
    with glassnet.GradientTape() as tape:
        y = w * 2.0
    dw = tape.gradient(y, w, output_gradients=np.array([1.0, 0.0, 10.0]))
    np.testing.assert_array_equal(dw.data, [2.0, 0.0, 20.0])
