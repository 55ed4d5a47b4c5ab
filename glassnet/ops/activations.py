"""Activation ops: forward and derivative of each activation Keras offers.

The derivative is written from the saved output ``z`` where that is cheapest
(sigmoid: z (1 - z); tanh: 1 - z**2), else from the saved input ``x``.

Example:
    >>> Sigmoid()(Tensor([0.0])).data
    array([0.5], dtype=float32)
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.core.op import Op, register_op

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def _smooth(rng=np.random.default_rng(40)):
    return [([rng.standard_normal((4, 5)) * 2.0], {})]


def _kinked():
    # Values kept away from the kinks at 0 (and 6 / +-3 / thresholds), where the
    # derivative is not defined and central differences would straddle it.
    x = np.array([[-4.1, -2.7, -0.9, -0.3, 0.2], [0.6, 1.3, 2.2, 5.1, 7.4]])
    return [([x], {})]


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), computed in place on a fresh array."""
    z = np.negative(x)
    with np.errstate(over="ignore"):
        np.exp(z, out=z)
    z += 1
    return np.reciprocal(z, out=z)


@register_op(_smooth)
class Sigmoid(Op):
    """z = 1 / (1 + exp(-x));  dx = dz * z * (1 - z)."""

    label = "sigmoid"

    def forward(self, x):
        self.z = sigmoid_array(x)
        return self.z

    def backward(self, grad):
        z = self.z
        return (grad * z * (1 - z),)


@register_op(_smooth)
class Tanh(Op):
    """z = tanh(x);  dx = dz * (1 - z**2)."""

    label = "tanh"

    def forward(self, x):
        self.z = np.tanh(x)
        return self.z

    def backward(self, grad):
        z = self.z
        return (grad * (1 - z * z),)


@register_op(lambda: _kinked() + [(_kinked()[0][0], {"negative_slope": 0.1, "max_value": 6.0}),
                                   (_kinked()[0][0], {"threshold": 1.0})])
class ReLU(Op):
    """z = max(x, 0) (optionally leaky below ``threshold`` and capped at ``max_value``);
    dx = dz where the unit is in its linear part, dz * negative_slope below the threshold."""

    label = "relu"

    def __init__(self, negative_slope: float = 0.0, max_value: float | None = None,
                 threshold: float = 0.0):
        self.negative_slope = negative_slope
        self.max_value = max_value
        self.threshold = threshold

    def forward(self, x):
        plain = self.negative_slope == 0 and self.max_value is None and self.threshold == 0
        if plain:
            self.active = x > 0
            return np.maximum(x, 0)
        self.active = x > self.threshold
        z = np.where(self.active, x, self.negative_slope * (x - self.threshold))
        if self.max_value is not None:
            self.capped = x >= self.max_value
            z = np.where(self.capped, self.max_value, z)
        return z.astype(x.dtype, copy=False)

    def backward(self, grad):
        if self.negative_slope == 0:
            local = self.active
        else:
            local = np.where(self.active, 1.0, self.negative_slope).astype(grad.dtype)
        if self.max_value is not None:
            local = local * ~self.capped
        return (grad * local,)


@register_op(_kinked)
class ReLU6(Op):
    """z = min(max(x, 0), 6);  dx = dz where 0 < x < 6."""

    label = "relu6"

    def forward(self, x):
        self.active = (x > 0) & (x < 6)
        return np.clip(x, 0, 6)

    def backward(self, grad):
        return (grad * self.active,)


@register_op(lambda: _kinked() + [(_kinked()[0][0], {"negative_slope": 0.3})])
class LeakyReLU(Op):
    """z = x if x > 0 else negative_slope * x;  dx = dz * (1 or negative_slope)."""

    label = "leaky_relu"

    def __init__(self, negative_slope: float = 0.2):
        self.negative_slope = negative_slope

    def forward(self, x):
        self.active = x > 0
        return np.where(self.active, x, x * self.negative_slope).astype(x.dtype, copy=False)

    def backward(self, grad):
        return (np.where(self.active, grad, grad * self.negative_slope),)


@register_op(lambda: _kinked() + [(_kinked()[0][0], {"alpha": 0.5})])
class ELU(Op):
    """z = x if x > 0 else alpha (exp(x) - 1);  dx = dz * (1 or z + alpha)."""

    label = "elu"

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha

    def forward(self, x):
        self.active = x > 0
        self.z = np.where(self.active, x, self.alpha * np.expm1(np.minimum(x, 0)))
        return self.z.astype(x.dtype, copy=False)

    def backward(self, grad):
        return (grad * np.where(self.active, 1.0, self.z + self.alpha).astype(grad.dtype),)


@register_op(_kinked)
class SELU(Op):
    """z = scale * elu(x, alpha) with Keras's fixed alpha and scale;  dx likewise."""

    label = "selu"

    def forward(self, x):
        self.active = x > 0
        negative = SELU_ALPHA * np.expm1(np.minimum(x, 0))
        self.z = SELU_SCALE * np.where(self.active, x, negative)
        return self.z.astype(x.dtype, copy=False)

    def backward(self, grad):
        local = np.where(self.active, SELU_SCALE, self.z + SELU_SCALE * SELU_ALPHA)
        return (grad * local.astype(grad.dtype),)


