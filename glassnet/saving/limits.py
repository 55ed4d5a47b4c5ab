"""Size limits while a model is rebuilt from a file.

A config can ask for any layer size.  While a file is loaded, every weight a layer creates
is counted against the number of values the file's weights hold: a model whose config asks
for more (``Dense(units=2_000_000_000)`` next to a few kilobytes of weights) cannot be the
model the weights belong to, and is refused before the memory is allocated.

Example:
    >>> with weight_budget(1000, "'m.keras'"):
    ...     Dense(10**6).build((None, 4))
    Traceback (most recent call last):
    ModelFileError: 'm.keras': the config asks for more weights than the file holds ...
"""

from __future__ import annotations

import contextlib
import threading

from glassnet.saving.errors import ModelFileError

#: Weights a rebuilt model may create beyond the saved ones (none are expected).
SLACK = 1 << 16
#: Values per sample an ``Input`` of a loaded config may have.
MAX_INPUT_VALUES = 1 << 24

_lock = threading.RLock()


@contextlib.contextmanager
def weight_budget(limit: int, where: str):
    """Refuse layer weights beyond ``limit`` values (plus ``SLACK``) while inside.

    Example:
        >>> with weight_budget(100, "'m.keras'"):
        ...     Dense(5).build((None, 4))    # 25 values: fine
    """
    from glassnet.layers.layer import Layer

    remaining = [int(limit) + SLACK]
    original = Layer.add_weight

    def counted_add_weight(self, shape=None, *args, **kwargs):
        count = 1
        for dim in () if shape is None else shape:
            dim = int(dim)
            if dim < 0:
                raise ModelFileError(f"{where}: layer '{self.name}' asks for a weight of shape "
                                     f"{tuple(shape)}.")
            count *= dim
        remaining[0] -= count
        if remaining[0] < 0:
            raise ModelFileError(
                f"{where}: the config asks for more weights than the file holds (layer "
                f"'{self.name}' wants a weight of shape {tuple(shape)}); the file is "
                "inconsistent.")
        return original(self, shape, *args, **kwargs)

    with _lock:
        Layer.add_weight = counted_add_weight
        try:
            yield
        finally:
            Layer.add_weight = original


def check_input_size(batch_shape, where: str) -> None:
    """Refuse an ``Input`` whose samples would hold more than ``MAX_INPUT_VALUES`` values.

    Example:
        >>> check_input_size((None, 28, 28, 1), "'m.keras'")    # fine
    """
    count = 1
    for dim in batch_shape[1:]:
        if dim is not None:
            count *= int(dim)
    if count > MAX_INPUT_VALUES:
        raise ModelFileError(f"{where}: an Input of shape {tuple(batch_shape)} would hold "
                             f"{count} values per sample, more than {MAX_INPUT_VALUES}.")
