"""EarlyStopping against Keras 3: the same scripted monitored values give the same stopping
epoch, restored weights and printed lines; and inside glassnet's fit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassnet
from glassnet.callbacks import EarlyStopping
from tests.callbacks.drive import StandInModel, run_epochs

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SCENARIOS = [
    ({}, [1.0, 0.9, 0.95, 0.8]),
    ({"patience": 2, "restore_best_weights": True, "verbose": 1},
     [0.5, 0.4, 0.45, 0.41, 0.39, 0.6, 0.6, 0.6]),
    ({"min_delta": 0.05, "patience": 1, "verbose": 1}, [1.0, 0.97, 0.9, 0.89, 0.88, 0.8]),
    ({"baseline": 0.5, "patience": 2, "restore_best_weights": True, "verbose": 1},
     [0.6, 0.55, 0.52, 0.4, 0.3]),
    ({"baseline": 0.5, "patience": 5, "restore_best_weights": True}, [0.6, 0.55, 0.7, 0.58]),
    ({"start_from_epoch": 3, "patience": 1, "verbose": 1}, [1, 2, 3, 4, 5, 3, 3.5, 3.6]),
    ({"start_from_epoch": 2, "restore_best_weights": True, "verbose": 1},
     [0.1, 0.05, 0.9, 0.8, 0.85]),
    ({"monitor": "val_accuracy", "mode": "max", "patience": 1, "verbose": 1},
     [0.5, 0.6, 0.55, 0.58, 0.7]),
    ({"monitor": "loss", "patience": 3, "restore_best_weights": True, "verbose": 1},
     [3.0, 2.0, 2.5, 2.1, 2.2, 1.0]),
    ({"monitor": "val_loss", "mode": "max", "verbose": 1}, [1.0, 2.0, 1.5]),
    ({"patience": 0, "verbose": 1}, [1.0, 1.0, 1.0]),
]


def _logs(config: dict, values: list) -> list:
    monitor = config.get("monitor", "val_loss")
    return [{"loss": float(v) + 1.0, monitor: float(v)} if monitor != "loss" else
            {"loss": float(v)} for v in values]


@pytest.mark.parametrize("config, values", SCENARIOS)
def test_scripted_sequences_match_keras(keras, config, values):
    ours_cb = EarlyStopping(**config)
    theirs_cb = keras.callbacks.EarlyStopping(**config)
    ours = run_epochs(ours_cb, StandInModel(), _logs(config, values))
    theirs = run_epochs(theirs_cb, StandInModel(), _logs(config, values))
    assert ours["epochs_run"] == theirs["epochs_run"]
    assert ours_cb.stopped_epoch == theirs_cb.stopped_epoch
    assert ours_cb.best_epoch == theirs_cb.best_epoch
    assert ours["restored"] == theirs["restored"]
    assert ours["stdout"] == theirs["stdout"]
    assert ours_cb.wait == theirs_cb.wait


def test_missing_monitor_warns_like_keras(keras):
    logs = [{"loss": 1.0}, {"loss": 2.0}]
    with pytest.warns(UserWarning, match="val_loss.*not available") as ours_warnings:
        ours = run_epochs(EarlyStopping(), StandInModel(), logs)
    with warnings.catch_warnings(record=True) as theirs_warnings:
        warnings.simplefilter("always")
        theirs = run_epochs(keras.callbacks.EarlyStopping(), StandInModel(), logs)
    assert ours["epochs_run"] == theirs["epochs_run"] == 2
    assert str(ours_warnings[0].message) in [str(w.message) for w in theirs_warnings]


def test_fit_stops_where_keras_would_on_the_same_logs(keras, capsys):
    """glassnet's fit with EarlyStopping; its own epoch logs replayed through Keras's
    EarlyStopping must stop at the same epoch and print the same lines."""
    glassnet.utils.set_random_seed(1)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5], "float32"))[:, None] + rng.normal(size=(60, 1)) * 2
    model = glassnet.Sequential([glassnet.layers.Input((3,)), glassnet.layers.Dense(1)])
    model.compile(optimizer=glassnet.optimizers.SGD(0.3), loss="mse")
    stop = EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    history = model.fit(x, y, epochs=60, validation_split=0.5, callbacks=[stop], verbose=0,
                        shuffle=False)
    printed = capsys.readouterr().out
    epochs_run = len(history.history["loss"])
    assert stop.stopped_epoch == epochs_run - 1 > 0
    keras_stop = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    replay = run_epochs(keras_stop, StandInModel(),
                        [{k: v[i] for k, v in history.history.items()}
                         for i in range(epochs_run)])
    assert replay["epochs_run"] == epochs_run
    assert keras_stop.stopped_epoch == stop.stopped_epoch
    assert printed == replay["stdout"]
    # The weights in the model are those of the best epoch.
    best = int(np.argmin(history.history["val_loss"]))
    assert stop.best_epoch == best
    assert model.evaluate(x[30:], y[30:], verbose=0) == pytest.approx(
        history.history["val_loss"][best], rel=1e-5)


def test_auto_mode_direction_of_every_metric_matches_keras(keras):
    """mode='auto' maximizes or minimizes each metric as Keras 3 does (or refuses alike)."""
    from glassnet.callbacks.monitor_callback import metric_direction
    compared = 0
    for cls in glassnet.metrics.CLASSES:
        theirs_cls = getattr(keras.metrics, cls.__name__, None)
        if theirs_cls is None or cls.__name__ in ("Metric", "Mean", "Sum", "MeanMetricWrapper"):
            continue
        ours, theirs = cls(), theirs_cls()
        assert metric_direction(ours) == getattr(theirs, "_direction", None), cls.__name__
        compared += 1
    assert compared >= 20
    wrapped = glassnet.metrics.MeanMetricWrapper(glassnet.losses.mean_squared_error, name="m")
    assert metric_direction(wrapped) == keras.metrics.MeanMetricWrapper(
        keras.losses.mean_squared_error, name="m")._direction == "down"


def test_auto_mode_on_accuracy_in_fit(keras):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    results = []
    for lib in (keras, glassnet):
        lib.utils.set_random_seed(0)
        model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
        stop = lib.callbacks.EarlyStopping(monitor="val_accuracy", patience=1)
        model.fit(x, y, epochs=2, validation_split=0.5, verbose=0, callbacks=[stop])
        results.append(stop.monitor_op(1.0, 0.0))
        bad = lib.callbacks.EarlyStopping(monitor="val_nothing_known")
        with pytest.raises(ValueError, match="maximized or minimized"):
            model.fit(x, y, epochs=1, validation_split=0.5, verbose=0, callbacks=[bad])
    assert bool(results[0]) is bool(results[1]) is True
