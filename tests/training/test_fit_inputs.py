"""What fit / evaluate / predict accept and return, as Keras does."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet import layers


def _binary_model(input_dim=8):
    model = glassnet.Sequential([layers.Dense(12, input_dim=input_dim, activation="relu"),
                                 layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def test_rank1_x_with_input_dim_1_is_a_column():
    x = np.array([2, 4, 6, 8])
    y = np.array([81, 93, 91, 97])
    model = glassnet.Sequential([layers.Dense(1, input_dim=1, activation="linear")])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    prediction = model.predict(np.array([7]), verbose=0)
    assert prediction.shape == (1, 1)
    assert isinstance(prediction, np.ndarray)
    assert model.predict([7], verbose=0).shape == (1, 1)


def test_pandas_frames_and_series(tmp_path):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.random((30, 9)), columns=list("abcdefghi"))
    frame["i"] = (frame["i"] > 0.5).astype(int)
    model = _binary_model()
    history = model.fit(frame.iloc[:, :8], frame.iloc[:, 8], epochs=2, batch_size=5,
                        validation_split=0.25, verbose=0)
    assert set(history.history) == {"accuracy", "loss", "val_accuracy", "val_loss"}
    assert model.predict(frame.iloc[:3, :8], verbose=0).shape == (3, 1)


def test_object_array_from_df_values_is_converted():
    data = np.array([[1, "2.5", 3.0, 0, 1, 2, 3, 4, 1]] * 10, dtype=object)
    model = _binary_model()
    model.fit(data[:, :8].astype(float), data[:, 8].astype(float), epochs=1, verbose=0)
    model.fit(data[:, :8], data[:, 8], epochs=1, verbose=0)


def test_evaluate_return_forms():
    rng = np.random.default_rng(1)
    x, y = rng.random((20, 8)), rng.integers(0, 2, 20)
    model = _binary_model()
    result = model.evaluate(x, y, verbose=0)
    assert isinstance(result, list) and len(result) == 2
    assert all(isinstance(v, float) for v in result)
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(as_dict) == {"loss", "accuracy"}
    model.compile(loss="binary_crossentropy", optimizer="adam")
    assert isinstance(model.evaluate(x, y, verbose=0), float)


def test_history_values_are_python_floats_and_acc_name_kept():
    rng = np.random.default_rng(2)
    x, y = rng.random((16, 8)), rng.integers(0, 2, 16)
    model = glassnet.Sequential([layers.Dense(1, input_dim=8, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="sgd", metrics=["acc"])
    history = model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y))
    assert list(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert all(isinstance(v, float) for v in history.history["acc"])
    with pytest.warns(DeprecationWarning):
        assert history.history["accuracy"] == history.history["acc"]


def test_default_optimizer_is_rmsprop():
    model = _binary_model()
    model.compile(loss="binary_crossentropy")
    assert type(model.optimizer).__name__ == "RMSprop"


def test_train_test_predict_on_batch():
    rng = np.random.default_rng(3)
    x, y = rng.random((8, 8)), rng.integers(0, 2, 8)
    model = _binary_model()
    before = model.get_weights()[0].copy()
    loss, accuracy = model.train_on_batch(x, y)
    assert not np.array_equal(before, model.get_weights()[0])
    logs = model.test_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    assert model.predict_on_batch(x).shape == (8, 1)


def test_class_weight_and_sample_weight_change_the_loss():
    rng = np.random.default_rng(4)
    x, y = rng.random((32, 8)), (rng.random(32) > 0.7).astype(int)
    losses = []
    for kwargs in ({}, {"class_weight": {0: 1.0, 1: 5.0}},
                   {"sample_weight": np.where(y == 1, 5.0, 1.0)}):
        glassnet.utils.set_random_seed(0)
        model = _binary_model()
        losses.append(model.fit(x, y, epochs=1, batch_size=32, shuffle=False, verbose=0,
                                **kwargs).history["loss"][0])
    assert losses[1] != losses[0]
    assert losses[1] == pytest.approx(losses[2], rel=1e-6)


def test_generator_input_with_steps_per_epoch():
    rng = np.random.default_rng(5)

    def batches():
        while True:
            yield rng.random((4, 8)), rng.integers(0, 2, 4)

    model = _binary_model()
    history = model.fit(batches(), steps_per_epoch=3, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_dropout_only_in_training():
    model = glassnet.Sequential([layers.Dropout(0.5, input_shape=(100,))])
    model.compile(loss="mse")
    x = np.ones((4, 100), np.float32)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)


def test_set_random_seed_makes_runs_identical():
    rng = np.random.default_rng(6)
    x, y = rng.random((64, 8)), rng.integers(0, 2, 64)
    weights = []
    for _ in range(2):
        glassnet.utils.set_random_seed(42)
        model = glassnet.Sequential([layers.Dense(16, input_dim=8, activation="relu"),
                                     layers.Dropout(0.3), layers.Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(x, y, epochs=2, batch_size=8, verbose=0)
        weights.append(model.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)
