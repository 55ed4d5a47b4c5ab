"""The training run of the exact-resume test, runnable in a fresh process.

``python -m tests.saving.resume_run <model.keras> <out.npz> <initial_epoch>`` loads
the model, continues fitting to ``EPOCHS`` and writes the final weights.
"""

from __future__ import annotations

import sys

import numpy as np

import glassnet

EPOCHS = 4
SEED = 21


def data():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(90, 5)).astype("float32")
    y = (x[:, 0] * x[:, 1] + x[:, 2] > 0).astype("int64")
    return x, y


def build():
    from glassnet.layers.normalization.batch_normalization import BatchNormalization

    schedule = glassnet.optimizers.schedules.ExponentialDecay(0.02, decay_steps=5,
                                                             decay_rate=0.8)
    model = glassnet.Sequential([
        glassnet.layers.Input((5,)),
        glassnet.layers.Dense(16, activation="relu"),
        BatchNormalization(),
        glassnet.layers.Dropout(0.3),
        glassnet.layers.Dense(8, activation="tanh"),
        glassnet.layers.Dropout(0.2, seed=7),
        glassnet.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=glassnet.optimizers.Adam(schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def fit(model, epochs, initial_epoch=0, callbacks=None):
    x, y = data()
    return model.fit(x, y, batch_size=16, epochs=epochs, initial_epoch=initial_epoch,
                     validation_split=0.2, shuffle=True, verbose=0, callbacks=callbacks)


def weights_dict(model) -> dict:
    return {str(i): w for i, w in enumerate(model.get_weights())}


def main(argv) -> None:
    path, out, initial_epoch = argv
    model = glassnet.models.load_model(path)
    history = fit(model, EPOCHS, initial_epoch=int(initial_epoch))
    np.savez(out, **weights_dict(model), loss=np.array(history.history["loss"]))


if __name__ == "__main__":
    main(sys.argv[1:])
