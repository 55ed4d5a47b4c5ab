"""Read the pickled parts of dataset files without letting the file run code.

A pickle is a small program: its GLOBAL opcodes name any importable callable and REDUCE calls
it, so ``pickle.load`` on an untrusted file can run anything.  Two dataset formats still hold
pickles: Keras's IMDB and Reuters ``.npz`` files keep their ragged sequences as ``object``
arrays (NumPy stores those as a pickle of Python lists), and CIFAR-10's batches are pickled
dicts holding one uint8 array each.

``ArrayUnpickler`` resolves exactly four names, the ones NumPy needs to rebuild an array:
``numpy.ndarray``, ``numpy.dtype`` and ``_reconstruct`` under its NumPy 1 and NumPy 2 module
names.  Everything else a dataset pickle holds (dicts, lists, tuples, str, bytes, int, float,
bool, None) is built by opcodes that call nothing.  Any other name, ``os.system`` or
``builtins.eval`` included, stops the load with ``pickle.UnpicklingError``.  Arrays without
objects are read by NumPy with ``allow_pickle=False``.

Example:
    >>> arrays = load_npz("imdb.npz")  # doctest: +SKIP
    >>> arrays["x_train"].dtype  # doctest: +SKIP
    dtype('O')
"""

from __future__ import annotations

import io
import os
import pickle
import zipfile

import numpy as np

# The function NumPy's pickles name to rebuild an array, taken from NumPy itself so that no
# private module path is imported here.
_reconstruct = np.zeros(1).__reduce__()[0]
_ALLOWED = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
}


class ArrayUnpickler(pickle.Unpickler):
    """An unpickler that builds plain data and NumPy arrays and refuses every other global.

    Example:
        >>> import io, pickle
        >>> ArrayUnpickler(io.BytesIO(pickle.dumps({"a": [1, 2]}))).load()
        {'a': [1, 2]}
    """

    def find_class(self, module: str, name: str):
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"A dataset file asks to load {module}.{name}; only NumPy arrays and plain "
                "data (dict, list, str, bytes, numbers) are read from dataset files, so the "
                "file was refused. It is corrupt or was not made by the dataset's authors."
            ) from None


def load_pickle(stream, encoding: str = "ASCII"):
    """Unpickle ``stream`` with ``ArrayUnpickler``.  ``encoding="bytes"`` reads Python 2
    pickles (CIFAR's) with their ``str`` values as ``bytes``.

    Example:
        >>> import io, pickle
        >>> load_pickle(io.BytesIO(pickle.dumps([1, "a"])))
        [1, 'a']
    """
    return ArrayUnpickler(stream, encoding=encoding).load()


def read_npy(stream) -> np.ndarray:
    """One ``.npy`` stream: plain arrays with ``allow_pickle=False``, object arrays through
    ``ArrayUnpickler``.

    Example:
        >>> import io
        >>> buffer = io.BytesIO(); np.save(buffer, np.arange(3)); _ = buffer.seek(0)
        >>> read_npy(buffer)
        array([0, 1, 2])
    """
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
    elif version in ((2, 0), (3, 0)):
        # Version 3.0 differs from 2.0 only in the header's text encoding (UTF-8 instead of
        # latin-1); the layout read here is the same.
        shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
    else:
        raise ValueError(f"Unsupported .npy format version {version}; expected 1.0, 2.0 or "
                         "3.0.")
    if not dtype.hasobject:
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)
    # NumPy writes an object array as the pickle of the whole array right after the header.
    array = load_pickle(stream, encoding="latin1")
    if not isinstance(array, np.ndarray) or array.shape != shape:
        raise ValueError(f"An object array in a .npy stream should have shape {shape}; the "
                         f"pickle held {type(array).__name__} "
                         f"{getattr(array, 'shape', '')}.")
    return array


def load_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` file, by name, read with ``read_npy``.

    Example:
        >>> arrays = load_npz("reuters.npz")  # doctest: +SKIP
        >>> sorted(arrays)  # doctest: +SKIP
        ['x', 'y']
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".npy"):
                with archive.open(name) as member:
                    arrays[name[:-len(".npy")]] = read_npy(io.BytesIO(member.read()))
    return arrays
