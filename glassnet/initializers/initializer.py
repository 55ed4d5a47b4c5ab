"""The Initializer base: a callable ``(shape, dtype) -> array`` with a config.

Example:
    >>> class Twos(Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return np.full(shape, 2.0, dtype=dtype or "float32")
"""

from __future__ import annotations

import numpy as np

from glassnet.core.random import make_generator


class Initializer:
    """Base class: subclasses implement ``__call__(shape, dtype=None)``."""

    def __call__(self, shape, dtype=None):  # pragma: no cover - abstract
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class SeededInitializer(Initializer):
    """An initializer with a ``seed``: seeded ones give the same values on every call,
    unseeded ones draw from glassnet's global generator (see ``set_random_seed``)."""

    def __init__(self, seed=None):
        self.seed = seed

    def _rng(self) -> np.random.Generator:
        return make_generator(self.seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}
