"""Bad input gets a clear error that names what was expected and what was received, and
leaves the weights as they were."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet import layers


def _model(compiled=True, loss="sparse_categorical_crossentropy"):
    model = glassnet.Sequential([layers.Dense(8, activation="relu", input_shape=(4,)),
                                 layers.Dense(3, activation="softmax")])
    if compiled:
        model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return model


def _data(n=20):
    rng = np.random.default_rng(0)
    return rng.random((n, 4)).astype(np.float32), rng.integers(0, 3, n)


def _assert_unchanged(model, before):
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_wrong_input_shape_names_layer_and_shapes():
    model = _model()
    x, y = _data()
    before = model.get_weights()
    with pytest.raises(ValueError) as info:
        model.fit(np.zeros((20, 5), np.float32), y, verbose=0)
    message = str(info.value)
    assert "dense" in message and "4" in message and "(20, 5)" in message or "5" in message
    _assert_unchanged(model, before)


def test_images_into_dense_suggest_flatten():
    model = glassnet.Sequential([layers.Dense(10, input_shape=(784,))])
    model.compile(loss="mse")
    with pytest.raises(ValueError, match="Flatten"):
        model.predict(np.zeros((2, 28, 28)), verbose=0)


def test_x_and_y_lengths_differ():
    model = _model()
    x, y = _data()
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"'x' sizes: 20.*'y' sizes: 19"):
        model.fit(x, y[:19], verbose=0)
    _assert_unchanged(model, before)


def test_sparse_labels_out_of_range():
    model = _model()
    x, y = _data()
    y = y.copy()
    y[3] = 7
    before = model.get_weights()
    with pytest.raises(ValueError) as info:
        model.fit(x, y, verbose=0)
    assert "7" in str(info.value) and "3" in str(info.value)
    _assert_unchanged(model, before)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_x(bad):
    model = _model()
    x, y = _data()
    x[5, 2] = bad
    before = model.get_weights()
    with pytest.raises(ValueError, match="NaN or inf.*index 5"):
        model.fit(x, y, verbose=0)
    _assert_unchanged(model, before)


def test_empty_arrays():
    model = _model()
    before = model.get_weights()
    with pytest.raises(ValueError, match="at least one sample"):
        model.fit(np.zeros((0, 4), np.float32), np.zeros((0,), np.int64), verbose=0)
    _assert_unchanged(model, before)


@pytest.mark.parametrize("kind,name,suggestion", [
    ("optimizer", "adma", "adam"),
    ("loss", "binary_crossentropi", "binary_crossentropy"),
    ("metric", "acuracy", "accuracy"),
])
def test_unknown_names_suggest_closest(kind, name, suggestion):
    model = _model(compiled=False)
    x, y = _data()
    kwargs = {"optimizer": "adam", "loss": "sparse_categorical_crossentropy",
              "metrics": ["accuracy"]}
    kwargs[{"metric": "metrics"}.get(kind, kind)] = [name] if kind == "metric" else name
    with pytest.raises(ValueError) as info:
        model.compile(**kwargs)
        model.fit(x, y, verbose=0)
    assert name in str(info.value) and suggestion in str(info.value)


def test_unknown_activation_suggests_closest():
    with pytest.raises(ValueError, match="relu"):
        layers.Dense(3, activation="rleu")


def test_fit_before_compile():
    model = _model(compiled=False)
    x, y = _data()
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(x, y, verbose=0)


def test_invalid_units_and_rate():
    with pytest.raises(ValueError, match="units"):
        layers.Dense(0)
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(1.5)


def test_unknown_keyword_argument_names_it():
    with pytest.raises(TypeError, match="activaton"):
        layers.Dense(3, activaton="relu")


def test_set_weights_wrong_shape_names_layer():
    model = _model()
    weights = model.get_weights()
    weights[0] = np.zeros((5, 8))
    with pytest.raises(ValueError, match=r"dense.*\(4, 8\).*\(5, 8\)"):
        model.layers[0].set_weights(weights[:2])
