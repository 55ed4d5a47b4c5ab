"""Activation functions, as in ``keras.activations``: by name or called on arrays.

Each function takes a tensor or an array and returns a Tensor (which converts back to
NumPy wherever an array is expected, e.g. in matplotlib).

Example:
    >>> from glassnet import activations
    >>> activations.relu(np.array([-1.0, 2.0])).numpy()
    array([0., 2.], dtype=float32)
    >>> activations.get("sigmoid") is activations.sigmoid
    True
"""

from __future__ import annotations

from glassnet.core.tensor import Tensor
from glassnet.ops import activations as _ops
from glassnet.utils.naming import lookup


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


def sigmoid(x):
    """1 / (1 + exp(-x))."""
    return _ops.Sigmoid()(_tensor(x))


def tanh(x):
    """Hyperbolic tangent."""
    return _ops.Tanh()(_tensor(x))


def relu(x, negative_slope: float = 0.0, max_value=None, threshold: float = 0.0):
    """max(x, 0), optionally leaky, capped and thresholded (Keras's arguments)."""
    return _ops.ReLU(negative_slope, max_value, threshold)(_tensor(x))


def relu6(x):
    """min(max(x, 0), 6)."""
    return _ops.ReLU6()(_tensor(x))


def leaky_relu(x, negative_slope: float = 0.2):
    """x for x > 0, negative_slope * x otherwise."""
    return _ops.LeakyReLU(negative_slope)(_tensor(x))


def elu(x, alpha: float = 1.0):
    """x for x > 0, alpha (exp(x) - 1) otherwise."""
    return _ops.ELU(alpha)(_tensor(x))


def selu(x):
    """Scaled ELU with the self-normalising constants."""
    return _ops.SELU()(_tensor(x))


def softplus(x):
    """log(1 + exp(x))."""
    return _ops.Softplus()(_tensor(x))


def softsign(x):
    """x / (1 + |x|)."""
    return _ops.Softsign()(_tensor(x))


def silu(x):
    """x * sigmoid(x), also called swish."""
    return _ops.Swish()(_tensor(x))


swish = silu


def gelu(x, approximate: bool = False):
    """x * Phi(x), exact by default as in Keras 3."""
    return _ops.GELU(approximate)(_tensor(x))


def hard_sigmoid(x):
    """clip(x / 6 + 0.5, 0, 1)."""
    return _ops.HardSigmoid()(_tensor(x))


def exponential(x):
    """exp(x)."""
    return _ops.Exponential()(_tensor(x))


def softmax(x, axis: int = -1):
    """exp(x) / sum(exp(x)) along ``axis``."""
    return _ops.Softmax(axis)(_tensor(x))


def log_softmax(x, axis: int = -1):
    """x - logsumexp(x) along ``axis``."""
    return _ops.LogSoftmax(axis)(_tensor(x))


def linear(x):
    """The identity (no activation)."""
    return _tensor(x)


ALL = {f.__name__: f for f in (sigmoid, tanh, relu, relu6, leaky_relu, elu, selu, softplus,
                                softsign, silu, gelu, hard_sigmoid, exponential, softmax,
                                log_softmax, linear)}
ALL["swish"] = silu


def get(identifier):
    """The activation for a name, a callable, or None (linear)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in ALL:
            from glassnet.saving.registry import find_registered
            found = find_registered(identifier)  # registered, or in custom_objects at load
            if found is not None:
                return found
            try:
                return lookup("activation", identifier, ALL)
            except ValueError as error:
                raise ValueError(
                    f"{error} If {identifier!r} is your own function, pass custom_objects="
                    f"{{{identifier!r}: {identifier}}} to load_model, or decorate it with "
                    "@glassnet.saving.register_keras_serializable().") from None
        return lookup("activation", identifier, ALL)
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation identifier: {identifier!r}. Expected a "
                     f"name such as 'relu' or a callable.")


def serialize(activation) -> str | dict:
    """The name of a built-in activation, or the config of an activation layer object."""
    for name, fn in ALL.items():
        if fn is activation:
            return name
    if hasattr(activation, "get_config"):
        return {"class_name": type(activation).__name__, "config": activation.get_config()}
    from glassnet.saving.registry import registered_name
    name = registered_name(activation)
    if name is not None:
        return name
    name = getattr(activation, "__name__", None)
    if name and name != "<lambda>":
        # Saved by name, as Keras does: loading needs custom_objects={name: fn} or
        # @glassnet.saving.register_keras_serializable on the function.
        return name
    raise ValueError(f"Cannot serialize activation {activation!r}: a lambda has no name to "
                     "save. Define it with def and register it with "
                     "@glassnet.saving.register_keras_serializable.")


def deserialize(config):
    if isinstance(config, str):
        from glassnet.saving.registry import find_registered
        found = find_registered(config)
        return found if found is not None else get(config)
    from glassnet.layers import deserialize as deserialize_layer
    return deserialize_layer(config)


__all__ = sorted(ALL) + ["get", "serialize", "deserialize"]
