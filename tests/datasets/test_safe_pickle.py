"""The pickles inside dataset files are read without running code from them."""

from __future__ import annotations

import io
import os
import pickle
import zipfile

import numpy as np
import pytest

from glassnet.datasets import cifar10
from glassnet.datasets.safe_pickle import load_npz, load_pickle, read_npy

from tests.datasets import makers


class _RunsCommand:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _object_npy(payload: bytes) -> bytes:
    """An .npy stream that declares an object array and holds ``payload`` as its pickle."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": "|O", "fortran_order": False, "shape": (1,)})
    return buffer.getvalue() + payload


def test_pickle_that_calls_a_function_is_refused(tmp_path):
    marker = tmp_path / "ran"
    payload = pickle.dumps(_RunsCommand(marker), protocol=2)
    with pytest.raises(pickle.UnpicklingError, match=r"posix.system|os.system"):
        load_pickle(io.BytesIO(payload))
    with pytest.raises(pickle.UnpicklingError):
        cifar10.parse_batch(payload)
    npz = tmp_path / "evil.npz"
    with zipfile.ZipFile(npz, "w") as archive:
        archive.writestr("x_train.npy", _object_npy(pickle.dumps(_RunsCommand(marker))))
    with pytest.raises(pickle.UnpicklingError):
        load_npz(npz)
    assert not marker.exists()


@pytest.mark.parametrize("name", ["builtins\neval", "subprocess\nPopen", "numpy\nload"])
def test_only_numpy_array_globals_are_resolved(name):
    payload = b"\x80\x02c" + name.encode() + b"\n."
    with pytest.raises(pickle.UnpicklingError, match="only NumPy arrays and plain data"):
        load_pickle(io.BytesIO(payload))


def test_object_arrays_of_lists_are_rebuilt(tmp_path):
    sequences = makers.ragged(np.random.default_rng(0), 6, 20, 9)
    path = tmp_path / "text.npz"
    path.write_bytes(makers.npz_bytes(x=sequences, y=np.arange(6)))
    arrays = load_npz(path)
    assert arrays["x"].dtype == object and arrays["x"].shape == (6,)
    assert [list(s) for s in arrays["x"]] == [list(s) for s in sequences]
    np.testing.assert_array_equal(arrays["y"], np.arange(6))


def test_numeric_arrays_never_reach_the_unpickler(monkeypatch):
    import glassnet.datasets.safe_pickle as safe_pickle

    def refuse(*args, **kwargs):
        raise AssertionError("a numeric array was unpickled")
    monkeypatch.setattr(safe_pickle, "load_pickle", refuse)
    buffer = io.BytesIO()
    np.save(buffer, np.arange(5.0))
    buffer.seek(0)
    np.testing.assert_array_equal(read_npy(buffer), np.arange(5.0))


def test_python2_cifar_batch_with_numpy1_names_is_read():
    stream, batch = makers.cifar_batch(np.random.default_rng(1), 3, b"training batch 1 of 5")
    assert b"cnumpy.core.multiarray\n_reconstruct\n" in stream  # as the real batches name it
    images, labels = cifar10.parse_batch(stream)
    np.testing.assert_array_equal(images.reshape(3, -1), batch[b"data"])
    assert labels.tolist() == batch[b"labels"] and labels.dtype == np.uint8


def test_batch_that_is_not_a_cifar_dict_is_refused():
    with pytest.raises(ValueError, match=r"should be a dict with b'data' and b'labels'"):
        cifar10.parse_batch(makers.py2_pickle([1, 2, 3]))
    bad = makers.py2_pickle({b"data": np.zeros((2, 5), np.uint8), b"labels": [0, 1]})
    with pytest.raises(ValueError, match=r"shape \(n, 3072\). Received: uint8 \(2, 5\)"):
        cifar10.parse_batch(bad)
