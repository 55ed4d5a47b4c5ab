"""ReduceLROnPlateau and LearningRateScheduler against Keras 3: the learning rate after
every epoch, the logged ``learning_rate`` and the printed lines; and the History of a
real fit records ``learning_rate`` as Keras's does."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.callbacks import LearningRateScheduler, ReduceLROnPlateau
from tests.callbacks.drive import StandInModel, captured_stdout

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PLATEAU = [1.0, 0.9, 0.9, 0.9, 0.8999, 0.95, 0.95, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
REDUCE_CONFIGS = [
    {"monitor": "val_loss", "factor": 0.5, "patience": 1, "verbose": 1},
    {"monitor": "val_loss", "factor": 0.2, "patience": 2, "cooldown": 2, "min_lr": 0.01,
     "verbose": 1},
    {"monitor": "loss", "factor": 0.1, "patience": 0, "min_delta": 0.05, "verbose": 1},
    {"monitor": "val_acc", "mode": "max", "factor": 0.3, "patience": 1, "verbose": 1},
]


def _run(callback, optimizer, values, monitor, read_rate):
    model = StandInModel(optimizer=optimizer)
    callback.set_model(model)
    rates, logged = [], []
    with captured_stdout() as out:
        callback.on_train_begin()
        for epoch, value in enumerate(values):
            callback.on_epoch_begin(epoch)
            logs = {"loss": value, monitor: value}
            callback.on_epoch_end(epoch, logs)
            rates.append(read_rate(optimizer))
            logged.append(logs.get("learning_rate"))
        callback.on_train_end()
    return rates, logged, out.getvalue()


def _keras_rate(optimizer) -> float:
    return float(np.asarray(optimizer.learning_rate.numpy()))


def _glassnet_rate(optimizer) -> float:
    return float(optimizer.learning_rate.numpy())


@pytest.mark.parametrize("config", REDUCE_CONFIGS)
def test_reduce_lr_on_plateau_matches_keras(keras, config):
    monitor = config["monitor"]
    ours = _run(ReduceLROnPlateau(**config), glassnet.optimizers.SGD(0.1), PLATEAU, monitor,
                _glassnet_rate)
    theirs = _run(keras.callbacks.ReduceLROnPlateau(**config), keras.optimizers.SGD(0.1),
                  PLATEAU, monitor, _keras_rate)
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    assert ours[2] == theirs[2]
    assert len(set(ours[0])) > 1  # the scenario does reduce the rate


def test_reduce_lr_factor_must_be_below_one(keras):
    for module in (keras.callbacks, glassnet.callbacks):
        with pytest.raises(ValueError, match="factor >= 1.0"):
            module.ReduceLROnPlateau(factor=1.5)


def _step_schedule(epoch, lr):
    return lr * 0.5 if epoch in (2, 4) else lr


def _old_schedule(epoch):
    return 0.1 / (1 + epoch)


@pytest.mark.parametrize("schedule", [_step_schedule, _old_schedule])
def test_learning_rate_scheduler_matches_keras(keras, schedule):
    def run(callback, optimizer, read_rate):
        model = StandInModel(optimizer=optimizer)
        callback.set_model(model)
        rates, logged = [], []
        with captured_stdout() as out:
            for epoch in range(6):
                callback.on_epoch_begin(epoch)
                rates.append(read_rate(optimizer))
                logs = {"loss": 1.0}
                callback.on_epoch_end(epoch, logs)
                logged.append(logs["learning_rate"])
        return rates, logged, out.getvalue()

    ours = run(LearningRateScheduler(schedule, verbose=1), glassnet.optimizers.SGD(0.1),
               _glassnet_rate)
    theirs = run(keras.callbacks.LearningRateScheduler(schedule, verbose=1),
                 keras.optimizers.SGD(0.1), _keras_rate)
    assert ours == theirs


def test_scheduler_rejects_non_float(keras):
    model = StandInModel(optimizer=glassnet.optimizers.SGD(0.1))
    callback = LearningRateScheduler(lambda epoch: "fast")
    callback.set_model(model)
    with pytest.raises(ValueError, match="should be a float"):
        callback.on_epoch_begin(0)


def test_history_records_learning_rate_like_keras(keras):
    """History comes after the given callbacks (Keras's order), so it sees the
    ``learning_rate`` they add; both libraries log the same keys and rates."""
    x = np.linspace(-1, 1, 32, dtype="float32")[:, None]
    y = 3 * x
    histories = []
    for lib in (keras, glassnet):
        model = lib.Sequential([lib.Input((1,)), lib.layers.Dense(1)])
        model.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse")
        callbacks = [lib.callbacks.ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5,
                                                     min_delta=10.0)]
        histories.append(model.fit(x, y, epochs=3, verbose=0, callbacks=callbacks,
                                   shuffle=False).history)
    assert sorted(histories[0]) == sorted(histories[1]) == ["learning_rate", "loss"]
    np.testing.assert_allclose(histories[1]["learning_rate"], histories[0]["learning_rate"])
