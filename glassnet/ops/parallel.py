"""Running an op's chunks of work on all cores, with single-threaded BLAS inside each.

A convolution is many small GEMMs (one per cache-sized chunk of the batch) surrounded by
copies and elementwise work.  Multi-threaded OpenBLAS parallelizes only the GEMMs, pays a
thread hand-off per call and, when other processes share the cores, its spinning threads
slow small GEMMs down many times over.  So the ops here hand whole chunks to a small pool
of Python threads instead (NumPy and BLAS release the GIL while they work), with OpenBLAS
limited to one thread meanwhile.  The number of workers is the number of threads BLAS was
allowed, so ``OPENBLAS_NUM_THREADS=1`` or ``threadpoolctl.threadpool_limits(1)`` keeps
everything on one core.

The OpenBLAS that NumPy's wheels ship is found by its file name; with another BLAS
(MKL, Accelerate) ``blas_threads`` does nothing and the chunks run one after another.

Example:
    >>> with single_threaded_blas() as workers:
    ...     run_chunks(lambda chunk, worker: print(chunk), [(0, 4), (4, 8)], workers)
    >>> with limit_threads(1):  # everything on one core
    ...     model.fit(x, y)
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

_SYMBOLS = [("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
            ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
            ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
            ("openblas_get_num_threads", "openblas_set_num_threads")]


class _State:
    functions = None  # (get, set) once looked up; () when there is no OpenBLAS to control
    pool = None
    pool_size = 0
    lock = threading.Lock()
    depth = 0  # nesting of single_threaded_blas blocks (only the outermost changes BLAS)
    workers = 1


def _openblas():
    """(get_num_threads, set_num_threads) of NumPy's OpenBLAS, or () if not found."""
    if _State.functions is not None:
        return _State.functions
    _State.functions = ()
    root = os.path.dirname(np.__file__)
    patterns = [os.path.join(root, os.pardir, "numpy.libs", "*openblas*"),
                os.path.join(root, ".dylibs", "*openblas*"),
                os.path.join(root, ".libs", "*openblas*")]
    for path in sorted(p for pattern in patterns for p in glob.glob(pattern)):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for get_name, set_name in _SYMBOLS:
            if hasattr(library, get_name) and hasattr(library, set_name):
                getter, setter = getattr(library, get_name), getattr(library, set_name)
                getter.restype = ctypes.c_int
                setter.argtypes = [ctypes.c_int]
                _State.functions = (getter, setter)
                return _State.functions
    return _State.functions


@contextlib.contextmanager
def single_threaded_blas():
    """Limit OpenBLAS to one thread inside the block; yields how many chunk workers to use
    (the BLAS thread count found on entry, at most the number of CPUs)."""
    functions = _openblas()
    with _State.lock:
        outer = _State.depth == 0
        _State.depth += 1
        if outer:
            threads = functions[0]() if functions else 1
            _State.workers = max(1, min(int(threads), os.cpu_count() or 1))
            if functions and threads != 1:
                functions[1](1)
            _State.saved = threads
    try:
        yield _State.workers
    finally:
        with _State.lock:
            _State.depth -= 1
            if _State.depth == 0 and functions and _State.saved != 1:
                functions[1](_State.saved)


@contextlib.contextmanager
def limit_threads(threads: int):
    """Run the block with OpenBLAS (and so glassnet's chunk workers) on ``threads`` threads.

    Example:
        >>> with limit_threads(1):
        ...     model.fit(x, y, epochs=1)
    """
    functions = _openblas()
    if not functions:
        yield
        return
    previous = functions[0]()
    functions[1](int(threads))
    try:
        yield
    finally:
        functions[1](previous)


def run_chunks(work, chunks: list, workers: int) -> None:
    """Call ``work(chunk, worker)`` for every chunk, on up to ``workers`` threads that take
    the next chunk as they finish one (``worker`` is the thread's index, for per-thread
    buffers and sums)."""
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            work(chunk, 0)
        return
    workers = min(workers, len(chunks))
    if _State.pool is None or _State.pool_size < workers:
        _State.pool = ThreadPoolExecutor(workers, thread_name_prefix="glassnet")
        _State.pool_size = workers

    remaining = iter(chunks)  # a list iterator hands out each item once, even to threads

    def worker_loop(index):
        for chunk in remaining:
            work(chunk, index)

    for future in [_State.pool.submit(worker_loop, i) for i in range(workers)]:
        future.result()


def over_batch_chunks(work, n: int, chunk: int) -> None:
    """``work(start, stop)`` over ranges of at most ``chunk`` samples covering a batch of
    ``n``, on as many threads as BLAS may use (single-threaded BLAS inside)."""
    chunks = [(start, min(start + chunk, n)) for start in range(0, n, chunk)]
    with single_threaded_blas() as workers:
        run_chunks(lambda rows, worker: work(*rows), chunks, workers)
