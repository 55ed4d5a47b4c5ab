"""Ops with several outputs: each output's gradient reaches the op, missing ones arrive as None."""

from __future__ import annotations

import numpy as np

import glassnet
from glassnet.core.gradcheck import check_op
from glassnet.core.op import Op
from glassnet.core.tensor import Tensor

X = np.array([[0.3, -1.2, 2.0], [0.7, 0.1, -0.4]])


class SinCos(Op):
    """(sin x, cos x);  dx = ds cos x - dc sin x.  Records which output gradients arrived."""

    label = "sin_cos"

    def forward(self, x):
        self.x = x
        return np.sin(x), np.cos(x)

    def backward(self, grads):
        self.received = [g is not None for g in grads]
        d_sin, d_cos = grads
        dx = np.zeros_like(self.x)
        if d_sin is not None:
            dx = dx + d_sin * np.cos(self.x)
        if d_cos is not None:
            dx = dx - d_cos * np.sin(self.x)
        return (dx,)


def test_outputs_are_tensors_of_one_node():
    x = Tensor(X, requires_grad=True)
    s, c = SinCos()(x)
    assert s.node is c.node and (s.index, c.index) == (0, 1)
    assert s.op_label == "sin_cos" and s.requires_grad and c.requires_grad
    np.testing.assert_array_equal(s.data, np.sin(X))
    np.testing.assert_array_equal(c.data, np.cos(X))


def test_gradients_of_both_outputs_are_combined():
    x = Tensor(X, requires_grad=True)
    op = SinCos()
    s, c = op(x)
    loss = s * c * 2.0  # sin 2x, so d/dx = 2 cos 2x
    np.testing.assert_allclose(glassnet.grad(loss, x), 2 * np.cos(2 * X), rtol=1e-12)
    assert op.received == [True, True]


def test_an_unused_output_arrives_as_none():
    x = Tensor(X, requires_grad=True)
    op = SinCos()
    _, c = op(x)
    np.testing.assert_allclose(glassnet.grad(c * 3.0, x), -3 * np.sin(X), rtol=1e-12)
    assert op.received == [False, True]


def test_gradient_with_respect_to_one_output():
    x = Tensor(X, requires_grad=True)
    s, c = SinCos()(x)
    loss = s * s + c
    ds, dc, dx = glassnet.grad(loss, [s, c, x])
    np.testing.assert_allclose(ds, 2 * np.sin(X), rtol=1e-12)
    np.testing.assert_array_equal(dc, np.ones_like(X))
    np.testing.assert_allclose(dx, 2 * np.sin(X) * np.cos(X) - np.sin(X), rtol=1e-12)


def test_several_outputs_as_the_loss():
    x = Tensor(X, requires_grad=True)
    s, c = SinCos()(x)
    ds_seed, dc_seed = np.full_like(X, 0.5), np.full_like(X, -2.0)
    dx = glassnet.grad([s, c], x, grad_output=[ds_seed, dc_seed])
    np.testing.assert_allclose(dx, 0.5 * np.cos(X) + 2.0 * np.sin(X), rtol=1e-12)


def test_gradcheck_projects_every_output():
    assert check_op(SinCos, [X.copy()]).max_error < 1e-8

    class CosineWrong(SinCos):
        def backward(self, grads):
            d_sin, d_cos = grads
            return (d_sin * np.cos(self.x) + d_cos * np.sin(self.x),)  # sign of d cos is wrong

    assert check_op(CosineWrong, [X.copy()]).max_error > 1e-2
