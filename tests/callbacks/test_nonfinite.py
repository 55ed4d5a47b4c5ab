"""A batch with a NaN or infinite loss: TerminateOnNaN prints and stops as in Keras 3, and
fit on its own stops cleanly, leaves the weights as they were before that batch, names the
epoch, batch and first layer involved, and returns the History."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassnet
from glassnet.callbacks import LambdaCallback, TerminateOnNaN
from glassnet.training.numerics import NonFiniteLossWarning
from tests.callbacks.drive import StandInModel, captured_stdout

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning"),
              pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")]


@pytest.fixture(autouse=True)
def _seeded():
    glassnet.utils.set_random_seed(0)


def _batch_run(callback, losses):
    model = StandInModel()
    callback.set_model(model)
    with captured_stdout() as out:
        for batch, loss in enumerate(losses):
            callback.on_train_batch_end(batch, {"loss": loss})
            if model.stop_training:
                break
    return batch, model.stop_training, out.getvalue()


@pytest.mark.parametrize("losses", [[1.0, 0.5, float("nan"), 0.1], [2.0, float("inf")],
                                    [1.0, 2.0], [float("-inf")]])
def test_terminate_on_nan_matches_keras(keras, losses):
    assert _batch_run(TerminateOnNaN(), losses) == \
        _batch_run(keras.callbacks.TerminateOnNaN(), losses)


def test_terminate_on_nan_raise_error_matches_keras(keras):
    messages = []
    for callback in (TerminateOnNaN(raise_error=True),
                     keras.callbacks.TerminateOnNaN(raise_error=True)):
        callback.set_model(StandInModel())
        with pytest.raises(RuntimeError) as error:
            callback.on_train_batch_end(3, {"loss": float("nan")})
        messages.append(str(error.value))
    assert messages[0] == messages[1]


def _overflow_data(bad_row: int):
    """Ordinary inputs except one huge (still finite) row, which overflows exp()."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    x[bad_row] = 1e30
    y = rng.normal(size=(32, 1)).astype("float32")
    return x, y


def _overflow_model(lib):
    model = lib.Sequential([
        lib.Input((3,)), lib.layers.Dense(4, activation="relu", name="first"),
        lib.layers.Dense(2, activation="exponential", name="blowup"),
        lib.layers.Dense(1, name="last")])
    return model


def test_fit_with_terminate_on_nan_stops_like_keras(keras):
    x, y = _overflow_data(bad_row=13)  # batch 3 of size 4
    keras_model = _overflow_model(keras)
    ours_model = _overflow_model(glassnet)
    rng = np.random.default_rng(5)
    weights = [rng.uniform(0.1, 0.5, np.shape(w)).astype("float32")
               for w in keras_model.get_weights()]
    keras_model.set_weights(weights)
    ours_model.set_weights(weights)
    results = []
    for model in (keras_model, ours_model):
        optimizers = keras.optimizers if model is keras_model else glassnet.optimizers
        model.compile(optimizer=optimizers.SGD(1e-7), loss="mse")
        with captured_stdout() as out, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = model.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0,
                                callbacks=[model is ours_model and TerminateOnNaN()
                                           or keras.callbacks.TerminateOnNaN()])
        results.append((out.getvalue(), len(history.history["loss"]),
                        bool(np.isfinite(history.history["loss"][-1])), caught))
    assert results[0][:3] == results[1][:3] == ("Batch 3: Invalid loss, terminating training\n",
                                                 1, False)
    ours_warnings = [w for w in results[1][3] if issubclass(w.category, NonFiniteLossWarning)]
    assert len(ours_warnings) == 1


