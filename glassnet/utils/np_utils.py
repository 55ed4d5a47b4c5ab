"""The old ``keras.utils.np_utils`` module path: ``np_utils.to_categorical(y)``.

Example:
    >>> from glassnet.utils import np_utils
    >>> np_utils.to_categorical([1, 0]).shape
    (2, 2)
"""

from glassnet.utils.numerical_utils import normalize, to_categorical

__all__ = ["to_categorical", "normalize"]
