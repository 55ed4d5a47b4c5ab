"""MNIST handwritten digits, as ``keras.datasets.mnist``: 60,000 training and 10,000 test
images of 28x28 uint8 pixels with uint8 labels 0-9.

The full dataset is read from its four original IDX files in ``<cache>/mnist/`` (downloaded
when missing), or from Keras's ``mnist.npz`` when a copy of that is in the cache.  A
stratified subset of 6,000 training and 1,000 test images ships inside glassnet
(``source="bundled"``); with the default ``source="auto"`` it stands in, after a one-line
notice on stderr, when the full dataset is neither cached nor downloadable.

MNIST: Y. LeCun, C. Cortes and C. J. C. Burges, CC BY-SA 3.0 (see ``data/NOTICE.txt``).

Example:
    >>> from glassnet.datasets import mnist
    >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train.dtype  # doctest: +SKIP
    ((60000, 28, 28), dtype('uint8'))
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from glassnet.datasets import download
from glassnet.datasets.idx import read_idx_split

BUNDLED_PATH = Path(__file__).resolve().parent / "data" / "mnist_subset.npz"
SOURCES = ("auto", "full", "bundled")
IDX_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def load_data(path: str = "mnist.npz", source: str = "auto",
              ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST: ``(x_train, y_train), (x_test, y_test)``.

    Args:
        path: Keras's argument: the name, inside the cache folder, of a copy of Keras's
            ``mnist.npz``.  It is read when present and matching Keras's digest; otherwise
            the original IDX files in ``<cache>/mnist/`` are used.
        source: ``"auto"`` (default): the full dataset, or the bundled subset with a notice
            when the full one cannot be had.  ``"full"``: the full dataset or a
            ``DownloadError`` that says where to put the files.  ``"bundled"``: the subset
            shipped with glassnet (6,000 + 1,000 images), without touching the network.

    Returns:
        ``x_train`` uint8 ``(60000, 28, 28)``, ``y_train`` uint8 ``(60000,)``, ``x_test``
        uint8 ``(10000, 28, 28)``, ``y_test`` uint8 ``(10000,)`` (the subset: 6000 / 1000).

    Example:
        >>> (x_train, y_train), _ = load_data(source="bundled")
        >>> x_train.shape
        (6000, 28, 28)
    """
    if source not in SOURCES:
        raise ValueError(f"mnist.load_data: `source` must be one of {', '.join(SOURCES)}. "
                         f"Received: source={source!r}")
    if source == "bundled":
        return load_bundled()
    keras_copy = download.cached("mnist.npz", path)
    if keras_copy is not None:
        return _read_npz(keras_copy)
    try:
        paths = [download.fetch(f"mnist/{name}") for name in IDX_FILES]
    except download.DownloadError as error:
        if source == "full":
            raise
        print(f"glassnet: full MNIST is not in {download.cache_dir() / 'mnist'} and could not "
              f"be downloaded ({error.summary}); using the bundled subset of 6,000 training "
              "and 1,000 test images (mnist.load_data(source='bundled')).",
              file=sys.stderr, flush=True)
        return load_bundled()
    return read_idx_split(paths[0], paths[1]), read_idx_split(paths[2], paths[3])


def load_bundled() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The MNIST subset shipped with glassnet: 6,000 training and 1,000 test images, chosen
    per class in MNIST's own proportions.  ``bundled_indices()`` says which.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_bundled()
        >>> x_test.shape, y_test.shape
        ((1000, 28, 28), (1000,))
    """
    return _read_npz(BUNDLED_PATH)


def bundled_indices() -> tuple[np.ndarray, np.ndarray]:
    """Positions in full MNIST's training and test splits of the bundled images, ascending.

    Example:
        >>> train_indices, test_indices = bundled_indices()
        >>> len(train_indices), len(test_indices)
        (6000, 1000)
    """
    with np.load(BUNDLED_PATH, allow_pickle=False) as arrays:
        return arrays["train_indices"], arrays["test_indices"]


def _read_npz(path):
    with np.load(path, allow_pickle=False) as arrays:
        return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
