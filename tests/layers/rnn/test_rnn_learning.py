"""The recurrent layers learn what they are for, through ``compile`` / ``fit``:

- the adding problem (Hochreiter & Schmidhuber): 50 steps of (value, marker) pairs, the
  target the sum of the two marked values; an LSTM gets the test MSE under 1% of the
  variance of the targets (what predicting the mean scores), a Dense model on the flattened
  sequence does not get near it;
- a long-range task for Conv1D + MaxPooling1D + LSTM: 100 noisy steps holding 1, 3 or 5
  rising or falling motifs anywhere; the label is whether rising ones are the majority, so
  the answer depends on motifs from the start to the end of the sequence.
"""

from __future__ import annotations

import numpy as np
import pytest

import glassnet as gn
from glassnet.layers.convolutional import Conv1D
from glassnet.layers.pooling import MaxPooling1D
from glassnet.layers.rnn import LSTM

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def one_blas_thread():
    """Small per-step GEMMs run best on one BLAS thread, above all on a shared machine."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def adding_problem(n: int, steps: int = 50, seed: int = 0):
    rng = np.random.default_rng(seed)
    values = rng.random((n, steps)).astype("float32")
    markers = np.zeros((n, steps), "float32")
    rows = np.arange(n)
    markers[rows, rng.integers(0, steps // 2, n)] = 1
    markers[rows, rng.integers(steps // 2, steps, n)] = 1
    return np.stack([values, markers], axis=-1), (values * markers).sum(1, keepdims=True)


def _relative_mse(model, x, y) -> float:
    return float(np.mean((model.predict(x, verbose=0) - y) ** 2) / y.var())


def test_lstm_solves_the_adding_problem_and_dense_does_not():
    x, y = adding_problem(6400)
    x_test, y_test = adding_problem(1000, seed=1)
    gn.utils.set_random_seed(1)
    lstm = gn.Sequential([gn.layers.Input((50, 2)), LSTM(32), gn.layers.Dense(1)])
    lstm.compile(optimizer=gn.optimizers.Adam(0.01), loss="mse")
    dense = gn.Sequential([gn.layers.Input((50, 2)), gn.layers.Flatten(), gn.layers.Dense(1)])
    dense.compile(optimizer=gn.optimizers.Adam(0.01), loss="mse")
    for _ in range(8):
        lstm.fit(x, y, batch_size=32, epochs=1, verbose=0)
        if _relative_mse(lstm, x_test, y_test) < 0.01:
            break
    dense.fit(x, y, batch_size=32, epochs=3, verbose=0)
    assert _relative_mse(lstm, x_test, y_test) < 0.01
    assert _relative_mse(dense, x_test, y_test) > 0.5


def motif_majority(n: int, steps: int = 100, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, steps, 1)).astype("float32") * 0.3
    y = np.zeros((n, 1), "float32")
    rising, falling = np.array([-1.5, 0.0, 1.5]), np.array([1.5, 0.0, -1.5])
    for k in range(n):
        count = rng.choice([1, 3, 5])
        starts = rng.choice(steps // 5, count, replace=False) * 5
        up = rng.random(count) < 0.5
        for start, is_up in zip(starts, up):
            x[k, start:start + 3, 0] += rising if is_up else falling
        y[k] = up.sum() * 2 > count
    return x, y


def test_conv1d_and_lstm_learn_a_long_range_task():
    x, y = motif_majority(2000)
    x_test, y_test = motif_majority(500, seed=1)
    gn.utils.set_random_seed(0)
    model = gn.Sequential([gn.layers.Input((100, 1)), Conv1D(16, 3, activation="relu"),
                           MaxPooling1D(4), LSTM(32), gn.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=gn.optimizers.Adam(0.01), loss="binary_crossentropy",
                  metrics=["accuracy"])
    accuracy = 0.0
    for _ in range(12):
        model.fit(x, y, batch_size=32, epochs=1, verbose=0)
        accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
        if accuracy >= 0.95:
            break
    assert accuracy >= 0.95


def test_recurrent_dropout_trains_and_switches_off_outside_training():
    x, y = adding_problem(256)
    gn.utils.set_random_seed(3)
    layer = LSTM(8, dropout=0.3, recurrent_dropout=0.3)
    model = gn.Sequential([gn.layers.Input((50, 2)), layer, gn.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=3, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    first, second = layer(x[:4], training=True).numpy(), layer(x[:4], training=True).numpy()
    assert not np.allclose(first, second)  # a new dropout mask per call
    np.testing.assert_array_equal(layer(x[:4]).numpy(), layer(x[:4], training=False).numpy())
    assert layer.get_config()["recurrent_dropout"] == 0.3
