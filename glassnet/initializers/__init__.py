"""Weight initializers, as in ``keras.initializers``: by name or as objects.

Example:
    >>> from glassnet import initializers
    >>> w = initializers.get("glorot_uniform")((784, 50))
    >>> w.shape, w.dtype
    ((784, 50), dtype('float32'))
"""

from __future__ import annotations

from glassnet.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from glassnet.initializers.initializer import Initializer
from glassnet.initializers.random_initializers import (GlorotNormal, GlorotUniform, HeNormal,
                                                       HeUniform, LecunNormal, LecunUniform,
                                                       Orthogonal, RandomNormal, RandomUniform,
                                                       TruncatedNormal, VarianceScaling,
                                                       compute_fans)
from glassnet.utils.naming import lookup

ALL = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "identity": Identity,
    "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal,
    "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal, "orthogonal": Orthogonal,
}
_CLASS_NAMES = {cls.__name__: cls for cls in ALL.values()}
# Keras's old short names, still accepted by initializers.get.
ALL.update({"uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros})
# Keras's short aliases.
zeros, ones, constant = Zeros, Ones, Constant
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
he_uniform, he_normal = HeUniform, HeNormal
lecun_uniform, lecun_normal = LecunUniform, LecunNormal
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
orthogonal = Orthogonal


def get(identifier):
    """An initializer from a name ('he_normal'), a config dict, an instance or a callable."""
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        cls = _CLASS_NAMES.get(identifier) or lookup("initializer", identifier, ALL)
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}. Expected a "
                     "name such as 'glorot_uniform', an Initializer or a callable.")


def serialize(initializer) -> dict:
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config: dict):
    name = config["class_name"]
    cls = _CLASS_NAMES.get(name) or lookup("initializer", name, ALL)
    return cls.from_config(config.get("config", {}))


__all__ = ["Initializer", "Constant", "Identity", "Ones", "Zeros", "GlorotNormal",
           "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "Orthogonal",
           "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "compute_fans",
           "get", "serialize", "deserialize"]
