"""A process killed with SIGKILL in the middle of ``model.save`` (or ``save_weights``) over
an existing file leaves that file loadable, holding either the old or the new model whole.

The child process saves in a loop, each time with every weight set to the loop counter;
the disk is made slow (every write is cut into small pieces with pauses), so most kills
land inside a write.  A writer without the temporary-file-and-rename step, put through the
same kills, leaves broken files: the check does see interrupted writes.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time

import numpy as np
import pytest

import glassnet
from glassnet.saving import ModelFileError, archive

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

KILLS = 8


def _model():
    model = glassnet.Sequential([glassnet.layers.Input((64,)), glassnet.layers.Dense(256),
                                 glassnet.layers.Dense(64)])
    model.compile(optimizer="sgd", loss="mse")
    return model


class SlowFile:
    """A file whose writes go to disk in 16 KiB pieces with a pause after each."""

    def __init__(self, f):
        self.f = f

    def write(self, data):
        view = memoryview(data)
        for start in range(0, len(view), 1 << 14):
            self.f.write(view[start:start + (1 << 14)])
            self.f.flush()
            time.sleep(0.0005)
        return len(data)

    def __getattr__(self, name):
        return getattr(self.f, name)


def _slow_atomic_write(path):
    import contextlib

    @contextlib.contextmanager
    def writer():
        with ORIGINAL_ATOMIC_WRITE(path) as f:
            yield SlowFile(f)
    return writer()


def _naive_write(path):
    import contextlib

    @contextlib.contextmanager
    def writer():
        with open(path, "wb") as f:
            yield SlowFile(f)
    return writer()


ORIGINAL_ATOMIC_WRITE = archive.atomic_write


def _child(path: str, kind: str, naive: bool) -> None:
    """Save forever; never returns (killed by the parent)."""
    from glassnet.saving import model_io
    model_io.atomic_write = _naive_write if naive else _slow_atomic_write
    model = _model()
    shapes = [w.shape for w in model.get_weights()]
    for counter in range(1, 10**9):
        model.set_weights([np.full(s, counter, np.float32) for s in shapes])
        if kind == "model":
            model.save(path)
        else:
            model.save_weights(path)


def _value_in(path: str, kind: str):
    """The counter the file at ``path`` holds, or None if it cannot be loaded."""
    try:
        if kind == "model":
            model = glassnet.models.load_model(path)
        else:
            model = _model()
            model.load_weights(path)
    except ModelFileError:
        return None
    values = np.unique(np.concatenate([w.ravel() for w in model.get_weights()]))
    assert len(values) == 1, f"a mix of two saves: {values[:5]}"
    return float(values[0])


def _kill_during_saves(folder, kind: str, naive: bool) -> list:
    name = "model.keras" if kind == "model" else "model.weights.npz"
    path = str(folder / name)
    _model().save(path) if kind == "model" else _model().save_weights(path)
    results = []
    rng = random.Random(1)
    for _ in range(KILLS):
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:  # the child
            try:
                _child(path, kind, naive)
            finally:
                os._exit(1)
        time.sleep(0.15 + rng.random() * 0.2)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        results.append(_value_in(path, kind))
    return results


@pytest.mark.parametrize("kind", ["model", "weights"])
def test_killed_save_leaves_a_whole_file(tmp_path, kind):
    results = _kill_during_saves(tmp_path, kind, naive=False)
    assert None not in results
    assert results[-1] >= 1  # the children did save new versions
    leftovers = [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
    assert leftovers, "no kill landed inside a write"


def test_the_check_sees_interrupted_writes(tmp_path):
    results = _kill_during_saves(tmp_path, "model", naive=True)
    assert None in results
