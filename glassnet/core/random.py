"""The random state behind initializers, dropout and shuffling.

``set_random_seed(n)`` reseeds Python's ``random``, NumPy's global state and
glassnet's own generator, so two runs with the same seed are bit-for-bit equal.

Example:
    >>> set_random_seed(42)
    >>> a = generator().random(3)
    >>> set_random_seed(42)
    >>> bool((a == generator().random(3)).all())
    True
"""

from __future__ import annotations

import random as _python_random

import numpy as np


class _State:
    generator = np.random.default_rng()


def generator() -> np.random.Generator:
    """The global generator (seeded by ``set_random_seed``)."""
    return _State.generator


def set_random_seed(seed: int) -> None:
    """Seed Python, NumPy and glassnet so that runs repeat exactly."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ValueError(f"set_random_seed expects an integer seed; received {seed!r}.")
    _python_random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)
    _State.generator = np.random.default_rng(int(seed))


def get_state() -> dict:
    """The global generator's state (for exact resume)."""
    return _State.generator.bit_generator.state


def set_state(state: dict) -> None:
    _State.generator.bit_generator.state = state


def make_generator(seed=None) -> np.random.Generator:
    """A generator for ``seed``: the global one when ``seed`` is None, else a fresh one."""
    if seed is None:
        return _State.generator
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(int(seed))


class BatchShard:
    """Set while a data-parallel process works on rows ``start:stop`` of a global batch of
    ``rows``.  Random draws per sample (dropout masks) are then made for the whole global
    batch and sliced, so every process advances the generator alike and the masks equal
    those of a single process training on the global batch."""

    current = None

    def __init__(self, rows: int, start: int, stop: int):
        self.rows, self.start, self.stop = rows, start, stop


def uniform_per_sample(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """Uniform [0, 1) float32 values of ``shape`` (first axis = samples), shard-aware."""
    shard = BatchShard.current
    if shard is None or not shape or shape[0] != shard.stop - shard.start:
        return rng.random(shape, dtype=np.float32)
    whole = rng.random((shard.rows,) + tuple(shape[1:]), dtype=np.float32)
    return whole[shard.start:shard.stop]
