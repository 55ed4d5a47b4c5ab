"""Training runs against Keras 3 (torch backend): same initial weights, same batches
(shuffle=False), the same losses, metrics and final weights."""

from __future__ import annotations

import numpy as np
import pytest

from tests.training.keras_twins import (assert_weights_close, copy_weights, dense_stack,
                                        keras_dense_stack)


def test_first_model_one_mnist_epoch_matches_keras(keras, mnist_arrays):
    """The seed MLP on the first 6,000 MNIST images, Adam, one epoch, batch 32."""
    (x_train, y_train), _ = mnist_arrays
    x = (x_train[:6000].reshape(-1, 784) / 255.0).astype(np.float32)
    y = y_train[:6000]
    spec = [(50, "sigmoid"), (10, "softmax")]
    k_model = keras_dense_stack(keras, spec, 784)
    g_model = dense_stack(spec, 784)
    copy_weights(k_model, g_model)
    for model in (k_model, g_model):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    k_hist = k_model.fit(x, y, epochs=1, batch_size=32, shuffle=False, verbose=0)
    g_hist = g_model.fit(x, y, epochs=1, batch_size=32, shuffle=False, verbose=0)
    assert g_hist.history["loss"][0] == pytest.approx(k_hist.history["loss"][0], abs=1e-4)
    assert g_hist.history["accuracy"][0] == pytest.approx(k_hist.history["accuracy"][0],
                                                          abs=2e-4)
    assert_weights_close(k_model, g_model, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("optimizer", ["sgd", "adagrad", "rmsprop", "adam"])
def test_optimizers_on_flatten_model_match_keras(keras, mnist_arrays, optimizer):
    """Flatten(28, 28) -> Dense(100, relu) -> Dense(10, softmax), 2 epochs on 1,000 images."""
    import glassnet
    from glassnet import layers
    (x_train, y_train), _ = mnist_arrays
    x = (x_train[:1000] / 255.0).astype(np.float32)
    y = y_train[:1000]
    k_model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                                keras.layers.Dense(100, activation="relu"),
                                keras.layers.Dense(10, activation="softmax")])
    g_model = glassnet.Sequential([layers.Flatten(input_shape=(28, 28)),
                                   layers.Dense(100, activation="relu"),
                                   layers.Dense(10, activation="softmax")])
    copy_weights(k_model, g_model)
    for model in (k_model, g_model):
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    k_hist = k_model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0,
                         validation_split=0.2)
    g_hist = g_model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0,
                         validation_split=0.2)
    assert sorted(g_hist.history) == sorted(k_hist.history)
    for key in k_hist.history:
        np.testing.assert_allclose(g_hist.history[key], k_hist.history[key], atol=2e-4,
                                   err_msg=key)
    assert_weights_close(k_model, g_model, rtol=2e-4, atol=2e-4)


def test_regression_with_mae_mse_metrics_matches_keras(keras):
    """Dense(3, input_dim=2, sigmoid) -> Dense(1, sigmoid), SGD, mse, metrics mae and mse."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (40, 2)).astype(np.float32)
    y = (0.3 * x[:, :1] + 0.5 * x[:, 1:] ** 2).astype(np.float32)
    spec = [(3, "sigmoid"), (1, "sigmoid")]
    k_model = keras_dense_stack(keras, spec, 2)
    g_model = dense_stack(spec, 2)
    copy_weights(k_model, g_model)
    for model in (k_model, g_model):
        model.compile(optimizer="sgd", loss="mse", metrics=["mae", "mse"])
    k_hist = k_model.fit(x, y, epochs=50, shuffle=False, verbose=0)
    g_hist = g_model.fit(x, y, epochs=50, shuffle=False, verbose=0)
    assert list(g_hist.history) == list(k_hist.history)
    for key in k_hist.history:
        np.testing.assert_allclose(g_hist.history[key], k_hist.history[key], rtol=1e-4,
                                   atol=1e-6, err_msg=key)
    k_eval = k_model.evaluate(x, y, verbose=0)
    g_eval = g_model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(g_eval, k_eval, rtol=1e-4)


def test_binary_crossentropy_batch5_validation_split_matches_keras(keras, shared_datasets):
    """The pima-indians network: Dense(12, relu) -> Dense(8, relu) -> Dense(1, sigmoid)."""
    raw = np.loadtxt(shared_datasets / "pima-indians-diabetes" / "pima-indians-diabetes.csv",
                     delimiter=",")
    # Scaled so the sigmoid stays away from Keras-torch's probability clipping, where its
    # gradient is zero and glassnet's fused (p - y) is not (Keras on TensorFlow fuses too).
    x, y = raw[:200, :8] / raw[:, :8].max(axis=0), raw[:200, 8]
    spec = [(12, "relu"), (8, "relu"), (1, "sigmoid")]
    k_model = keras_dense_stack(keras, spec, 8)
    g_model = dense_stack(spec, 8)
    copy_weights(k_model, g_model)
    for model in (k_model, g_model):
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    k_hist = k_model.fit(x, y, epochs=5, batch_size=5, validation_split=0.25, shuffle=False,
                         verbose=0)
    g_hist = g_model.fit(x, y, epochs=5, batch_size=5, validation_split=0.25, shuffle=False,
                         verbose=0)
    for key in k_hist.history:
        np.testing.assert_allclose(g_hist.history[key], k_hist.history[key], rtol=1e-3,
                                   atol=1e-4, err_msg=key)


def test_onehot_bool_targets_categorical_crossentropy_matches_keras(keras, shared_datasets):
    """iris with pd.get_dummies (bool columns) and categorical_crossentropy."""
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(shared_datasets / "iris" / "iris3.csv")
    x = frame.iloc[:, 0:4]
    y = pd.get_dummies(frame.iloc[:, 4])
    assert y.dtypes.iloc[0] == bool
    spec = [(12, "relu"), (8, "relu"), (3, "softmax")]
    k_model = keras_dense_stack(keras, spec, 4)
    g_model = dense_stack(spec, 4)
    copy_weights(k_model, g_model)
    for model in (k_model, g_model):
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    k_hist = k_model.fit(x.to_numpy().astype("float32"), y.to_numpy().astype("float32"),
                         epochs=10, batch_size=5, shuffle=False, verbose=0)
    g_hist = g_model.fit(x, y, epochs=10, batch_size=5, shuffle=False, verbose=0)
    for key in k_hist.history:
        np.testing.assert_allclose(g_hist.history[key], k_hist.history[key], rtol=1e-3,
                                   atol=1e-4, err_msg=key)
