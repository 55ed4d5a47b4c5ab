"""The one error a model or weights file that cannot be trusted raises.

Example:
    >>> try:
    ...     load_model("broken.keras")
    ... except ModelFileError as error:
    ...     print(error)
    'broken.keras' is not a glassnet model file: the zip archive is truncated ...
"""

from __future__ import annotations


class ModelFileError(ValueError):
    """A model or weights file is damaged, inconsistent or names something not allowed.

    Loading stops before anything from the file is used: no code runs, nothing is written,
    and a model being loaded into is left as it was.

    Example:
        >>> raise ModelFileError("'m.keras': unknown layer class 'Evil'.")
        Traceback (most recent call last):
        ModelFileError: 'm.keras': unknown layer class 'Evil'.
    """
