"""Global settings, as in ``keras.backend`` / ``keras.config``: float type, epsilon, and
``clear_session`` (which restarts automatic layer names).

Example:
    >>> from glassnet import backend
    >>> backend.floatx(), backend.epsilon()
    ('float32', 1e-07)
"""

from __future__ import annotations

import numpy as np

from glassnet.utils.naming import reset_names


class _Settings:
    floatx = "float32"
    epsilon = 1e-7
    image_data_format = "channels_last"


def floatx() -> str:
    return _Settings.floatx


def set_floatx(value: str) -> None:
    if value not in ("float16", "float32", "float64"):
        raise ValueError(f"Unknown floatx type: {value!r}. Expected 'float16', 'float32' or "
                         "'float64'.")
    _Settings.floatx = value


def epsilon() -> float:
    return _Settings.epsilon


def set_epsilon(value: float) -> None:
    _Settings.epsilon = float(value)


def image_data_format() -> str:
    return _Settings.image_data_format


def set_image_data_format(value: str) -> None:
    if value not in ("channels_last", "channels_first"):
        raise ValueError("image_data_format must be 'channels_last' or 'channels_first'; "
                         f"received {value!r}.")
    _Settings.image_data_format = value


def backend() -> str:
    """The computation backend: always 'numpy' in glassnet."""
    return "numpy"


def clear_session(free_memory: bool = True) -> None:
    """Forget automatic layer names so the next Dense is 'dense' again."""
    reset_names()


def int_shape(x) -> tuple:
    """The static shape of a tensor or symbolic tensor as a tuple."""
    return tuple(x.shape)


def get_value(x):
    """The value of a variable or tensor as NumPy."""
    return np.asarray(x.data if hasattr(x, "data") else x)


def set_value(x, value) -> None:
    x.assign(value)


def count_params(x) -> int:
    return int(np.prod(x.shape))
