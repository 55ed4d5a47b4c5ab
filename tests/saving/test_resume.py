"""Exact resume: training 2 epochs, saving, loading in a fresh process and training 2 more
gives, bit for bit, the weights of 4 uninterrupted epochs with the same seed (shuffling,
unseeded and seeded Dropout, BatchNormalization statistics and a learning-rate schedule all
in play)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

import glassnet
from glassnet.callbacks import ModelCheckpoint
from tests.saving import resume_run

ROOT = Path(__file__).resolve().parents[2]


def _resume_in_fresh_process(path, out, initial_epoch: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-m", "tests.saving.resume_run", str(path), str(out),
                    str(initial_epoch)], cwd=ROOT, env=env, check=True, timeout=300,
                   capture_output=True)
    with np.load(out) as saved:
        return {key: saved[key] for key in saved.files}


def _assert_same(resumed: dict, model, loss_tail) -> None:
    expected = resume_run.weights_dict(model)
    for key, value in expected.items():
        np.testing.assert_array_equal(resumed[key], value, err_msg=f"weight {key}")
    np.testing.assert_array_equal(resumed["loss"], loss_tail)


def test_save_then_resume_in_fresh_process_is_exact(tmp_path):
    glassnet.utils.set_random_seed(resume_run.SEED)
    full = resume_run.build()
    full_history = resume_run.fit(full, resume_run.EPOCHS)

    glassnet.utils.set_random_seed(resume_run.SEED)
    half = resume_run.build()
    resume_run.fit(half, 2)
    half.save(tmp_path / "half.keras")
    # The model saved after 2 epochs is not yet the final one.
    assert not np.array_equal(half.get_weights()[0], full.get_weights()[0])

    resumed = _resume_in_fresh_process(tmp_path / "half.keras", tmp_path / "resumed.npz", 2)
    _assert_same(resumed, full, full_history.history["loss"][2:])


def test_checkpoint_written_during_fit_resumes_exactly(tmp_path):
    glassnet.utils.set_random_seed(resume_run.SEED)
    model = resume_run.build()
    checkpoint = ModelCheckpoint(str(tmp_path / "ckpt-{epoch}.keras"))
    history = resume_run.fit(model, resume_run.EPOCHS, callbacks=[checkpoint])
    resumed = _resume_in_fresh_process(tmp_path / "ckpt-3.keras", tmp_path / "resumed.npz", 3)
    _assert_same(resumed, model, history.history["loss"][3:])
