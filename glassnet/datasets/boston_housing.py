"""Boston housing prices, as ``keras.datasets.boston_housing``: 506 samples of 13 features
(float64) with the median house value in k$ as target (float64).

The data has an ethical problem: one feature ("B") encodes the proportion of Black residents
by a formula that presumes racial self-segregation raises prices.  Keras and scikit-learn
advise against using it except to discuss that problem.

Example:
    >>> from glassnet.datasets import boston_housing
    >>> (x_train, y_train), (x_test, y_test) = boston_housing.load_data()  # doctest: +SKIP
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((404, 13), (102, 13))
"""

from __future__ import annotations

import numpy as np

from glassnet.datasets import download
from glassnet.datasets.sequences import shuffled


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113,
              ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load Boston housing: ``(x_train, y_train), (x_test, y_test)``, shuffled with ``seed``,
    the last ``test_split`` of the samples for testing.

    Example:
        >>> (x_train, y_train), _ = load_data(test_split=0.1)  # doctest: +SKIP
        >>> y_train.dtype  # doctest: +SKIP
        dtype('float64')
    """
    if not 0 <= test_split < 1:
        raise ValueError("boston_housing.load_data: `test_split` must be at least 0 and less "
                         f"than 1. Received: test_split={test_split}")
    with np.load(download.fetch("boston_housing.npz", path), allow_pickle=False) as arrays:
        x, y = arrays["x"], arrays["y"]
    x, y = shuffled(np.random.RandomState(seed), x, y)
    split = int(len(x) * (1 - test_split))
    return (x[:split], y[:split]), (x[split:], y[split:])
