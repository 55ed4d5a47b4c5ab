"""Drive a Keras callback and its glassnet twin through the same scripted training.

The callbacks see a small stand-in model (weights that record the epoch they come from,
``stop_training``, ``save``/``save_weights`` that note the path and touch the file, an
optimizer when needed) and the same logs, hook by hook.  What each did (when it stopped,
what it restored, which files it saved, what it printed) is returned for comparison.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

import numpy as np


class StandInModel:
    """The parts of a model that monitoring callbacks use."""

    def __init__(self, optimizer=None):
        self.epoch = 0
        self.stop_training = False
        self.restored = None
        self.saved: list = []
        self.optimizer = optimizer
        self.metrics: list = []

    def get_weights(self):
        return [np.full(2, float(self.epoch))]

    def set_weights(self, weights):
        self.restored = float(np.asarray(weights[0])[0])

    def _touch(self, kind: str, filepath: str) -> None:
        self.saved.append((kind, filepath))
        with open(filepath, "w") as f:
            f.write(kind)

    def save(self, filepath, overwrite=True, **kwargs):
        self._touch("model", filepath)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        self._touch("weights", filepath)


@contextlib.contextmanager
def captured_stdout():
    buffer, saved = io.StringIO(), sys.stdout
    sys.stdout = buffer
    try:
        yield buffer
    finally:
        sys.stdout = saved


@contextlib.contextmanager
def working_directory(path):
    saved = os.getcwd()
    os.makedirs(path, exist_ok=True)
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)


def run_epochs(callback, model, epoch_logs: list, batch_logs: list | None = None) -> dict:
    """Epochs with the given logs (and per-batch logs), stopping when asked; returns what
    happened and what was printed."""
    callback.set_model(model)
    callback.set_params({"verbose": 0, "epochs": len(epoch_logs), "steps": None})
    ran = 0
    logs_seen = []
    with captured_stdout() as out:
        callback.on_train_begin()
        for epoch, logs in enumerate(epoch_logs):
            model.epoch = epoch
            callback.on_epoch_begin(epoch)
            for batch, blogs in enumerate(batch_logs[epoch] if batch_logs else []):
                callback.on_train_batch_begin(batch)
                callback.on_train_batch_end(batch, dict(blogs))
            logs = dict(logs)
            callback.on_epoch_end(epoch, logs)
            logs_seen.append(logs)
            ran += 1
            if model.stop_training:
                break
        callback.on_train_end()
    return {"epochs_run": ran, "stdout": out.getvalue(), "restored": model.restored,
            "saved": list(model.saved), "logs": logs_seen}
