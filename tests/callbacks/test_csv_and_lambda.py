"""CSVLogger writes the same file as Keras 3 for the same logs; LambdaCallback's functions
run at their hooks, batch hooks included (the callback list's fast path sees them)."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.callbacks import CallbackList, LambdaCallback
from tests.callbacks.drive import StandInModel, run_epochs

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LOG_SETS = {
    "train_only": [{"loss": 0.5, "accuracy": 0.75}, {"loss": 0.25, "accuracy": 0.875}],
    "with_validation": [{"loss": 0.5, "val_loss": 0.625, "val_accuracy": 0.5,
                         "accuracy": 0.75},
                        {"loss": np.float32(0.3), "val_loss": 0.4, "accuracy": 0.8,
                         "val_accuracy": 0.6}],
    "arrays_and_strings": [{"loss": 1.0, "thresholds": np.array([0.1, 0.2]), "tag": "a"},
                           {"loss": 0.5, "thresholds": [0.3, 0.4], "tag": "b"}],
    "empty": [{}, {}],
}


@pytest.mark.parametrize("name", sorted(LOG_SETS))
@pytest.mark.parametrize("separator", [",", ";"])
def test_csv_file_matches_keras(keras, tmp_path, name, separator):
    contents = []
    for module in (keras.callbacks, glassnet.callbacks):
        path = tmp_path / f"{module.__name__}.csv"
        run_epochs(module.CSVLogger(str(path), separator=separator), StandInModel(),
                   LOG_SETS[name])
        contents.append(path.read_bytes())
    assert contents[0] == contents[1]
    assert contents[1].count(b"\n") == 3 or name == "empty"


def test_append_keeps_one_header_like_keras(keras, tmp_path):
    contents = []
    for module in (keras.callbacks, glassnet.callbacks):
        path = tmp_path / f"{module.__name__}.csv"
        for _ in range(2):
            run_epochs(module.CSVLogger(str(path), append=True), StandInModel(),
                       LOG_SETS["with_validation"])
        contents.append(path.read_bytes())
    assert contents[0] == contents[1]
    assert contents[1].count(b"epoch") == 1


def test_lambda_callback_hooks_run_during_fit():
    seen = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: seen.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: seen.append(f"epoch_begin {epoch}"),
        on_train_batch_end=lambda batch, logs: seen.append(f"batch {batch} {sorted(logs)}"),
        on_epoch_end=lambda epoch, logs: seen.append(f"epoch_end {epoch} {sorted(logs)}"),
        on_train_end=lambda logs: seen.append("train_end"),
        on_batch_begin=lambda batch, logs: seen.append(f"old_batch_begin {batch}"))
    model = glassnet.Sequential([glassnet.layers.Input((2,)), glassnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((4, 2)), np.zeros((4, 1)), batch_size=2, epochs=2, verbose=0,
              callbacks=[callback])
    assert seen == ["train_begin",
                    "epoch_begin 0", "old_batch_begin 0", "batch 0 ['loss']",
                    "old_batch_begin 1", "batch 1 ['loss']", "epoch_end 0 ['loss']",
                    "epoch_begin 1", "old_batch_begin 0", "batch 0 ['loss']",
                    "old_batch_begin 1", "batch 1 ['loss']", "epoch_end 1 ['loss']",
                    "train_end"]


def test_callback_list_order_and_fast_path():
    """User callbacks first, then History, then the progress bar (as Keras); batch hooks
    are only called on callbacks that define them."""
    class EpochOnly(glassnet.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            pass

    class BatchWatcher(glassnet.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass

    plain = CallbackList([EpochOnly()], add_history=True, add_progbar=True, verbose=1,
                         epochs=1, steps=1)
    names = [type(c).__name__ for c in plain.callbacks]
    assert names == ["EpochOnly", "History", "ProgbarLogger"]
    assert [type(h.__self__).__name__ for h in plain._batch_hooks["on_train_batch_end"]] == \
        ["ProgbarLogger"]
    quiet = CallbackList([EpochOnly()], add_history=True)
    assert not quiet.wants_batch_logs
    assert CallbackList([BatchWatcher()]).wants_batch_logs
    assert CallbackList([LambdaCallback(on_train_batch_end=lambda b, l: None)]).wants_batch_logs
    assert not CallbackList([LambdaCallback(on_epoch_end=lambda e, l: None)]).wants_batch_logs


def test_callback_base_has_every_keras_hook(keras):
    ours = {name for name in dir(glassnet.callbacks.Callback) if name.startswith("on_")}
    theirs = {name for name in dir(keras.callbacks.Callback) if name.startswith("on_")}
    assert theirs <= ours
    callback = glassnet.callbacks.Callback()
    model = glassnet.Sequential([glassnet.layers.Input((2,)), glassnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=3, verbose=0, callbacks=[callback])
    assert callback.model is model
    assert callback.params == {"verbose": 0, "epochs": 3, "steps": 1}
