"""NeuralNetwork (2-3-1, sigmoid, MSE): same numbers as glassnet's engine; learns XOR."""

import numpy as np
import pytest

import glassnet as gn
from tests.scratch.float64 import float64_throughout
from glassnet.inspect import trace
from glassnet.scratch import NeuralNetwork

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
Y = np.array([[0], [1], [1], [0]], dtype=np.float64)


def _engine(net: NeuralNetwork):
    model = gn.Sequential([gn.layers.Input((2,), dtype="float64"),
                           gn.layers.Dense(3, activation="sigmoid", dtype="float64"),
                           gn.layers.Dense(1, activation="sigmoid", dtype="float64")])
    float64_throughout(model)
    model.compile(optimizer=gn.optimizers.SGD(net.learning_rate), loss="mse")
    model.set_weights([net.W1, net.b1, net.W2, net.b2])
    return model


def test_feed_forward_and_backward_match_the_engine():
    net = NeuralNetwork(seed=4, learning_rate=2.0)
    model = _engine(net)
    np.testing.assert_allclose(model.predict(X, verbose=0), net.feed_forward(X), rtol=0,
                               atol=1e-10)
    grads = net.backward(Y)
    t = trace(model, X, Y)
    assert t.loss == pytest.approx(net.loss(X, Y), rel=0, abs=1e-12)
    first, second = t
    np.testing.assert_allclose(first.pre_activation, net.z1, rtol=0, atol=1e-12)
    np.testing.assert_allclose(second.activation, net.a2, rtol=0, atol=1e-12)
    np.testing.assert_allclose(second.delta, grads["delta2"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(first.delta, grads["delta1"], rtol=0, atol=1e-12)
    for layer, (w, b) in zip(t, [("W1", "b1"), ("W2", "b2")]):
        np.testing.assert_allclose(layer.grad_kernel, grads[w], rtol=0, atol=1e-12)
        np.testing.assert_allclose(layer.grad_bias, grads[b], rtol=0, atol=1e-12)


def test_training_matches_the_engine_step_for_step_and_learns_xor():
    net = NeuralNetwork(seed=4, learning_rate=2.0)
    model = _engine(net)
    for _ in range(200):
        loss = net.train(X, Y, epochs=1)[0]
        logged = model.train_on_batch(X, Y)
        assert logged == pytest.approx(loss, rel=1e-6)  # the logged loss is a float32 metric
        for ours, theirs in zip(model.get_weights(), [net.W1, net.b1, net.W2, net.b2]):
            np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)
    net.train(X, Y, epochs=4800)
    np.testing.assert_array_equal(np.round(net.feed_forward(X)), Y)
