"""ProgbarLogger prints what Keras 3 prints during fit, evaluate and predict.

A real Keras run (torch backend) is recorded hook by hook, with the logs each hook got,
while Keras's own ProgbarLogger prints.  The same hooks are then replayed on glassnet's
ProgbarLogger.  Both progress bars read a clock that advances a fixed amount per reading,
so equal output means equal text, equal timing arithmetic and equal redraw decisions.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import types

import numpy as np
import pytest

import glassnet.utils.progbar as glassnet_progbar
from glassnet.callbacks.progbar_logger import ProgbarLogger

# Keras's torch backend warns about numpy's copy keyword on every batch.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class TickClock:
    """Each reading is ``step`` seconds after the previous one."""

    def __init__(self, start: float = 100.0, step: float = 0.0123):
        self.now, self.step = start, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@contextlib.contextmanager
def clock_in(module, clock):
    saved = module.time
    module.time = types.SimpleNamespace(time=clock)
    try:
        yield
    finally:
        module.time = saved


@contextlib.contextmanager
def captured_stdout():
    buffer, saved = io.StringIO(), sys.stdout
    sys.stdout = buffer
    try:
        yield buffer
    finally:
        sys.stdout = saved


HOOKS = ["on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_test_begin",
         "on_test_end", "on_predict_begin", "on_predict_end", "on_train_batch_end",
         "on_test_batch_end", "on_predict_batch_end"]


def make_recorder(keras):
    class Recorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.calls = []
            self.given_params = []

        def set_params(self, params):
            super().set_params(params)
            self.given_params.append(dict(params))
            self.calls.append(("set_params", (dict(params),)))

    def hook(name):
        def record(self, *args, logs=None):
            args = list(args) + ([logs] if logs is not None else [])
            if args and isinstance(args[-1], dict):
                logs = args[-1]
                # Predict passes batch outputs (tensors); metrics are plain numbers.
                args[-1] = {k: v for k, v in logs.items() if k != "outputs"} if \
                    name.startswith("on_predict") else dict(logs)
            self.calls.append((name, tuple(args)))
        return record

    for name in HOOKS:
        setattr(Recorder, name, hook(name))
    return Recorder()


def replay(calls) -> str:
    logger = ProgbarLogger()
    with captured_stdout() as out, clock_in(glassnet_progbar, TickClock()):
        for name, args in calls:
            getattr(logger, name)(*args)
    return out.getvalue()


def keras_run(keras, action) -> tuple[str, list]:
    from keras.src.utils import progbar as keras_progbar_module

    recorder = make_recorder(keras)
    with captured_stdout() as out, clock_in(keras_progbar_module, TickClock()):
        action(recorder)
    return out.getvalue(), recorder.calls


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 8)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int64")
    return x, y


@pytest.fixture(scope="module")
def model(keras, data):
    keras.utils.set_random_seed(1)
    net = keras.Sequential([keras.Input((8,)), keras.layers.Dense(6, activation="relu"),
                            keras.layers.Dense(2, activation="softmax")])
    net.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                metrics=["accuracy"])
    return net


@pytest.mark.parametrize("verbose", [1, 2])
@pytest.mark.parametrize("epochs", [1, 3])
def test_fit_with_validation(keras, model, data, verbose, epochs):
    x, y = data
    printed, calls = keras_run(keras, lambda rec: model.fit(
        x, y, epochs=epochs, batch_size=16, validation_data=(x[:50], y[:50]),
        verbose=verbose, callbacks=[rec]))
    assert replay(calls) == printed
    assert ("Epoch 1/" in printed) == (epochs > 1)
    assert "val_loss" in printed


@pytest.mark.parametrize("verbose", [1, 2])
def test_evaluate_and_predict(keras, model, data, verbose):
    x, y = data
    for action in (lambda rec: model.evaluate(x, y, batch_size=8, verbose=verbose,
                                              callbacks=[rec]),
                   lambda rec: model.predict(x, batch_size=8, verbose=verbose,
                                             callbacks=[rec])):
        printed, calls = keras_run(keras, action)
        assert printed and replay(calls) == printed


def test_evaluate_verbose_2_line(keras, model, data):
    x, y = data
    printed, calls = keras_run(keras, lambda rec: model.evaluate(
        x, y, batch_size=8, verbose=2, callbacks=[rec]))
    ours = replay(calls)
    assert ours == printed
    assert re.fullmatch(r"25/25 - 0s - \d+us/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}\n",
                        ours)


def test_generator_without_length(keras, model, data):
    x, y = data

    def batches():
        for start in range(0, 200, 40):
            yield x[start:start + 40], y[start:start + 40]

    class Once(keras.utils.PyDataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return x[40 * i:40 * i + 40], y[40 * i:40 * i + 40]

    printed, calls = keras_run(keras, lambda rec: model.fit(
        batches(), epochs=1, verbose=1, callbacks=[rec]))
    assert "/Unknown" in printed
    assert replay(calls) == printed
    printed, calls = keras_run(keras, lambda rec: model.fit(
        Once(), epochs=2, verbose=1, callbacks=[rec]))
    assert replay(calls) == printed


def test_params_and_silence(keras, model, data):
    x, y = data
    printed, calls = keras_run(keras, lambda rec: model.fit(
        x, y, epochs=2, verbose=0, callbacks=[rec]))
    assert printed == "" and replay(calls) == ""
    logger = ProgbarLogger()
    logger.set_params({"verbose": "auto", "epochs": 4, "steps": 7})
    assert (logger.verbose, logger.epochs, logger.target) == (1, 4, 7)


def test_callback_list_adds_it(keras):
    from glassnet.callbacks import CallbackList

    callbacks = CallbackList([], add_progbar=True, verbose=2, epochs=1, steps=3)
    loggers = [c for c in callbacks.callbacks if isinstance(c, ProgbarLogger)]
    assert len(loggers) == 1 and loggers[0].verbose == 2
    with captured_stdout() as out:
        callbacks.on_train_begin()
        callbacks.on_epoch_begin(0)
        for batch in range(3):
            callbacks.on_train_batch_end(batch, {"loss": 0.5})
        callbacks.on_epoch_end(0, {"loss": 0.25})
    assert out.getvalue().startswith("3/3 - ") and out.getvalue().endswith("loss: 0.2500\n")


def masked(text: str) -> str:
    """The printed text with metric values replaced (the two libraries start from different
    random weights); step counts, bars, times, names and order stay."""
    return re.sub(r": -?\d+\.\d{4}(e[+-]\d+)?", ": #", text)


@pytest.mark.parametrize("verbose", [1, 2])
def test_glassnet_fit_prints_like_keras(keras, data, verbose):
    """glassnet's own fit / evaluate / predict, with this logger, against Keras's."""
    import glassnet
    from keras.src.utils import progbar as keras_progbar_module

    x, y = data
    outputs = []
    for lib, module in ((keras, keras_progbar_module), (glassnet, glassnet_progbar)):
        lib.utils.set_random_seed(3)
        net = lib.Sequential([lib.Input((8,)), lib.layers.Dense(6, activation="relu"),
                              lib.layers.Dense(2, activation="softmax")])
        net.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
        with captured_stdout() as out, clock_in(module, TickClock()):
            net.fit(x, y, epochs=2, batch_size=16, validation_data=(x[:50], y[:50]),
                    verbose=verbose)
            net.evaluate(x, y, batch_size=32, verbose=verbose)
            net.predict(x, batch_size=64, verbose=verbose)
        outputs.append(masked(out.getvalue()))
    assert outputs[1] == outputs[0]


def test_lazy_logs_are_read_only_on_redraws():
    """Batch logs that compute their values on access are read only when the bar redraws,
    and print the same as plain dicts."""
    from collections.abc import Mapping

    class LazyLogs(Mapping):
        computed = 0

        def __init__(self, batch):
            self.batch, self.values = batch, None

        def _get(self):
            if self.values is None:
                LazyLogs.computed += 1
                self.values = {"accuracy": self.batch / 200, "loss": 1 / (self.batch + 1)}
            return self.values

        def __getitem__(self, key):
            return self._get()[key]

        def __iter__(self):
            return iter(self._get())

        def __len__(self):
            return len(self._get())

    def calls(make_logs):
        steps = [("set_params", ({"verbose": 1, "epochs": 1, "steps": 150},)),
                 ("on_train_begin", ()), ("on_epoch_begin", (0,))]
        steps += [("on_train_batch_end", (b, make_logs(b))) for b in range(150)]
        return steps + [("on_epoch_end", (0, {"accuracy": 0.5, "loss": 0.25}))]

    plain = replay(calls(lambda b: {"accuracy": b / 200, "loss": 1 / (b + 1)}))
    assert replay(calls(LazyLogs)) == plain
    assert 3 < LazyLogs.computed == plain.count("\r") - 1 < 40
