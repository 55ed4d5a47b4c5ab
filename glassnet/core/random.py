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
