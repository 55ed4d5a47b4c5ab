"""Training functional models with several inputs and outputs, against Keras 3: losses,
loss weights and metrics per output (lists and dicts), the log keys of fit / evaluate /
train_on_batch and their values, for the same models with the same weights."""

from __future__ import annotations

import numpy as np
import pytest

from tests.models.twins import build_pair


def two_heads_list(K, L):
    x = K.Input(shape=(6,), name="x")
    aux = K.Input(shape=(2,), name="aux")
    h = L.Dense(8, activation="relu")(L.concatenate([x, aux]))
    cls = L.Dense(3, activation="softmax", name="cls")(h)
    reg = L.Dense(1, name="reg")(h)
    return K.Model([x, aux], [cls, reg])


def two_heads_dict(K, L):
    x = K.Input(shape=(6,), name="x")
    h = L.Dense(8, activation="tanh")(x)
    return K.Model(x, {"kind": L.Dense(3, activation="softmax", name="cls")(h),
                       "size": L.Dense(1, name="reg")(h)})


def _data(seed=0, n=24):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype(np.float32)
    aux = rng.normal(size=(n, 2)).astype(np.float32)
    labels = rng.integers(0, 3, size=n)
    sizes = rng.normal(size=(n, 1)).astype(np.float32)
    return x, aux, labels, sizes


COMPILES = {
    "list": (two_heads_list, dict(
        loss=["sparse_categorical_crossentropy", "mse"], loss_weights=[1.0, 0.5],
        metrics=[["accuracy"], ["mae", "mse"]])),
    "list_by_name": (two_heads_list, dict(
        loss={"cls": "sparse_categorical_crossentropy", "reg": "mae"},
        metrics={"cls": "accuracy", "reg": ["mse"]}, loss_weights={"cls": 0.3, "reg": 2.0})),
    "dict_outputs": (two_heads_dict, dict(
        loss={"kind": "sparse_categorical_crossentropy", "size": "mse"},
        metrics={"kind": ["accuracy"], "size": ["mae"]}, loss_weights={"kind": 1.0,
                                                                       "size": 0.25})),
    "one_loss_for_all": (two_heads_list, dict(loss="mse", metrics=[["mae"], ["mae"]])),
}


def _targets(case, labels, sizes):
    if case == "dict_outputs":
        return {"kind": labels, "size": sizes}
    if case == "one_loss_for_all":
        return [np.eye(3, dtype=np.float32)[labels], sizes]
    if case == "list_by_name":
        return {"cls": labels, "reg": sizes}
    return [labels, sizes]


def _inputs(case, x, aux):
    return x if case == "dict_outputs" else [x, aux]


def _close(ours: dict, theirs: dict, tol=1e-5):
    assert list(ours) == list(theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=tol, atol=tol, err_msg=key)


@pytest.mark.parametrize("case", sorted(COMPILES))
def test_fit_evaluate_logs_match_keras(keras, case):
    build, settings = COMPILES[case]
    ours, theirs = build_pair(keras, build)
    x, aux, labels, sizes = _data()
    for model in (ours, theirs):
        model.compile(optimizer="sgd", **settings)
    inputs, targets = _inputs(case, x, aux), _targets(case, labels, sizes)
    got = ours.fit(inputs, targets, batch_size=8, epochs=2, shuffle=False, verbose=0,
                   validation_data=(inputs, targets))
    want = theirs.fit(inputs, targets, batch_size=8, epochs=2, shuffle=False, verbose=0,
                      validation_data=(inputs, targets))
    _close(got.history, want.history)
    _close(ours.evaluate(inputs, targets, verbose=0, return_dict=True),
           theirs.evaluate(inputs, targets, verbose=0, return_dict=True))
    np.testing.assert_allclose(ours.evaluate(inputs, targets, verbose=0),
                               theirs.evaluate(inputs, targets, verbose=0), rtol=1e-5)
    np.testing.assert_allclose(ours.train_on_batch(inputs, targets),
                               theirs.train_on_batch(inputs, targets), rtol=1e-5)
    for mine, reference in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-6)


def test_inputs_by_name_and_predict_structures(keras):
    ours, theirs = build_pair(keras, two_heads_list)
    x, aux, _, _ = _data(1)
    by_name = {"x": x, "aux": aux}
    for a, b in zip(ours.predict(by_name, verbose=0), theirs.predict(by_name, verbose=0)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    single = ours.predict_on_batch([x, aux])
    assert isinstance(single, list) and [s.shape for s in single] == [(24, 3), (24, 1)]
