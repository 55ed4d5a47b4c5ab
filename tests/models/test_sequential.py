"""Sequential and functional model structure, as Keras builds it."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet import layers


def test_automatic_names_count_across_models():
    first = glassnet.Sequential([layers.Dense(4, input_shape=(2,)), layers.Dense(1)])
    second = glassnet.Sequential([layers.Dense(4, input_shape=(2,))])
    assert [layer.name for layer in first.layers] == ["dense", "dense_1"]
    assert second.layers[0].name == "dense_2"
    assert first.name == "sequential" and second.name == "sequential_1"
    glassnet.backend.clear_session()
    assert layers.Dense(1).name == "dense"


def test_ways_to_give_the_input_shape_agree():
    models = [
        glassnet.Sequential([layers.Dense(50, input_dim=784), layers.Dense(10)]),
        glassnet.Sequential([layers.Dense(50, input_shape=(784,)), layers.Dense(10)]),
        glassnet.Sequential([layers.Input(shape=(784,)), layers.Dense(50), layers.Dense(10)]),
    ]
    added = glassnet.Sequential()
    added.add(layers.Input(shape=(784,)))
    added.add(layers.Dense(50))
    added.add(layers.Dense(10))
    models.append(added)
    for model in models:
        assert model.built
        assert model.count_params() == 39760
        assert len(model.layers) == 2
        assert model.layers[1].output.shape == (None, 10)
        assert model.inputs[0].shape == (None, 784)


def test_deferred_build_from_first_data():
    model = glassnet.Sequential([layers.Dense(8), layers.Dense(1)])
    assert not model.built
    with pytest.raises(ValueError, match="isn't built"):
        model.count_params()
    model.compile(loss="mse", optimizer="sgd")
    model.fit(np.zeros((4, 3)), np.zeros((4, 1)), verbose=0)
    assert model.built and model.count_params() == 3 * 8 + 8 + 8 + 1
    assert model.inputs[0].shape == (None, 3)


def test_unique_names_required():
    with pytest.raises(ValueError, match="unique names"):
        glassnet.Sequential([layers.Dense(2, name="same", input_shape=(3,)),
                             layers.Dense(2, name="same")])


def test_add_rejects_non_layers_and_pop():
    model = glassnet.Sequential([layers.Dense(2, input_shape=(3,)), layers.Dense(4)])
    with pytest.raises(TypeError, match="instance of class Layer"):
        model.add(5)
    removed = model.pop()
    assert removed.units == 4 and len(model.layers) == 1
    assert model.layers[-1].output.shape == (None, 2)


def test_weights_order_and_values():
    model = glassnet.Sequential([layers.Dense(3, input_shape=(2,)), layers.Dense(1)])
    shapes = [w.shape for w in model.weights]
    assert shapes == [(2, 3), (3,), (3, 1), (1,)]
    assert [w.path for w in model.weights][:2] == ["dense/kernel", "dense/bias"]
    kernel = model.layers[0].weights[0].numpy()
    assert kernel.dtype == np.float32
    limit = np.sqrt(6 / (2 + 3))
    assert np.all(np.abs(kernel) <= limit)
    np.testing.assert_array_equal(model.layers[0].weights[1].numpy(), np.zeros(3))


def test_config_round_trip():
    model = glassnet.Sequential([layers.Dense(3, activation="relu", input_shape=(2,)),
                                 layers.Dropout(0.5), layers.Dense(1, activation="sigmoid")])
    clone = glassnet.Sequential.from_config(model.get_config())
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Dropout", "Dense"]
    assert clone.count_params() == model.count_params()
    assert clone.layers[0].activation is glassnet.activations.relu


def test_feature_extraction_from_trained_sequential():
    model = glassnet.Sequential([layers.Dense(5, activation="relu", input_shape=(3,)),
                                 layers.Dense(2, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    x = np.random.default_rng(0).random((10, 3)).astype(np.float32)
    model.fit(x, np.arange(10) % 2, verbose=0)
    extractor = glassnet.Model(model.inputs, model.layers[0].output)
    features = extractor.predict(x, verbose=0)
    kernel, bias = model.layers[0].get_weights()
    np.testing.assert_allclose(features, np.maximum(x @ kernel + bias, 0), rtol=1e-6)


def test_trainable_false_takes_effect_at_next_compile():
    base = glassnet.Sequential([layers.Dense(4, input_shape=(3,), name="frozen"),
                                layers.Dense(1, name="head")])
    base.compile(loss="mse", optimizer="sgd")
    x, y = np.ones((8, 3), np.float32), np.ones((8, 1), np.float32)
    base.layers[0].trainable = False
    before = base.layers[0].get_weights()
    base.fit(x, y, verbose=0)
    assert not np.array_equal(before[0], base.layers[0].get_weights()[0])  # compiled earlier
    base.compile(loss="mse", optimizer="sgd")
    before = base.layers[0].get_weights()
    base.fit(x, y, verbose=0)
    np.testing.assert_array_equal(before[0], base.layers[0].get_weights()[0])
    assert len(base.trainable_weights) == 2 and len(base.non_trainable_weights) == 2


def test_functional_model_basics():
    inputs = layers.Input(shape=(4,), name="features")
    hidden = layers.Dense(8, activation="relu")(inputs)
    outputs = layers.Dense(2, activation="softmax", name="probs")(hidden)
    model = glassnet.Model(inputs=inputs, outputs=outputs)
    assert model.name == "functional"
    assert [layer.name for layer in model.layers] == ["features", "dense", "probs"]
    assert model.get_layer("probs").units == 2
    assert model.get_layer(index=1) is model.layers[1]
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam",
                  metrics=["accuracy"])
    x = np.random.default_rng(1).random((12, 4))
    history = model.fit(x, np.arange(12) % 2, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(x, verbose=0).shape == (12, 2)


def test_graph_disconnected_error():
    a = layers.Input(shape=(2,))
    b = layers.Input(shape=(2,))
    out = layers.Dense(1)(b)
    with pytest.raises(ValueError, match="Graph disconnected"):
        glassnet.Model(a, out)
