"""Fashion-MNIST, as ``keras.datasets.fashion_mnist``: 60,000 training and 10,000 test
28x28 uint8 images of clothing in 10 classes, uint8 labels.

Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
8 Bag, 9 Ankle boot.  Read from the four original IDX files in ``<cache>/fashion-mnist/``,
downloaded from Keras's storage bucket or Zalando's own host when missing.

Fashion-MNIST: Zalando SE, MIT license.

Example:
    >>> from glassnet.datasets import fashion_mnist
    >>> (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()  # doctest: +SKIP
    >>> x_test.shape  # doctest: +SKIP
    (10000, 28, 28)
"""

from __future__ import annotations

import numpy as np

from glassnet.datasets import download
from glassnet.datasets.idx import read_idx_split
from glassnet.datasets.mnist import IDX_FILES


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load Fashion-MNIST: ``(x_train, y_train), (x_test, y_test)``.

    Returns:
        ``x_train`` uint8 ``(60000, 28, 28)``, ``y_train`` uint8 ``(60000,)``, ``x_test``
        uint8 ``(10000, 28, 28)``, ``y_test`` uint8 ``(10000,)``.

    Example:
        >>> (x_train, y_train), _ = load_data()  # doctest: +SKIP
        >>> int(y_train.max())  # doctest: +SKIP
        9
    """
    paths = [download.fetch(f"fashion-mnist/{name}") for name in IDX_FILES]
    return read_idx_split(paths[0], paths[1]), read_idx_split(paths[2], paths[3])
