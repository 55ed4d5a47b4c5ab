"""The functional API's surface against Keras 3: input / output structures, names,
``get_layer``, ``layer.input`` / ``layer.output``, models from intermediate tensors,
inputs given by name, rank adjustment and the errors for bad inputs."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from tests.models.twins import build_pair, glassnet_layers, summary_text


def _names(structure):
    if isinstance(structure, dict):
        return {k: v.name for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [t.name for t in structure]
    return structure.name


def two_outputs_in_a_list(K, L):
    x = K.Input(shape=(3,), name="x")
    return K.Model([x], [L.Dense(2, name="only")(x)])


def test_structures_and_singletons_match_keras(keras):
    ours, theirs = build_pair(keras, two_outputs_in_a_list)
    assert _names(ours.input) == _names(theirs.input) == ["x"]
    assert isinstance(ours.output, list) and len(ours.output) == 1
    x = np.ones((4, 3), np.float32)
    # Model(x, [y]) still returns the array itself, not a one-element list (as Keras).
    got, want = ours.predict(x, verbose=0), theirs.predict(x, verbose=0)
    assert isinstance(got, np.ndarray) and got.shape == want.shape == (4, 2)
    assert ours.input_shape == theirs.input_shape == (None, 3)
    assert ours.output_shape == tuple(theirs.output_shape)


def test_automatic_model_names_count_like_keras(keras):
    def build(K, L):
        K.Sequential([K.Input(shape=(3,)), L.Dense(2), L.Dense(1)])   # builds once
        added = K.Sequential()
        for layer in (K.Input(shape=(3,)), L.Dense(2), L.Dense(1)):
            added.add(layer)                                           # builds twice
        x = K.Input(shape=(3,))
        return K.Model(x, L.Dense(1)(x))

    ours, theirs = build_pair(keras, build)
    assert ours.name == theirs.name == "functional_3"


def test_get_layer_and_layer_io_match_keras(keras):
    def build(K, L):
        a = K.Input(shape=(4,), name="a")
        shared = L.Dense(3, name="shared")
        return K.Model(a, L.add([shared(a), shared(L.Dense(4, name="pre")(a))]))

    ours, theirs = build_pair(keras, build)
    for model in (ours, theirs):
        assert model.get_layer("shared") is model.layers[-2] or \
            model.get_layer("shared").name == "shared"
        assert model.get_layer(index=0).name == "a"
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    shared, kshared = ours.get_layer("shared"), theirs.get_layer("shared")
    assert len(shared._inbound_nodes) == len(kshared._inbound_nodes) == 2
    assert shared.input.shape == tuple(kshared.input.shape)     # the first call's
    assert shared.output.shape == tuple(kshared.output.shape)
    for call in (lambda m: m.get_layer("nope"), lambda m: m.get_layer(index=9),
                 lambda m: m.get_layer()):
        with pytest.raises(ValueError) as ours_error:
            call(ours)
        with pytest.raises(ValueError) as keras_error:
            call(theirs)
        assert str(ours_error.value) == str(keras_error.value)


def test_model_from_intermediate_tensors_matches_keras(keras):
    def build(K, L):
        x = K.Input(shape=(4,), name="x")
        hidden = L.Dense(3, name="hidden")(x)
        out = L.Dense(2, name="out")(L.Dense(5, name="middle")(hidden))
        full = K.Model(x, out)
        return K.Model(hidden, out), full

    glassnet.backend.clear_session()
    ours, ours_full = build(glassnet, glassnet_layers())
    keras.backend.clear_session()
    theirs, theirs_full = build(keras, keras.layers)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    assert summary_text(ours) == summary_text(theirs)
    assert summary_text(ours_full) == summary_text(theirs_full)  # the original graph is kept
    theirs_full.set_weights([np.asarray(w) for w in theirs_full.get_weights()])
    ours_full.set_weights([np.asarray(w) for w in theirs_full.get_weights()])
    codes = np.random.default_rng(0).normal(size=(2, 3)).astype(np.float32)
    np.testing.assert_allclose(ours.predict(codes, verbose=0), theirs.predict(codes, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_inputs_by_name_rank_adjustment_and_errors(keras):
    def build(K, L):
        a = K.Input(shape=(3,), name="a")
        b = K.Input(shape=(1,), name="b")
        return K.Model([a, b], L.concatenate([a, b]))

    ours, theirs = build_pair(keras, build)
    a, b = np.ones((2, 3), np.float32), np.full((2,), 5.0, np.float32)  # b without its axis
    np.testing.assert_allclose(ours.predict({"b": b, "a": a}, verbose=0),
                               theirs.predict({"b": b, "a": a}, verbose=0))
    np.testing.assert_allclose(ours([a, b]).numpy(), theirs([a, b]).detach().numpy())
    for bad in ({"a": a}, [np.ones((2, 4), np.float32), b], [a]):
        with pytest.raises(ValueError) as ours_error:
            ours(bad)
        with pytest.raises(ValueError) as keras_error:
            theirs(bad)
        assert str(ours_error.value) == str(keras_error.value)


def test_trainable_argument_and_nested_freezing():
    x = glassnet.Input(shape=(3,))
    inner = glassnet.Model(x, glassnet.layers.Dense(2)(x), trainable=False)
    assert inner.trainable_weights == [] and len(inner.non_trainable_weights) == 2
    y = glassnet.Input(shape=(3,))
    outer = glassnet.Model(y, glassnet.layers.Dense(1)(inner(y)))
    assert len(outer.trainable_weights) == 2 and len(outer.weights) == 4


def test_symbolic_errors():
    with pytest.raises(ValueError, match="All `inputs` values must be KerasTensors"):
        glassnet.Model(np.ones((2, 3)), glassnet.Input(shape=(3,)))
    x = glassnet.Input(shape=(3,))
    with pytest.raises(TypeError, match="has no values"):
        np.asarray(x)
    with pytest.raises(ValueError, match="Graph disconnected"):
        glassnet.Model(x, glassnet.layers.Dense(1)(glassnet.Input(shape=(3,))))
