"""ModelCheckpoint against Keras 3: which epochs and batches it saves, under which file
names, and the exact lines it prints; then real checkpoints written during glassnet's fit."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

import glassnet
from glassnet.callbacks import ModelCheckpoint
from tests.callbacks.drive import StandInModel, run_epochs, working_directory

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VAL_LOSS = [0.355664, 0.36, 0.3012, 0.3012, 0.2999, 0.41]
VAL_ACC = [0.5, 0.61, 0.6, 0.7, 0.7, 0.65]

SCENARIOS = [
    ({"filepath": "./model/{epoch:02d}-{val_loss:.4f}.keras", "monitor": "val_loss",
      "verbose": 1, "save_best_only": True}),
    ({"filepath": "./model/{epoch:02d}-{val_loss:.4f}.keras", "verbose": 1}),
    ({"filepath": "best.keras", "monitor": "val_accuracy", "mode": "max", "verbose": 1,
      "save_best_only": True}),
    ({"filepath": "ckpt/e{epoch}.weights.h5", "save_weights_only": True, "verbose": 1,
      "save_best_only": True, "initial_value_threshold": 0.33}),
    ({"filepath": "out/{epoch:03d}-{val_accuracy:.2f}.keras", "monitor": "val_accuracy",
      "mode": "min", "save_best_only": True, "verbose": 1, "initial_value_threshold": 0.55}),
    ({"filepath": "q.keras", "monitor": "val_loss", "min_delta": 0, "save_best_only": False}),
    ({"filepath": "b/{epoch}-{batch}.keras", "save_freq": 3, "verbose": 1}),
    ({"filepath": "c/{epoch}-{batch}-{loss:.3f}.keras", "save_freq": 5, "verbose": 1}),
]


def _epoch_logs():
    return [{"loss": 1.0 / (i + 1), "val_loss": v, "val_accuracy": a}
            for i, (v, a) in enumerate(zip(VAL_LOSS, VAL_ACC))]


def _batch_logs():
    return [[{"loss": 2.0 - 0.1 * b - 0.3 * e} for b in range(4)] for e in range(len(VAL_LOSS))]


@pytest.mark.parametrize("config", SCENARIOS)
def test_saves_and_messages_match_keras(keras, tmp_path, config):
    config = {k: v for k, v in config.items() if k != "min_delta"}
    batches = _batch_logs() if "save_freq" in config else None
    results = {}
    for name, module in (("keras", keras.callbacks), ("glassnet", glassnet.callbacks)):
        with working_directory(tmp_path / name):
            callback = module.ModelCheckpoint(**config)
            results[name] = run_epochs(callback, StandInModel(), _epoch_logs(), batches)
            results[name]["files"] = sorted(
                os.path.relpath(os.path.join(root, f), tmp_path / name)
                for root, _, files in os.walk(tmp_path / name) for f in files)
    ours, theirs = results["glassnet"], results["keras"]
    assert ours["saved"] == theirs["saved"]
    assert ours["stdout"] == theirs["stdout"]
    assert ours["files"] == theirs["files"]


def test_first_message_line_is_keras_3(keras, tmp_path):
    """The line learners see first (Keras 3 prints the initial best as None)."""
    with working_directory(tmp_path):
        result = run_epochs(ModelCheckpoint("./model/{epoch:02d}-{val_loss:.4f}.keras",
                                            verbose=1, save_best_only=True),
                            StandInModel(), _epoch_logs()[:2])
    assert result["stdout"].splitlines()[1] == (
        "Epoch 1: val_loss improved from None to 0.35566, saving model to "
        "./model/01-0.3557.keras")
    assert "Epoch 2: val_loss did not improve from 0.35566" in result["stdout"].splitlines()


def test_best_only_every_n_batches(tmp_path):
    """Keras 3 fails with a TypeError here (its comparison is set up at the first epoch
    end); glassnet compares batch losses from the first save on."""
    with working_directory(tmp_path):
        callback = ModelCheckpoint("c/{epoch}-{batch}.keras", save_freq=2, monitor="loss",
                                   save_best_only=True, verbose=1)
        batches = [[{"loss": v} for v in (2.0, 1.5, 1.7, 1.6)],
                   [{"loss": v} for v in (1.2, 1.4, 1.0, 1.1)]]
        result = run_epochs(callback, StandInModel(), [{"loss": 1.6}, {"loss": 1.1}], batches)
    assert [p for _, p in result["saved"]] == ["c/1-2.keras", "c/2-2.keras", "c/2-4.keras"]
    assert "Epoch 1: loss did not improve from 1.50000" in result["stdout"]


def test_bad_save_freq_and_missing_keys_fail_like_keras(keras, tmp_path):
    for module in (keras.callbacks, glassnet.callbacks):
        with pytest.raises(ValueError, match="Unrecognized save_freq"):
            module.ModelCheckpoint("x.keras", save_freq="batch")
    with working_directory(tmp_path):
        callback = ModelCheckpoint("{epoch}-{val_nope:.2f}.keras")
        with pytest.raises(KeyError, match="Failed to format this callback filepath"):
            run_epochs(callback, StandInModel(), _epoch_logs()[:1])


def _tiny_data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = (x[:, :2].sum(1) > 0).astype("float32")[:, None]
    return x, y


def _tiny_model():
    model = glassnet.Sequential([glassnet.layers.Input((4,)),
                                 glassnet.layers.Dense(6, activation="relu"),
                                 glassnet.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_checkpoints_during_fit_are_loadable_and_printed_as_keras(keras, tmp_path, capsys):
    """Real files from fit; the printed lines equal Keras's for the same epoch logs."""
    glassnet.utils.set_random_seed(0)
    x, y = _tiny_data()
    model = _tiny_model()
    path = "./model/{epoch:02d}-{val_loss:.4f}.keras"
    with working_directory(tmp_path / "glassnet"):
        history = model.fit(x, y, epochs=4, validation_split=0.25, verbose=0,
                            callbacks=[ModelCheckpoint(path, verbose=1, save_best_only=True)])
        printed = capsys.readouterr().out
        files = sorted(os.listdir("model"))
        last = os.path.join("model", files[-1])
        restored = glassnet.models.load_model(last)
    logs = [{k: v[i] for k, v in history.history.items()} for i in range(4)]
    with working_directory(tmp_path / "keras"):
        replay = run_epochs(keras.callbacks.ModelCheckpoint(path, verbose=1,
                                                            save_best_only=True),
                            StandInModel(), logs)
    assert printed == replay["stdout"]
    assert files == sorted(os.path.basename(p) for _, p in replay["saved"])
    assert restored.count_params() == model.count_params()
    # The last checkpoint is the last improvement, loadable and evaluating to its val_loss.
    best = min(range(4), key=lambda i: history.history["val_loss"][i])
    assert files[-1].startswith(f"{best + 1:02d}-")
    assert restored.evaluate(x[30:], y[30:], verbose=0)[0] == pytest.approx(
        history.history["val_loss"][best], rel=1e-5)


