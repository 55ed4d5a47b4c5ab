"""Small dataset files in each dataset's original format, for the loader tests.

IDX gzip files as MNIST's; ``.npz`` files with the keys, dtypes and object arrays of Keras's
``imdb.npz``, ``reuters.npz``, ``boston_housing.npz`` and ``mnist.npz``; and a
``cifar-10-python.tar.gz`` whose batches are pickled the way Python 2's cPickle wrote the real
ones (``str`` values as BINSTRING opcodes, NumPy globals under their NumPy 1 module names).
"""

from __future__ import annotations

import gzip
import io
import pickle
import struct
import tarfile

import numpy as np


def idx_gz(array: np.ndarray) -> bytes:
    """A gzip-compressed IDX file holding ``array`` (uint8)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return gzip.compress(header + array.tobytes(), mtime=0)


def idx_split_files(rng: np.random.Generator, n_train: int = 30, n_test: int = 12):
    """The four IDX gz files of an MNIST-shaped dataset and the arrays they hold."""
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte.gz": rng.integers(0, 10, n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    return {name: idx_gz(array) for name, array in arrays.items()}, arrays


def npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def ragged(rng: np.random.Generator, count: int, vocabulary: int, longest: int) -> np.ndarray:
    """An object array of Python lists of Python ints, as Keras's text datasets store them;
    frequent words get small indices, as in the real files (ranked from 1)."""
    sequences = np.empty(count, dtype=object)
    for i in range(count):
        length = int(rng.integers(1, longest + 1))
        words = np.minimum(rng.zipf(1.4, length), vocabulary)
        sequences[i] = [int(word) for word in words]
    return sequences


def imdb_npz(rng: np.random.Generator, n_train: int = 40, n_test: int = 30) -> bytes:
    return npz_bytes(x_train=ragged(rng, n_train, 60, 25),
                     y_train=rng.integers(0, 2, n_train).astype(np.int64),
                     x_test=ragged(rng, n_test, 60, 25),
                     y_test=rng.integers(0, 2, n_test).astype(np.int64))


def reuters_npz(rng: np.random.Generator, count: int = 57) -> bytes:
    return npz_bytes(x=ragged(rng, count, 80, 30), y=rng.integers(0, 46, count).astype(np.int64))


def boston_npz(rng: np.random.Generator, count: int = 37) -> bytes:
    return npz_bytes(x=rng.normal(size=(count, 13)) * 10, y=rng.uniform(5, 50, count))


def keras_mnist_npz(arrays: dict) -> bytes:
    return npz_bytes(x_train=arrays["train-images-idx3-ubyte.gz"],
                     y_train=arrays["train-labels-idx1-ubyte.gz"],
                     x_test=arrays["t10k-images-idx3-ubyte.gz"],
                     y_test=arrays["t10k-labels-idx1-ubyte.gz"])


_reconstruct = np.zeros(1).__reduce__()[0]
_PY2_GLOBALS = {
    id(_reconstruct): b"numpy.core.multiarray\n_reconstruct\n",
    id(np.ndarray): b"numpy\nndarray\n",
    id(np.dtype): b"numpy\ndtype\n",
}


class Py2StylePickler(pickle._Pickler):
    """Protocol 2 as Python 2's cPickle wrote it: ``bytes`` and ``str`` become Python 2
    ``str`` (SHORT_BINSTRING / BINSTRING) and NumPy's globals carry their NumPy 1 module
    names."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_str(self, obj: bytes) -> None:
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_py2_str
    # Python 2's str was bytes: the dtype code 'u1' and byte order '|' were written so too.
    dispatch[str] = lambda self, obj: self.save_py2_str(obj.encode("latin1"))

    def save_global(self, obj, name=None) -> None:
        self.write(pickle.GLOBAL + _PY2_GLOBALS[id(obj)])
        self.memoize(obj)


def py2_pickle(obj) -> bytes:
    buffer = io.BytesIO()
    Py2StylePickler(buffer, protocol=2).dump(obj)
    return buffer.getvalue()


def cifar_batch(rng: np.random.Generator, count: int, label: bytes) -> tuple[bytes, dict]:
    data = rng.integers(0, 256, (count, 3072), dtype=np.uint8)
    labels = [int(v) for v in rng.integers(0, 10, count)]
    batch = {b"batch_label": label, b"labels": labels, b"data": data,
             b"filenames": [f"image_{i:05d}.png".encode() for i in range(count)]}
    return py2_pickle(batch), batch


def cifar_archive(rng: np.random.Generator, per_batch: int = 4, test_count: int = 5):
    """A ``cifar-10-python.tar.gz`` with five small training batches, a test batch and the
    metadata file; the pickled files by name; the batch dicts by name."""
    files, batches = {}, {}
    for i in range(1, 6):
        name = f"data_batch_{i}"
        files[name], batches[name] = cifar_batch(rng, per_batch,
                                                 f"training batch {i} of 5".encode())
    files["test_batch"], batches["test_batch"] = cifar_batch(rng, test_count,
                                                             b"testing batch 1 of 1")
    files["batches.meta"] = py2_pickle({b"num_cases_per_batch": per_batch,
                                        b"label_names": [b"airplane", b"automobile"],
                                        b"num_vis": 3072})
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                     "data_batch_5", "test_batch", "batches.meta"):
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(files[name])
            archive.addfile(info, io.BytesIO(files[name]))
    return buffer.getvalue(), files, batches
