"""Weight regularizers, as in ``keras.regularizers``: their penalty is added to the loss.

Example:
    >>> from glassnet import layers, regularizers
    >>> layer = layers.Dense(4, kernel_regularizer=regularizers.l2(0.001))
"""

from __future__ import annotations

from glassnet.ops.penalty import weight_penalty
from glassnet.utils.naming import lookup


class Regularizer:
    """Base class: ``regularizer(weight)`` returns a scalar tensor added to the loss."""

    def __call__(self, weight):  # pragma: no cover - abstract
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class L1L2(Regularizer):
    """l1 * sum(|w|) + l2 * sum(w**2)."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        for name, value in (("l1", l1), ("l2", l2)):
            if value is None or value < 0:
                raise ValueError(f"{type(self).__name__} expects {name} >= 0; received {value!r}.")
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, weight):
        return weight_penalty(weight, self.l1, self.l2)

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """l1 * sum(|w|) (default l1=0.01, as Keras)."""

    def __init__(self, l1: float = 0.01):
        super().__init__(l1=l1)

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(L1L2):
    """l2 * sum(w**2) (default l2=0.01, as Keras)."""

    def __init__(self, l2: float = 0.01):
        super().__init__(l2=l2)

    def get_config(self) -> dict:
        return {"l2": self.l2}


def l1(l1: float = 0.01) -> L1:  # noqa: E741 - Keras's spelling
    return L1(l1)


def l2(l2: float = 0.01) -> L2:
    return L2(l2)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:  # noqa: E741
    """Keras's ``l1_l2`` defaults both factors to 0.01."""
    return L1L2(l1, l2)


ALL = {"l1": L1, "l2": L2, "l1_l2": L1L2, "L1": L1, "L2": L2, "L1L2": L1L2}


def get(identifier):
    """A regularizer from None, a name ('l2'), a config dict, an instance or a callable."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str):
        return lookup("regularizer", identifier, ALL)()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}.")


def serialize(regularizer) -> dict:
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config: dict):
    return lookup("regularizer", config["class_name"], ALL).from_config(config.get("config", {}))


__all__ = ["Regularizer", "L1", "L2", "L1L2", "l1", "l2", "l1_l2", "get", "serialize",
           "deserialize"]
