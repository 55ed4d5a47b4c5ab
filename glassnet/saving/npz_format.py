"""Flat ``{key: array}`` stores as ``.npz`` bytes, read without pickle and with every header
checked.

Keys are strings such as ``"layers/dense/vars/0"``; each array is one ``<key>.npy`` member,
so ``numpy.load`` opens the files too.  Reading accepts only plain numeric and boolean
arrays (no objects, strings or records) whose data size is exactly what the header
declares, so neither a pickled object nor a lying header gets through.

Example:
    >>> data = npz_bytes({"layers/dense/vars/0": np.ones((2, 3), np.float32)})
    >>> read_npz(data, "'w.npz'")["layers/dense/vars/0"].shape
    (2, 3)
"""

from __future__ import annotations

import io

import numpy as np
from numpy.lib import format as npy

from glassnet.saving.archive import read_zip_bytes, zip_bytes
from glassnet.saving.errors import ModelFileError

#: Array kinds a weights file may hold: booleans, signed and unsigned integers, floats.
ALLOWED_KINDS = "biuf"
MAX_ARRAYS = 200_000


def npz_bytes(arrays: dict) -> bytes:
    """The ``.npz`` archive of ``arrays`` (key -> array), uncompressed, keys in order.

    Example:
        >>> npz_bytes({"0": np.zeros(3)})[:2]
        b'PK'
    """
    members = {}
    for key, array in arrays.items():
        array = np.asarray(array)
        if array.dtype.kind not in ALLOWED_KINDS:
            raise TypeError(f"Only numeric arrays are saved; {key!r} has dtype {array.dtype}.")
        buffer = io.BytesIO()
        npy.write_array(buffer, array, allow_pickle=False)
        members[f"{key}.npy"] = buffer.getvalue()
    return zip_bytes(members)


def _parse_npy(raw: bytes, key: str, where: str) -> np.ndarray:
    stream = io.BytesIO(raw)
    try:
        version = npy.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = npy.read_array_header_1_0(stream, max_header_size=10000)
        elif version == (2, 0):
            shape, fortran, dtype = npy.read_array_header_2_0(stream, max_header_size=10000)
        else:
            raise ValueError(f"unsupported .npy format version {version}")
    except (ValueError, TypeError, SyntaxError, OverflowError, MemoryError) as error:
        raise ModelFileError(f"{where}: array {key!r} has an unreadable header: "
                             f"{error}") from None
    if dtype.hasobject or dtype.fields is not None or dtype.kind not in ALLOWED_KINDS \
            or dtype.subdtype is not None:
        raise ModelFileError(f"{where}: array {key!r} has dtype {dtype}; only numeric arrays "
                             "are read (object arrays would need pickle).")
    count = 1
    for dim in shape:
        count *= int(dim)
    offset = stream.tell()
    if count * dtype.itemsize != len(raw) - offset:
        raise ModelFileError(f"{where}: array {key!r} declares shape {tuple(shape)} of "
                             f"{dtype} ({count * dtype.itemsize} bytes) but holds "
                             f"{len(raw) - offset} bytes.")
    flat = np.frombuffer(raw, dtype=dtype, count=count, offset=offset)
    return flat.reshape(shape, order="F" if fortran else "C").copy(order="C")


def parse_members(members: dict, where: str) -> dict:
    """``{key: array}`` from already read ``<key>.npy`` members (other names refused).

    Example:
        >>> parse_members({"a.npy": npy_bytes}, "'w.npz'")["a"].shape
        (3,)
    """
    for name in members:
        if not name.endswith(".npy"):
            raise ModelFileError(f"{where}: unexpected member {name!r} in a weights archive.")
    return {name[:-4]: _parse_npy(raw, name[:-4], where) for name, raw in members.items()}


def read_npz(data: bytes, where: str) -> dict:
    """``{key: array}`` from ``.npz`` bytes, checked as the module docstring says.

    Example:
        >>> sorted(read_npz(npz_bytes({"b": np.zeros(1), "a": np.ones(1)}), "'x'"))
        ['a', 'b']
    """
    members = read_zip_bytes(data, where, allowed=lambda name: name.endswith(".npy"),
                             max_members=MAX_ARRAYS)
    return parse_members(members, where)
