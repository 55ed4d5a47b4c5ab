"""explain_step(): the numbers it prints are those of a hand computation of the step."""

import re

import numpy as np
import pytest

import glassnet as gn
from glassnet.inspect import explain_step

X = np.array([[0.05, 0.10], [0.60, 0.20], [0.90, 0.70]])
Y = np.array([[0.01], [0.99], [0.50]])
W1 = np.array([[0.15, 0.25, -0.30], [0.20, -0.30, 0.45]])
B1 = np.array([0.35, 0.10, -0.05])
W2 = np.array([[0.40], [-0.45], [0.50]])
B2 = np.array([0.60])
LR = 0.5
NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?"


def _network():
    model = gn.Sequential([gn.layers.Input((2,)), gn.layers.Dense(3, activation="sigmoid"),
                           gn.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=gn.optimizers.SGD(learning_rate=LR), loss="mse")
    model.set_weights([W1, B1, W2, B2])
    return model


def _by_hand():
    """One step of the 2-3-1 sigmoid network with MSE and SGD, in float64."""
    sig = lambda v: 1 / (1 + np.exp(-v))
    z1 = X @ W1 + B1
    a1 = sig(z1)
    z2 = a1 @ W2 + B2
    a2 = sig(z2)
    n, k = Y.shape
    loss = np.mean((a2 - Y) ** 2)
    d_out = 2 * (a2 - Y) / (n * k)
    delta2 = d_out * a2 * (1 - a2)
    d_a1 = delta2 @ W2.T
    delta1 = d_a1 * a1 * (1 - a1)
    grads = {"W2": a1.T @ delta2, "b2": delta2.sum(0), "W1": X.T @ delta1, "b1": delta1.sum(0)}
    return {"Z1": z1, "A1": a1, "Z2": z2, "A2": a2, "loss": loss, "∂L/∂ŷ": d_out,
            "δ2": delta2, "∂L/∂A1": d_a1, "δ1": delta1, "∂L/∂W2": grads["W2"],
            "∂L/∂b2": grads["b2"], "∂L/∂W1": grads["W1"], "∂L/∂b1": grads["b1"],
            "new_W1": W1 - LR * grads["W1"], "new_b1": B1 - LR * grads["b1"],
            "new_W2": W2 - LR * grads["W2"], "new_b2": B2 - LR * grads["b2"]}


def _printed(text: str, label: str) -> np.ndarray:
    """The numbers on the first line that reads '<label> = [...]'."""
    for line in text.splitlines():
        if line.strip().startswith(f"{label} = "):
            return np.array([float(v) for v in re.findall(NUMBER, line.split(" = ", 1)[1])])
    raise AssertionError(f"no line for {label!r} in:\n{text}")


def _agree(printed, expected):
    # 4 significant digits: within half a unit of the 4th digit
    np.testing.assert_allclose(printed, np.ravel(expected), rtol=6e-4, atol=1e-9)


def test_printed_numbers_are_the_hand_computation():
    model = _network()
    hand = _by_hand()
    explanation = explain_step(model, X, Y)
    text = str(explanation)
    for label in ("Z1", "A1", "Z2", "A2", "∂L/∂ŷ", "δ2", "∂L/∂A1", "δ1", "∂L/∂W2", "∂L/∂b2",
                  "∂L/∂W1", "∂L/∂b1"):
        _agree(_printed(text, label), hand[label])
    _agree(_printed(text, "L"), hand["loss"])
    # the formula beside the numbers
    assert "Z1 = X·W1 + b1" in text and "δ1 = (δ2·W2ᵀ) ⊙ f′(Z1)" in text
    assert "∂L/∂ŷ = 2·(ŷ − y) / (N·k)" in text and "w ← w − η·∂L/∂w" in text
    # the weighted sum written out for sample 1, unit 1: 0.05×0.15 + 0.1×0.2 + 0.35 = 0.3775
    assert "z = 0.05×0.15 + 0.1×0.2 + 0.35 = 0.3775" in text
    # each weight: gradient as a sum over the samples, its update and its new value
    for l, (w_name, delta) in enumerate([("W1", "δ1"), ("W2", "δ2")], start=1):
        inputs = X if l == 1 else hand["A1"]
        grad = hand[f"∂L/∂{w_name}"]
        for i in range(grad.shape[0]):
            for j in range(grad.shape[1]):
                line = next(s for s in text.splitlines() if s.strip().startswith(
                    f"{w_name}[{i + 1},{j + 1}] (input {i + 1} → unit {j + 1})"))
                numbers = [float(v) for v in re.findall(NUMBER, line.split(": ", 1)[1])]
                terms = numbers[:2 * len(X)]
                _agree(terms[0::2], inputs[:, i])
                _agree(terms[1::2], hand[delta][:, j])
                g, update, old, new = numbers[2 * len(X)], numbers[-3], numbers[-2], numbers[-1]
                _agree([g, old, new], [grad[i, j], [W1, W2][l - 1][i, j],
                                       hand[f"new_{w_name}"][i, j]])
                _agree([update], [-LR * grad[i, j]])
    _agree(_printed(text.split("New weights      W2")[1], "W2"), hand["new_W2"])
    _agree(_printed(text.split("New biases       b1")[1], "b1"), hand["new_b1"])
    # the values behind the text, at float32 precision
    values = explanation.values
    for key, label in [("Z1", "Z1"), ("delta1", "δ1"), ("grad_W1", "∂L/∂W1"),
                       ("new_W2", "new_W2"), ("new_b2", "new_b2")]:
        np.testing.assert_allclose(values[key], hand[label], rtol=1e-5, atol=1e-7)
    assert values["loss"] == pytest.approx(hand["loss"], rel=1e-6)


def test_the_model_changes_only_with_step_true():
    model = _network()
    explain_step(model, X, Y)
    for actual, original in zip(model.get_weights(), [W1, B1, W2, B2]):
        np.testing.assert_allclose(actual, original, rtol=0, atol=1e-7)
    assert "The model was not changed" in str(explain_step(model, X, Y))
    explanation = explain_step(model, X, Y, step=True)
    np.testing.assert_allclose(model.get_weights()[0], _by_hand()["new_W1"], rtol=1e-5)
    assert "The update was applied" in str(explanation)


def test_korean_text_has_the_same_numbers():
    model = _network()
    english, korean = str(explain_step(model, X, Y)), str(explain_step(model, X, Y, "ko"))
    assert "순전파" in korean and "역전파" in korean and "은닉층 델타" in korean
    assert "Forward pass" not in korean
    for label in ("Z1", "δ1", "∂L/∂W1"):
        np.testing.assert_array_equal(_printed(english, label), _printed(korean, label))
    with pytest.raises(ValueError, match="Available: \\['en', 'ko'\\]"):
        explain_step(model, X, Y, language="fr")


def test_softmax_cross_entropy_output_delta():
    model = gn.Sequential([gn.layers.Input((2,)), gn.layers.Dense(3, activation="tanh"),
                           gn.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=gn.optimizers.SGD(0.1), loss="categorical_crossentropy")
    w = [np.linspace(-1, 1, 6).reshape(2, 3), np.zeros(3), np.linspace(1, -1, 9).reshape(3, 3),
         np.array([0.1, 0.0, -0.1])]
    model.set_weights(w)
    t = np.eye(3)[[0, 2, 1]]
    text = str(explain_step(model, X, t))
    a1 = np.tanh(X @ w[0] + w[1])
    z2 = a1 @ w[2] + w[3]
    p = np.exp(z2) / np.exp(z2).sum(1, keepdims=True)
    delta2 = (p - t) / 3
    delta1 = (delta2 @ w[2].T) * (1 - a1 ** 2)
    assert "δ2 = (ŷ − y) / N, with y one-hot" in text
    _agree(_printed(text, "δ2"), delta2)
    _agree(_printed(text, "f′(Z1)"), 1 - a1 ** 2)
    _agree(_printed(text, "δ1"), delta1)
    _agree(_printed(text, "L"), -np.mean(np.sum(t * np.log(p), axis=1)))


def test_other_networks_are_refused_with_a_pointer_to_trace():
    model = gn.Sequential([gn.layers.Input((2,)), gn.layers.Dense(3), gn.layers.Dropout(0.5),
                           gn.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="layer 'dropout' \\(Dropout.*glassnet.inspect.trace"):
        explain_step(model, X, Y)
