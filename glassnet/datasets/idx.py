"""IDX, the file format of MNIST and Fashion-MNIST, read from its gzip-compressed files.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of dimensions),
one big-endian uint32 per dimension, then the values in C order.  Both datasets use type
0x08 (unsigned byte): images are ``(n, 28, 28)``, labels ``(n,)``.

Example:
    >>> images = read_idx_gz("train-images-idx3-ubyte.gz")  # doctest: +SKIP
    >>> images.shape, images.dtype  # doctest: +SKIP
    ((60000, 28, 28), dtype('uint8'))
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import numpy as np

_UNSIGNED_BYTE = 0x08


def parse_idx(data: bytes, name: str = "IDX data", ndim: int | None = None) -> np.ndarray:
    """Decode the bytes of one (uncompressed) IDX file into a writable uint8 array.

    Example:
        >>> parse_idx(bytes([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]))
        array([7, 9], dtype=uint8)
    """
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{name} is not an IDX file: it should start with two zero bytes. "
                         f"Received first bytes: {data[:4].hex()}")
    if data[2] != _UNSIGNED_BYTE:
        raise ValueError(f"{name}: expected IDX type code 0x08 (unsigned byte). Received: "
                         f"0x{data[2]:02x}")
    dims = data[3]
    if ndim is not None and dims != ndim:
        raise ValueError(f"{name}: expected an IDX file with {ndim} dimensions. Received: "
                         f"{dims}")
    header = 4 + 4 * dims
    if len(data) < header:
        raise ValueError(f"{name} ends inside its header ({len(data)} bytes).")
    shape = struct.unpack(f">{dims}I", data[4:header])
    expected = int(np.prod(shape, dtype=np.int64))
    if len(data) - header != expected:
        raise ValueError(f"{name}: a shape of {shape} needs {expected} bytes after the header. "
                         f"Received: {len(data) - header}")
    # bytearray makes the array writable, as Keras's arrays from np.load are.
    return np.frombuffer(bytearray(data[header:]), dtype=np.uint8).reshape(shape)


def read_idx_gz(path: str | os.PathLike, ndim: int | None = None) -> np.ndarray:
    """Read a gzip-compressed IDX file (``*-idx3-ubyte.gz``, ``*-idx1-ubyte.gz``).

    Example:
        >>> labels = read_idx_gz("t10k-labels-idx1-ubyte.gz", ndim=1)  # doctest: +SKIP
        >>> labels.shape  # doctest: +SKIP
        (10000,)
    """
    try:
        with gzip.open(path, "rb") as stream:
            data = stream.read()
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(f"{path} is not a complete gzip file: {error}") from error
    return parse_idx(data, name=os.fspath(path), ndim=ndim)


def read_idx_split(images_path, labels_path) -> tuple[np.ndarray, np.ndarray]:
    """Images ``(n, rows, cols)`` and labels ``(n,)`` from two IDX gz files, checked to agree.

    Example:
        >>> x, y = read_idx_split("t10k-images-idx3-ubyte.gz",
        ...                       "t10k-labels-idx1-ubyte.gz")  # doctest: +SKIP
    """
    images = read_idx_gz(images_path, ndim=3)
    labels = read_idx_gz(labels_path, ndim=1)
    if len(images) != len(labels):
        raise ValueError(f"{images_path} holds {len(images)} images but {labels_path} holds "
                         f"{len(labels)} labels.")
    return images, labels
