"""Back-propagation through recorded graphs: shapes of graphs, reuse, freeing, no_grad."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import glassnet
from glassnet.core.op import GradMode
from glassnet.core.tensor import Tensor
from glassnet.ops.activations import Tanh


def test_diamond_graph_adds_both_paths():
    # x -> a = 3x, b = x**2 -> y = sum(a * b) = sum(3 x**3);  dy/dx = 9 x**2
    x = Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    a = x * 3.0
    b = x ** 2
    y = (a * b).sum()
    np.testing.assert_allclose(glassnet.grad(y, x), 9 * x.data**2, rtol=1e-12)


def test_diamond_gradient_matches_pytorch(torch):
    data = np.array([[0.3, -0.7], [1.1, 0.4]])
    x = Tensor(data, requires_grad=True)
    h = Tanh()(x)
    y = ((h * x) + (h @ x.T) - h / (x * x + 1.0)).mean(axis=(0, 1), keepdims=True)
    tx = torch.tensor(data, requires_grad=True)
    th = torch.tanh(tx)
    ty = ((th * tx) + (th @ tx.T) - th / (tx * tx + 1.0)).mean()
    (expected,) = torch.autograd.grad(ty, tx)
    np.testing.assert_allclose(y.data, [[ty.item()]], rtol=1e-12)
    np.testing.assert_allclose(glassnet.grad(y, x), expected.numpy(), rtol=1e-12)


class _RecursionLimit:
    """Keep Python's default limit while the block runs, so recursion deeper than it fails."""

    def __enter__(self):
        self.previous = sys.getrecursionlimit()
        sys.setrecursionlimit(1000)

    def __exit__(self, *exc):
        sys.setrecursionlimit(self.previous)


def test_chain_of_2000_ops_needs_no_recursion():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x
    for _ in range(1000):
        y = y * 1.001
        y = y + 0.5
    with _RecursionLimit():
        dx = glassnet.grad(y, x)  # seeded with ones: the gradient of y.sum()
    np.testing.assert_allclose(dx, np.full(2, 1.001**1000), rtol=1e-10)


def test_tensor_backward_on_a_chain_of_2000_ops_needs_no_recursion():
    w = glassnet.Variable(np.array([0.25]), dtype=np.float64)
    y = w
    for _ in range(2000):
        y = -y
    with _RecursionLimit():
        y.sum().backward()
    np.testing.assert_array_equal(w.grad, [1.0])


def _tangled_gradients(seed: int) -> list:
    rng = np.random.default_rng(seed)
    w1 = Tensor(rng.standard_normal((5, 4)), requires_grad=True)
    w2 = Tensor(rng.standard_normal((4, 3)), requires_grad=True)
    x = Tensor(rng.standard_normal((6, 5)))
    h = Tanh()(x @ w1)
    parts = [(h @ w2) * k for k in (0.1, 0.7, 1.3)] + [h.sum(axis=1, keepdims=True) * w2[0]]
    total = parts[0]
    for part in parts[1:]:
        total = total + part * total
    return glassnet.grad(total.mean(), [w1, w2])


def test_same_graph_gives_bit_identical_gradients_twice():
    first, second = _tangled_gradients(3), _tangled_gradients(3)
    for a, b in zip(first, second):
        assert a.tobytes() == b.tobytes()


def test_retain_graph_allows_a_second_pass():
    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    y = (x * x * x).sum()
    first = glassnet.grad(y, x, retain_graph=True)
    second = glassnet.grad(y, x, retain_graph=True)
    third = glassnet.grad(y, x)
    np.testing.assert_array_equal(first, 3 * x.data**2)
    np.testing.assert_array_equal(second, first)
    np.testing.assert_array_equal(third, first)


def test_second_pass_over_a_freed_graph_says_what_to_do():
    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    y = (x * x).sum()
    glassnet.grad(y, x)
    assert y.op_label == "freed"
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        glassnet.grad(y, x)
    with pytest.raises(RuntimeError, match="already back-propagated"):
        y.backward()


def test_freed_graph_releases_intermediates():
    x = Tensor(np.ones(3), requires_grad=True)
    h = x * 2.0
    y = h.sum()
    y.backward()
    assert h.node.op is None and h.node.inputs == ()


