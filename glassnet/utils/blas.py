"""How many threads NumPy's BLAS (OpenBLAS) uses, changed at run time.

Small matrix products (an MLP at batch 32) run faster on one thread, and on a busy machine
a second BLAS thread that has to wait for a core can make them many times slower; large
convolutions gain from all cores.  Data-parallel training runs one process per core, each
with one BLAS thread.

Example:
    >>> from glassnet.utils import blas
    >>> with blas.threads(1):
    ...     model.fit(x, y)
"""

from __future__ import annotations

import contextlib
import ctypes
import re

_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
            "openblas_set_num_threads64_", "openblas_set_num_threads")
_GETTERS = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
            "openblas_get_num_threads64_", "openblas_get_num_threads")


class _Library:
    handle = None
    searched = False


def _library():
    """The OpenBLAS library NumPy loaded (found in this process's memory map), or None."""
    if not _Library.searched:
        _Library.searched = True
        import numpy  # noqa: F401 - make sure BLAS is loaded
        try:
            with open("/proc/self/maps") as maps:
                paths = sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", maps.read())))
        except OSError:
            paths = []
        for path in paths:
            try:
                library = ctypes.CDLL(path)
            except OSError:
                continue
            if any(hasattr(library, name) for name in _SETTERS):
                _Library.handle = library
                break
    return _Library.handle


def _function(names):
    library = _library()
    if library is None:
        return None
    for name in names:
        if hasattr(library, name):
            return getattr(library, name)
    return None


def get_num_threads() -> int | None:
    """BLAS threads in use, or None when the BLAS library is not OpenBLAS."""
    getter = _function(_GETTERS)
    return None if getter is None else int(getter())


def set_num_threads(count: int) -> bool:
    """Use ``count`` BLAS threads from now on; returns False when it cannot be changed."""
    if not isinstance(count, int) or count < 1:
        raise ValueError(f"set_num_threads expects a positive integer; received {count!r}.")
    setter = _function(_SETTERS)
    if setter is None:
        return False
    setter(ctypes.c_int(count))
    return True


@contextlib.contextmanager
def threads(count: int):
    """Run the block with ``count`` BLAS threads, then restore the previous number."""
    previous = get_num_threads()
    set_num_threads(count)
    try:
        yield
    finally:
        if previous is not None:
            set_num_threads(previous)
