"""``keras.config``: backend name and global settings.

Example:
    >>> import glassnet
    >>> glassnet.config.backend()
    'numpy'
"""

from glassnet.backend import (backend, epsilon, floatx, image_data_format, set_epsilon,
                              set_floatx, set_image_data_format)


def enable_unsafe_deserialization() -> None:
    """Accepted for compatibility; glassnet model files never contain code to run."""


__all__ = ["backend", "epsilon", "floatx", "image_data_format", "set_epsilon", "set_floatx",
           "set_image_data_format", "enable_unsafe_deserialization"]