def test_no_grad_records_nothing_and_restores_the_mode():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with glassnet.no_grad():
        y = (x * 3.0).sum()
        nested = x * x
        with glassnet.no_grad():
            pass
        after_inner = x * x
    assert y.node is None and not y.requires_grad
    assert nested.node is None and after_inner.node is None
    assert GradMode.enabled and (x * x).node is not None
    with pytest.raises(KeyError):
        with glassnet.no_grad():
            raise KeyError("inside")
    assert GradMode.enabled


def test_gradients_with_respect_to_intermediate_tensors():
    x = Tensor(np.array([1.0, -3.0]), requires_grad=True)
    h = x * 2.0
    y = (h * h).sum()
    dh, dx, dy = glassnet.grad(y, [h, x, y], retain_graph=True)
    np.testing.assert_array_equal(dh, 2 * h.data)
    np.testing.assert_array_equal(dx, 8 * x.data)
    np.testing.assert_array_equal(dy, 1.0)
    unrelated = x * 5.0
    np.testing.assert_array_equal(glassnet.grad(y, unrelated), np.zeros(2))


def test_unconnected_and_constant_sources_get_zero_gradients():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    z = Tensor(np.array([3.0, 4.0, 5.0]), requires_grad=True)
    c = Tensor(np.array([1.0, 1.0]))
    dz, dc = glassnet.grad((x * c).sum(), [z, c])
    np.testing.assert_array_equal(dz, np.zeros(3))
    np.testing.assert_array_equal(dc, np.zeros(2))


def test_tensor_used_twice_accumulates():
    x = Tensor(np.array([0.5, 2.0]), requires_grad=True)
    np.testing.assert_array_equal(glassnet.grad((x * x).sum(), x), 2 * x.data)
    np.testing.assert_array_equal(glassnet.grad((x + x + x).sum(), x), [3.0, 3.0])
    h = x * 2.0
    np.testing.assert_array_equal(glassnet.grad((h * h + h).sum(), x), 8 * x.data + 2)


def test_backward_adds_into_existing_grad():
    w = glassnet.Variable(np.array([1.0, 2.0]), dtype=np.float64)
    (w * 3.0).sum().backward()
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad, 3.0 + 2 * w.data)


def test_seed_gradient_is_used():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    y = x * x
    np.testing.assert_array_equal(glassnet.grad(y, x, grad_output=np.array([1.0, 0.0, -2.0])),
                                  [2.0, 0.0, -12.0])
    y = x * 3.0
    y.backward(np.array([1.0, 10.0, 100.0]))
    np.testing.assert_array_equal(x.grad, [3.0, 30.0, 300.0])


@pytest.mark.parametrize("a_shape, b_shape", [
    ((2, 3, 4), (4,)), ((2, 3, 4), (1, 4)), ((2, 3, 4), (3, 1)), ((2, 1, 4), (1, 3, 1)),
    ((2, 3), ()),
    ((1,), (3, 2, 1)),
])
def test_broadcast_gradients_are_summed_back_to_each_shape(a_shape, b_shape, torch):
    rng = np.random.default_rng(sum(a_shape) + 7 * len(b_shape))
    a_data, b_data = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    a, b = Tensor(a_data, requires_grad=True), Tensor(b_data, requires_grad=True)
    y = a * b + a - b / (b * b + 1.0)  # seeded with ones: the gradient of y.sum()
    ta = torch.tensor(a_data, requires_grad=True)
    tb = torch.tensor(b_data, requires_grad=True)
    expected = torch.autograd.grad((ta * tb + ta - tb / (tb * tb + 1.0)).sum(), [ta, tb])
    for got, want, shape in zip(glassnet.grad(y, [a, b]), expected, (a_shape, b_shape)):
        assert got.shape == shape
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-12, atol=1e-14)


def test_python_scalar_operands_broadcast_without_gradient():
    x = Tensor(np.array([[1.0, 2.0]]), requires_grad=True)
    y = ((2.0 - x) * 4.0 / 2.0 + 1.0).sum()
    np.testing.assert_array_equal(glassnet.grad(y, x), [[-2.0, -2.0]])


def test_returned_gradients_are_separate_writable_arrays():
    a = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    b = Tensor(np.array([4.0, 5.0, 6.0]), requires_grad=True)
    seed = np.ones(3)
    da, db = glassnet.grad(a + b, [a, b], grad_output=seed)
    assert not np.shares_memory(da, db) and not np.shares_memory(da, seed)
    dx = glassnet.grad((a * 2.0).sum(), a)
    assert dx.flags.writeable
    dx *= 0.5  # in-place clipping or scaling of a gradient, as an optimizer may do
