"""Functional graphs against Keras 3: the same code builds both models, which get the same
weights; outputs, gradients w.r.t. inputs and weights (glassnet.GradientTape against torch
autograd through Keras), ``model.layers`` order and ``summary()`` text must agree."""

from __future__ import annotations

import numpy as np
import pytest

from tests.models.twins import assert_same_values_and_grads, build_pair, summary_text


def diamond(K, L):
    a = K.Input(shape=(4,), name="a")
    b = L.Dense(3, activation="tanh")(a)
    c = L.Dense(5, activation="relu")(a)
    d = L.Dense(3)(c)
    merged = L.concatenate([d, b])          # d's branch is deeper: Keras lists it first
    added = L.add([d, b])
    out = L.Dense(2, activation="softmax")(L.Concatenate()([merged, added]))
    return K.Model(a, out)


def shared_layers(K, L):
    left = K.Input(shape=(6,), name="left")
    right = K.Input(shape=(6,), name="right")
    encoder = L.Dense(4, activation="sigmoid", name="encoder")  # two calls, two nodes
    l_code, r_code = encoder(left), encoder(right)
    distance = L.subtract([l_code, r_code])
    product = L.multiply([l_code, r_code])
    summed = encoder(L.add([left, right]))                    # a third call
    both = L.Dense(3, name="head")(L.concatenate([distance, product, summed]))
    return K.Model([left, right], [both, l_code])


def list_inputs_outputs(K, L):
    title = K.Input(shape=(8,), name="title")
    text_body = K.Input(shape=(10,), name="text_body")
    tags = K.Input(shape=(3,), name="tags")
    features = L.Concatenate()([title, text_body, tags])
    features = L.Dense(16, activation="relu")(features)
    priority = L.Dense(1, activation="sigmoid", name="priority")(features)
    department = L.Dense(4, activation="softmax", name="department")(features)
    return K.Model(inputs=[title, text_body, tags], outputs=[priority, department])


def dict_inputs_outputs(K, L):
    inputs = {"x2": K.Input(shape=(3,), name="x2"), "x1": K.Input(shape=(5,), name="x1")}
    hidden = L.Dense(4, activation="elu")(inputs["x1"])
    joined = L.concatenate([hidden, inputs["x2"]])
    outputs = {"score": L.Dense(1, name="score_layer")(joined),
               "aux": L.Dense(2, activation="softmax", name="aux_layer")(hidden)}
    return K.Model(inputs, outputs)


def nested_models(K, L):
    x = K.Input(shape=(5,), name="inner_in")
    inner = K.Model(x, L.Dense(4, activation="relu", name="inner_dense")(x), name="inner")
    stack = K.Sequential([L.Dense(3, activation="tanh"), L.Dense(2)], name="stack")
    a = K.Input(shape=(5,), name="a")
    b = K.Input(shape=(5,), name="b")
    ha, hb = inner(a), inner(b)               # a nested model shared by two inputs
    out = stack(L.average([ha, hb]))
    return K.Model([a, b], [out, L.maximum([ha, hb])])


def merge_layers(K, L):
    p = K.Input(shape=(4, 3), name="p")
    q = K.Input(shape=(4, 3), name="q")
    v = K.Input(shape=(3,), name="v")
    dot_seq = L.Dot(axes=(1, 1))([p, q])                     # (None, 3, 3)
    cosine = L.Dot(axes=-1, normalize=True)([p, q])          # (None, 4, 4)
    vec = L.Dense(3)(v)
    broadcast = L.add([p, vec])                              # ranks 3 and 2
    low, high = L.minimum([p, q]), L.maximum([p, broadcast])
    joined = L.concatenate([dot_seq, low, high], axis=1)    # (None, 11, 3)
    flat = L.Flatten()(joined)
    scores = L.Dot(axes=1)([L.Dense(3)(flat), vec])          # (None, 1)
    return K.Model([p, q, v], [scores, L.Flatten()(cosine)])


def symbolic_arithmetic(K, L):
    x = K.Input(shape=(4,), name="x")
    y = K.Input(shape=(4,), name="y")
    h = L.Dense(4, activation="tanh")(x)
    z = (h + y) * 2.0 - y / (abs(h) + 1.0)
    z = -(z ** 2) + 0.5 * z[:, :4]
    return K.Model([x, y], L.Dense(2)(z @ np.eye(4, dtype="float32")))


CASES = {
    "diamond": (diamond, lambda r: r.normal(size=(6, 4))),
    "shared_layers": (shared_layers, lambda r: [r.normal(size=(5, 6)), r.normal(size=(5, 6))]),
    "list_inputs_outputs": (list_inputs_outputs, lambda r: [
        r.normal(size=(4, 8)), r.normal(size=(4, 10)), r.normal(size=(4, 3))]),
    "dict_inputs_outputs": (dict_inputs_outputs, lambda r: {
        "x1": r.normal(size=(3, 5)), "x2": r.normal(size=(3, 3))}),
    "nested_models": (nested_models, lambda r: [r.normal(size=(4, 5)), r.normal(size=(4, 5))]),
    "merge_layers": (merge_layers, lambda r: [
        r.normal(size=(3, 4, 3)), r.normal(size=(3, 4, 3)), r.normal(size=(3, 3))]),
    "symbolic_arithmetic": (symbolic_arithmetic, lambda r: [r.normal(size=(5, 4)),
                                                             r.normal(size=(5, 4))]),
}


def _inputs(make, seed=0):
    value = make(np.random.default_rng(seed))
    if isinstance(value, dict):
        return {k: v.astype(np.float32) for k, v in value.items()}
    if isinstance(value, list):
        return [v.astype(np.float32) for v in value]
    return value.astype(np.float32)


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_and_gradients_match_keras(keras, torch, case):
    build, make = CASES[case]
    ours, theirs = build_pair(keras, build)
    assert_same_values_and_grads(keras, torch, ours, theirs, _inputs(make))


@pytest.mark.parametrize("case", sorted(CASES))
def test_structure_and_summary_match_keras(keras, case):
    build, _ = CASES[case]
    ours, theirs = build_pair(keras, build)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    # Keras's Model(inputs, outputs) makes a `Functional` (via __new__); glassnet keeps the
    # class `Model` and only prints 'Functional' in summaries.
    renamed = {"Model": "Functional"}
    assert [renamed.get(type(layer).__name__, type(layer).__name__) for layer in ours.layers] \
        == [type(layer).__name__ for layer in theirs.layers]
    assert ours.output_names == theirs.output_names
    assert [t.shape for t in ours.inputs] == [tuple(t.shape) for t in theirs.inputs]
    assert [t.shape for t in ours.outputs] == [tuple(t.shape) for t in theirs.outputs]
    assert summary_text(ours) == summary_text(theirs)
    assert summary_text(ours, expand_nested=True, show_trainable=True) == \
        summary_text(theirs, expand_nested=True, show_trainable=True)


@pytest.mark.parametrize("case", ["diamond", "nested_models", "dict_inputs_outputs"])
def test_predict_matches_keras(keras, case):
    build, make = CASES[case]
    ours, theirs = build_pair(keras, build)
    inputs = _inputs(make, seed=3)
    got, want = ours.predict(inputs, verbose=0), theirs.predict(inputs, verbose=0)
    assert type(got) is type(want)
    if isinstance(want, dict):
        assert list(got) == list(want)
        got, want = [got[k] for k in want], list(want.values())
    for a, b in zip(got if isinstance(got, list) else [got],
                    want if isinstance(want, list) else [want]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
