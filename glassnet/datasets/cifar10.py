"""CIFAR-10, as ``keras.datasets.cifar10``: 50,000 training and 10,000 test 32x32 colour
images in 10 classes, uint8 pixels and uint8 labels of shape ``(n, 1)``.

Labels: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship,
9 truck.  Read from the original ``cifar-10-python.tar.gz`` (A. Krizhevsky, University of
Toronto) kept whole in the cache: the six batches are read straight out of the archive, so
nothing is unpacked onto the disk and the archive's digest covers everything that is read.
Each batch is a pickled dict; it is read with ``safe_pickle.ArrayUnpickler``, which builds
NumPy arrays and plain data and refuses anything else.

Example:
    >>> from glassnet.datasets import cifar10
    >>> (x_train, y_train), (x_test, y_test) = cifar10.load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train.shape  # doctest: +SKIP
    ((50000, 32, 32, 3), (50000, 1))
"""

from __future__ import annotations

import io
import tarfile

import numpy as np

from glassnet.backend import image_data_format
from glassnet.datasets import download
from glassnet.datasets.safe_pickle import load_pickle

FOLDER = "cifar-10-batches-py"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"


def parse_batch(data: bytes, name: str = "batch") -> tuple[np.ndarray, np.ndarray]:
    """One pickled CIFAR batch: images ``(n, 3, 32, 32)`` uint8 and labels ``(n,)`` uint8.

    Example:
        >>> images, labels = parse_batch(open("data_batch_1", "rb").read())  # doctest: +SKIP
    """
    batch = load_pickle(io.BytesIO(data), encoding="bytes")
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise ValueError(f"CIFAR {name} should be a dict with b'data' and b'labels'. Received: "
                         f"{type(batch).__name__} with keys "
                         f"{sorted(batch) if isinstance(batch, dict) else []}")
    images, labels = batch[b"data"], np.asarray(batch[b"labels"])
    if (not isinstance(images, np.ndarray) or images.dtype != np.uint8
            or images.ndim != 2 or images.shape[1] != 3 * 32 * 32):
        raise ValueError(f"CIFAR {name}: b'data' should be a uint8 array of shape (n, 3072). "
                         f"Received: {getattr(images, 'dtype', type(images).__name__)} "
                         f"{getattr(images, 'shape', '')}")
    if labels.shape != (len(images),):
        raise ValueError(f"CIFAR {name}: {len(images)} images but labels of shape "
                         f"{labels.shape}.")
    # Each row is the red plane, then green, then blue, each 32x32 in row-major order.
    return images.reshape(-1, 3, 32, 32), labels.astype(np.uint8)


def read_archive(path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The six batches of ``cifar-10-python.tar.gz``, by name, in one pass over the archive.

    Example:
        >>> sorted(read_archive("cifar-10-python.tar.gz"))[-1]  # doctest: +SKIP
        'test_batch'
    """
    wanted = {f"{FOLDER}/{name}": name for name in TRAIN_BATCHES + (TEST_BATCH,)}
    batches = {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            name = wanted.get(member.name)
            if name is not None and member.isfile():
                batches[name] = parse_batch(archive.extractfile(member).read(), name)
    missing = [name for name in wanted.values() if name not in batches]
    if missing:
        raise ValueError(f"{path} lacks the CIFAR-10 batches {', '.join(missing)} (expected "
                         f"under {FOLDER}/).")
    return batches


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load CIFAR-10: ``(x_train, y_train), (x_test, y_test)``.

    Returns:
        ``x_train`` uint8 ``(50000, 32, 32, 3)``, ``y_train`` uint8 ``(50000, 1)``,
        ``x_test`` uint8 ``(10000, 32, 32, 3)``, ``y_test`` uint8 ``(10000, 1)``; images are
        ``(n, 3, 32, 32)`` when the image data format is ``"channels_first"``.

    Example:
        >>> _, (x_test, y_test) = load_data()  # doctest: +SKIP
        >>> y_test[:3, 0]  # doctest: +SKIP
        array([3, 8, 8], dtype=uint8)
    """
    batches = read_archive(download.fetch("cifar-10-python.tar.gz"))
    x_train = np.concatenate([batches[name][0] for name in TRAIN_BATCHES])
    y_train = np.concatenate([batches[name][1] for name in TRAIN_BATCHES]).reshape(-1, 1)
    x_test, y_test = batches[TEST_BATCH]
    y_test = y_test.reshape(-1, 1)
    if image_data_format() == "channels_last":
        # A contiguous copy: Keras returns a transposed view, same values, slower to read.
        x_train = np.ascontiguousarray(x_train.transpose(0, 2, 3, 1))
        x_test = np.ascontiguousarray(x_test.transpose(0, 2, 3, 1))
    return (x_train, y_train), (x_test, y_test)