@register_op(_smooth)
class Softplus(Op):
    """z = log(1 + exp(x));  dx = dz * sigmoid(x)."""

    label = "softplus"

    def forward(self, x):
        self.x = x
        return np.logaddexp(0, x).astype(x.dtype, copy=False)

    def backward(self, grad):
        return (grad * sigmoid_array(self.x),)


@register_op(_smooth)
class Softsign(Op):
    """z = x / (1 + |x|);  dx = dz / (1 + |x|)**2."""

    label = "softsign"

    def forward(self, x):
        self.denominator = 1 + np.abs(x)
        return x / self.denominator

    def backward(self, grad):
        return (grad / (self.denominator * self.denominator),)


@register_op(_smooth)
class Swish(Op):
    """z = x * sigmoid(x) (also called silu);  dx = dz * (s + x s (1 - s))."""

    label = "swish"

    def forward(self, x):
        self.x = x
        self.s = sigmoid_array(x)
        return x * self.s

    def backward(self, grad):
        s = self.s
        return (grad * (s + self.x * s * (1 - s)),)


def _erf(x: np.ndarray) -> np.ndarray:
    """Error function, vectorised from ``math.erf`` (exact to double precision)."""
    return np.vectorize(math.erf, otypes=[np.float64])(x).astype(x.dtype, copy=False)


@register_op(lambda: _smooth() + [(_smooth()[0][0], {"approximate": True})])
class GELU(Op):
    """z = x * Phi(x) (exact, Keras default) or its tanh approximation;
    dx = dz * (Phi(x) + x * phi(x)) for the exact form."""

    label = "gelu"

    def __init__(self, approximate: bool = False):
        self.approximate = approximate

    def forward(self, x):
        self.x = x
        if self.approximate:
            c = math.sqrt(2 / math.pi)
            self.inner = c * (x + 0.044715 * x ** 3)
            self.t = np.tanh(self.inner)
            return 0.5 * x * (1 + self.t)
        self.cdf = 0.5 * (1 + _erf(x / math.sqrt(2)))
        return x * self.cdf

    def backward(self, grad):
        x = self.x
        if self.approximate:
            c = math.sqrt(2 / math.pi)
            d_inner = c * (1 + 3 * 0.044715 * x * x)
            local = 0.5 * (1 + self.t) + 0.5 * x * (1 - self.t * self.t) * d_inner
            return (grad * local,)
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return (grad * (self.cdf + x * pdf),)


@register_op(lambda: [([np.array([[-4.2, -2.5, -0.7, 0.4, 1.9, 3.6]])], {})])
class HardSigmoid(Op):
    """z = clip(x / 6 + 0.5, 0, 1) (Keras 3);  dx = dz / 6 where -3 < x < 3."""

    label = "hard_sigmoid"

    def forward(self, x):
        self.active = (x > -3) & (x < 3)
        return np.clip(x / 6 + 0.5, 0, 1).astype(x.dtype, copy=False)

    def backward(self, grad):
        return (grad * self.active / 6,)


@register_op(_smooth)
class Exponential(Op):
    """z = exp(x);  dx = dz * z."""

    label = "exponential"

    def forward(self, x):
        self.z = np.exp(x)
        return self.z

    def backward(self, grad):
        return (grad * self.z,)


def _softmax_examples(rng=np.random.default_rng(41)):
    return [([rng.standard_normal((3, 5))], {}),
            ([rng.standard_normal((2, 3, 4))], {"axis": 1})]


def softmax_array(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(x - max) / sum(exp(x - max)): stable softmax on a fresh array."""
    z = x - np.max(x, axis=axis, keepdims=True)
    np.exp(z, out=z)
    z /= np.sum(z, axis=axis, keepdims=True)
    return z


@register_op(_softmax_examples)
class Softmax(Op):
    """z = exp(x) / sum(exp(x));  dx = z * (dz - sum(dz * z))."""

    label = "softmax"

    def __init__(self, axis: int = -1):
        self.axis = axis

    def forward(self, x):
        self.z = softmax_array(x, self.axis)
        return self.z

    def backward(self, grad):
        z = self.z
        return (z * (grad - np.sum(grad * z, axis=self.axis, keepdims=True)),)


@register_op(_softmax_examples)
class LogSoftmax(Op):
    """z = x - logsumexp(x);  dx = dz - softmax(x) * sum(dz)."""

    label = "log_softmax"

    def __init__(self, axis: int = -1):
        self.axis = axis

    def forward(self, x):
        shifted = x - np.max(x, axis=self.axis, keepdims=True)
        z = shifted - np.log(np.sum(np.exp(shifted), axis=self.axis, keepdims=True))
        self.probs = np.exp(z)
        return z

    def backward(self, grad):
        return (grad - self.probs * np.sum(grad, axis=self.axis, keepdims=True),)