def test_fit_stops_restores_and_names_the_layer():
    x, y = _overflow_data(bad_row=21)  # batch 5 of size 4
    glassnet.utils.set_random_seed(0)
    model = _overflow_model(glassnet)
    model.set_weights([np.abs(w) + 0.1 for w in model.get_weights()])
    model.compile(optimizer=glassnet.optimizers.SGD(1e-7), loss="mse")
    before = {}
    events = []
    record = LambdaCallback(
        on_train_batch_begin=lambda batch, logs: before.__setitem__(batch, model.get_weights()),
        on_epoch_end=lambda epoch, logs: events.append(("epoch_end", epoch, logs["loss"])),
        on_train_end=lambda logs: events.append(("train_end",)))
    with pytest.warns(NonFiniteLossWarning) as caught:
        history = model.fit(x, y, batch_size=4, epochs=4, shuffle=False, verbose=0,
                            callbacks=[record])
    message = [str(w.message) for w in caught if w.category is NonFiniteLossWarning][0]
    assert "epoch 1, batch 5" in message and "'blowup' (Dense)" in message
    fault = history.numerical_fault
    assert (fault.epoch, fault.batch, fault.source, fault.layer) == (0, 5, "output", "blowup")
    assert model.numerical_fault is fault
    for now, then in zip(model.get_weights(), before[5]):
        np.testing.assert_array_equal(now, then)
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert int(model.optimizer.iterations) == 5
    assert events[0][:2] == ("epoch_end", 0) and np.isinf(events[0][2]) or np.isnan(events[0][2])
    assert events[-1] == ("train_end",) and len(history.history["loss"]) == 1


def test_fault_in_targets_and_in_weights_are_named():
    x, y = _overflow_data(bad_row=0)
    x[0] = 0.5
    y[9] = np.nan
    model = _overflow_model(glassnet)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.warns(NonFiniteLossWarning, match="targets of this batch"):
        history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    assert (history.numerical_fault.source, history.numerical_fault.batch) == ("targets", 2)

    y[9] = 0.0
    kernel = model.get_layer("last").kernel
    kernel.assign(np.full(kernel.shape, np.nan, np.float32))
    with pytest.warns(NonFiniteLossWarning, match="'last' \\(Dense\\) were already non-finite"):
        history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    assert (history.numerical_fault.source, history.numerical_fault.layer) == ("weights", "last")


def test_warning_as_error_raises():
    x, y = _overflow_data(bad_row=2)
    model = _overflow_model(glassnet)
    model.set_weights([np.abs(w) + 0.1 for w in model.get_weights()])
    model.compile(optimizer="sgd", loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error", NonFiniteLossWarning)
        with pytest.raises(NonFiniteLossWarning, match="batch 0"):
            model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)


def test_batch_normalization_statistics_are_restored():
    from glassnet.layers.normalization.batch_normalization import BatchNormalization
    x, y = _overflow_data(bad_row=6)
    model = glassnet.Sequential([glassnet.layers.Input((3,)),
                                 glassnet.layers.Dense(2, activation="exponential"),
                                 BatchNormalization(name="bn"), glassnet.layers.Dense(1)])
    model.set_weights([np.abs(w) + 0.1 if w.ndim == 2 else w for w in model.get_weights()])
    model.compile(optimizer="sgd", loss="mse")
    stats = {}
    record = LambdaCallback(on_train_batch_begin=lambda batch, logs: stats.__setitem__(
        batch, [v.numpy() for v in model.get_layer("bn").non_trainable_weights]))
    with pytest.warns(NonFiniteLossWarning):
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[record])
    after = [v.numpy() for v in model.get_layer("bn").non_trainable_weights]
    for now, then in zip(after, stats[1]):
        np.testing.assert_array_equal(now, then)
    assert not np.array_equal(stats[1][0], stats[0][0])  # batch 0 did update them


def test_custom_train_step_fault_is_reported_after_update():
    class Custom(glassnet.Model):
        def train_step(self, data):
            logs = super().train_step(data)
            return {"loss": float("nan")} if int(self.optimizer.iterations) == 2 else logs

    inputs = glassnet.Input((3,))
    model = Custom(inputs, glassnet.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    x, y = _overflow_data(bad_row=0)
    x[0] = 0.0
    with pytest.warns(NonFiniteLossWarning, match="own train_step already applied"):
        history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert history.numerical_fault.batch == 1


def test_train_on_batch_skips_the_update():
    x, y = _overflow_data(bad_row=1)
    model = _overflow_model(glassnet)
    model.set_weights([np.abs(w) + 0.1 for w in model.get_weights()])
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()
    loss = model.train_on_batch(x[:4], y[:4])
    assert not np.isfinite(loss)
    for now, then in zip(model.get_weights(), before):
        np.testing.assert_array_equal(now, then)
