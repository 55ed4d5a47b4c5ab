"""Datasets, as ``keras.datasets``: each module's ``load_data()`` returns NumPy arrays
``(x_train, y_train), (x_test, y_test)`` with Keras's shapes and dtypes.

Files are cached in ``$GLASSNET_HOME/datasets`` (``~/.glassnet/datasets``), downloaded from
their usual hosts when missing and checked against pinned digests (``download``,
``sources``).  A subset of MNIST ships with glassnet for use without a network.

Example:
    >>> from glassnet.datasets import mnist
    >>> (x_train, y_train), (x_test, y_test) = mnist.load_data(source="bundled")
    >>> x_train.shape, y_test.shape
    ((6000, 28, 28), (1000,))
"""

from glassnet.datasets import (boston_housing, cifar10, download, fashion_mnist, imdb, mnist,
                               reuters, sources)
from glassnet.datasets.download import ChecksumError, DownloadError, cache_dir

__all__ = ["boston_housing", "cifar10", "fashion_mnist", "imdb", "mnist", "reuters",
           "download", "sources", "cache_dir", "DownloadError", "ChecksumError"]