def test_hdf5_names_are_accepted_with_one_warning(tmp_path):
    glassnet.utils.set_random_seed(0)
    x, y = _tiny_data()
    model = _tiny_model()
    from glassnet.saving import model_io
    model_io._warned_extensions.discard(".hdf5")
    with working_directory(tmp_path):
        with pytest.warns(UserWarning, match="HDF5 is not used") as caught:
            model.fit(x, y, epochs=3, verbose=0, validation_split=0.25, callbacks=[
                ModelCheckpoint("./model/{epoch:02d}-{val_loss:.4f}.hdf5")])
        files = sorted(os.listdir("model"))
        assert len(files) == 3 and all(f.endswith(".hdf5") for f in files)
        assert sum("HDF5" in str(w.message) for w in caught) == 1
        loaded = glassnet.models.load_model(os.path.join("model", files[-1]))
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_weights_only_checkpoint_any_name(tmp_path):
    glassnet.utils.set_random_seed(0)
    x, y = _tiny_data()
    model = _tiny_model()
    with working_directory(tmp_path), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model.fit(x, y, epochs=2, verbose=0, callbacks=[
            ModelCheckpoint("w/{epoch}.weights.h5", save_weights_only=True, monitor="loss")])
        fresh = _tiny_model()
        fresh.load_weights("w/2.weights.h5")
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
