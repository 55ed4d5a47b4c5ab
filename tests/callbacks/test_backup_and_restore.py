"""BackupAndRestore: a fit that crashes and is started again with the same callback ends
with exactly the weights of a fit that never crashed."""

from __future__ import annotations

import os

import numpy as np
import pytest

import glassnet
from glassnet.callbacks import BackupAndRestore, Callback


class Crash(Callback):
    def __init__(self, at_epoch: int):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt("power cut")


def _data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(48, 4)).astype("float32")
    return x, (x[:, 0] - x[:, 1] > 0).astype("int64")


def _model():
    model = glassnet.Sequential([glassnet.layers.Input((4,)),
                                 glassnet.layers.Dense(8, activation="relu"),
                                 glassnet.layers.Dropout(0.25),
                                 glassnet.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_crashed_fit_resumes_exactly(tmp_path):
    x, y = _data()
    glassnet.utils.set_random_seed(7)
    reference = _model()
    reference.fit(x, y, epochs=5, batch_size=8, verbose=0)

    backup_dir = str(tmp_path / "backup")
    glassnet.utils.set_random_seed(7)
    model = _model()
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=5, batch_size=8, verbose=0,
                  callbacks=[BackupAndRestore(backup_dir), Crash(at_epoch=3)])
    assert os.path.exists(os.path.join(backup_dir, "latest.keras"))

    glassnet.utils.set_random_seed(99)  # a new process would not share the old state
    resumed = _model()
    history = resumed.fit(x, y, epochs=5, batch_size=8, verbose=0,
                          callbacks=[BackupAndRestore(backup_dir)])
    assert history.epoch == [3, 4]
    for ours, theirs in zip(resumed.get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(ours, theirs)
    assert not os.path.exists(backup_dir)


def test_unbuilt_model_is_refused(tmp_path):
    model = glassnet.Sequential([glassnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="must be built"):
        model.fit(np.zeros((2, 3)), np.zeros((2, 1)), verbose=0,
                  callbacks=[BackupAndRestore(str(tmp_path / "b"))])
