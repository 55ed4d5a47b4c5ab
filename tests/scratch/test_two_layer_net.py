"""TwoLayerNet: backprop equals numerical gradients, equals glassnet's engine, learns MNIST."""

import numpy as np
import pytest

import glassnet as gn
from tests.scratch.float64 import float64_throughout
from glassnet.datasets import mnist
from glassnet.inspect import trace
from glassnet.scratch import TwoLayerNet, numerical_gradient, one_hot, train


@pytest.fixture(scope="module")
def digits():
    (x_train, y_train), (x_test, y_test) = mnist.load_data(source="bundled")
    return (x_train.reshape(-1, 784) / 255.0, y_train), (x_test.reshape(-1, 784) / 255.0, y_test)


def _engine(net: TwoLayerNet, learning_rate: float):
    """The same network in glassnet, computing in float64 with the same weights."""
    p = net.params
    model = gn.Sequential([
        gn.layers.Input((p["W1"].shape[0],), dtype="float64"),
        gn.layers.Dense(p["W1"].shape[1], activation="sigmoid", dtype="float64"),
        gn.layers.Dense(p["W2"].shape[1], activation="softmax", dtype="float64")])
    float64_throughout(model)
    model.compile(optimizer=gn.optimizers.SGD(learning_rate), loss="categorical_crossentropy")
    model.set_weights([p["W1"], p["b1"], p["W2"], p["b2"]])
    assert all(w.dtype == np.float64 for w in model.get_weights())
    return model


def test_backprop_matches_numerical_gradient():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(6, 5, 3, weight_init_std=0.5, seed=1)
    x, t = rng.standard_normal((4, 6)), rng.integers(0, 3, 4)
    numeric, analytic = net.numerical_gradient(x, t), net.gradient(x, t)
    for name in net.params:
        np.testing.assert_allclose(analytic[name], numeric[name], rtol=1e-6, atol=1e-9)
    assert numerical_gradient(lambda w: np.sum(w ** 3), np.array([1.0, -2.0])) == \
        pytest.approx([3.0, 12.0], rel=1e-7)


def test_same_numbers_as_the_engine_in_float64(digits):
    (x_train, y_train), _ = digits
    x, t = x_train[:64], one_hot(y_train[:64], 10)
    net = TwoLayerNet(784, 30, 10, weight_init_std=0.1, seed=3)
    model = _engine(net, learning_rate=0.5)  # 0.5 is exact in the float32 learning-rate variable
    np.testing.assert_allclose(model.predict(x, verbose=0), net.predict(x), rtol=0, atol=1e-10)
    record = trace(model, x, t)
    assert record.loss == pytest.approx(net.loss(x, t), rel=0, abs=1e-10)
    grads = net.gradient(x, t)
    for layer, (w, b) in zip(record, [("W1", "b1"), ("W2", "b2")]):
        np.testing.assert_allclose(layer.grad_kernel, grads[w], rtol=0, atol=1e-10)
        np.testing.assert_allclose(layer.grad_bias, grads[b], rtol=0, atol=1e-10)
    for step in range(3):
        batch = slice(16 * step, 16 * step + 16)
        model.train_on_batch(x[batch], t[batch])
        grads = net.gradient(x[batch], t[batch])
        for name in net.params:
            net.params[name] -= 0.5 * grads[name]
    for ours, theirs in zip(model.get_weights(), [net.params[k] for k in ("W1", "b1", "W2", "b2")]):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)


def test_learns_the_bundled_mnist_subset(digits):
    (x_train, y_train), (x_test, y_test) = digits
    net = TwoLayerNet(784, 50, 10, seed=0)
    history = train(net, x_train, y_train, x_test, y_test, iterations=600, batch_size=100,
                    learning_rate=1.0)
    assert len(history["train_loss"]) == 600 and len(history["test_acc"]) == 10
    assert history["train_loss"][-1] < history["train_loss"][0] / 4
    assert net.accuracy(x_test, y_test) >= 0.9  # measured 0.92
