"""More fused loss ops: the regression, hinge and probabilistic losses of ``keras.losses``
that ``glassnet/ops/losses.py`` does not cover, and the weighted batch reduction.

Each per-sample op reduces the last axis (as the Keras functions do) and takes the
targets as a constant second input.  Where Keras's formula has a kink or a clip, the
backward follows PyTorch's convention for it (clip passes the gradient on its bounds,
``abs`` has gradient 0 at 0), so gradients agree with Keras on the torch backend.

Example:
    >>> huber = Huber(delta=1.0)
    >>> huber.forward(np.array([[0.5, 3.0]]), np.zeros((1, 2)))
    array([1.3125])
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.core.op import Op, register_op, unbroadcast
from glassnet.ops.activations import sigmoid_array

EPSILON = 1e-7
LOG2 = math.log(2.0)


def _cast(value: np.ndarray, like: np.ndarray) -> np.ndarray:
    return value.astype(like.dtype, copy=False)


def _pairs(rng=np.random.default_rng(70)):
    return [([rng.standard_normal((4, 3)), rng.standard_normal((4, 3))], {}),
            ([rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 3, 2))], {})]


def _positive_pairs(rng=np.random.default_rng(71)):
    return [([rng.uniform(0.2, 3.0, (4, 3)), rng.uniform(0.2, 3.0, (4, 3))], {})]


@register_op(lambda rng=np.random.default_rng(72): [
    ([rng.standard_normal((4, 3)), rng.standard_normal((4, 3)) * 2], {}),
    ([rng.standard_normal((4, 3)), rng.standard_normal((4, 3))], {"delta": 0.5})])
class Huber(Op):
    """e = p - y;  loss = mean(0.5 e**2 if |e| <= delta else delta |e| - 0.5 delta**2);
    dp = dloss * (e if |e| <= delta else delta sign(e)) / n."""

    label = "huber"
    differentiable = (True, False)

    def __init__(self, delta: float = 1.0):
        self.delta = float(delta)

    def forward(self, pred, target):
        self.error = pred - target
        abs_error = np.abs(self.error)
        self.small = abs_error <= self.delta
        quadratic = 0.5 * self.error * self.error
        linear = self.delta * abs_error - 0.5 * self.delta * self.delta
        return _cast(np.mean(np.where(self.small, quadratic, linear), axis=-1), pred)

    def backward(self, grad):
        local = np.where(self.small, self.error, self.delta * np.sign(self.error))
        n = self.error.shape[-1]
        return _cast(local * (grad[..., None] / n), self.error), None


@register_op(_pairs)
class LogCosh(Op):
    """e = p - y;  loss = mean(e + softplus(-2e) - log 2) = mean(log cosh e);
    dp = dloss * tanh(e) / n."""

    label = "log_cosh"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.error = pred - target
        values = self.error + np.logaddexp(0.0, -2.0 * self.error) - LOG2
        return _cast(np.mean(values, axis=-1), pred)

    def backward(self, grad):
        n = self.error.shape[-1]
        return _cast(np.tanh(self.error) * (grad[..., None] / n), self.error), None


@register_op(lambda rng=np.random.default_rng(73): [
    ([rng.standard_normal((4, 3)), rng.uniform(0.5, 2.0, (4, 3)) * rng.choice([-1, 1], (4, 3))],
     {})])
class MeanAbsolutePercentageError(Op):
    """d = max(|y|, eps);  loss = 100 mean(|y - p| / d);  dp = dloss * 100 sign(p - y) / (d n)."""

    label = "mean_absolute_percentage_error"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.scale = 1.0 / np.maximum(np.abs(target), EPSILON)
        self.sign = np.sign(pred - target)
        values = np.abs((target - pred) * self.scale)
        return _cast(100.0 * np.mean(values, axis=-1), pred)

    def backward(self, grad):
        n = self.sign.shape[-1]
        local = self.sign * self.scale
        return _cast(local * (grad[..., None] * (100.0 / n)), grad), None


@register_op(lambda rng=np.random.default_rng(74): [
    ([rng.uniform(0.1, 3.0, (4, 3)), rng.uniform(0.0, 3.0, (4, 3))], {}),
    ([np.array([[-0.5, 0.3, 2.0]]), np.array([[0.1, -1.0, 1.0]])], {})])
class MeanSquaredLogarithmicError(Op):
    """a = log(max(p, eps) + 1), b = log(max(y, eps) + 1);  loss = mean((a - b)**2);
    dp = dloss * 2 (a - b) / (max(p, eps) + 1) / n where p > eps, else 0."""

    label = "mean_squared_logarithmic_error"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.active = pred > EPSILON
        self.shifted = np.maximum(pred, EPSILON) + 1.0
        self.diff = np.log(self.shifted) - np.log(np.maximum(target, EPSILON) + 1.0)
        return _cast(np.mean(self.diff * self.diff, axis=-1), pred)

    def backward(self, grad):
        n = self.diff.shape[-1]
        local = 2.0 * self.diff / self.shifted * self.active
        return _cast(local * (grad[..., None] / n), self.diff), None


def _hinge_examples(rng=np.random.default_rng(75)):
    signs = rng.choice([-1.0, 1.0], (4, 3))
    return [([rng.uniform(-2.0, 2.0, (4, 3)), signs], {})]


@register_op(_hinge_examples)
class Hinge(Op):
    """m = max(1 - y p, 0);  loss = mean(m);  dp = -dloss * y [m > 0] / n  (y in {-1, 1})."""

    label = "hinge"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.target = target
        self.margin = np.maximum(1.0 - target * pred, 0.0)
        return _cast(np.mean(self.margin, axis=-1), pred)

    def backward(self, grad):
        n = self.margin.shape[-1]
        local = -self.target * (self.margin > 0)
        return _cast(local * (grad[..., None] / n), self.margin), None


@register_op(_hinge_examples)
class SquaredHinge(Op):
    """m = max(1 - y p, 0);  loss = mean(m**2);  dp = -dloss * 2 y m / n."""

    label = "squared_hinge"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.target = target
        self.margin = np.maximum(1.0 - target * pred, 0.0)
        return _cast(np.mean(self.margin * self.margin, axis=-1), pred)

    def backward(self, grad):
        n = self.margin.shape[-1]
        local = -2.0 * self.target * self.margin
        return _cast(local * (grad[..., None] / n), self.margin), None


def _onehot_examples(rng=np.random.default_rng(76)):
    target = np.eye(4)[rng.integers(0, 4, 5)]
    return [([rng.uniform(-1.0, 2.0, (5, 4)), target], {})]


@register_op(_onehot_examples)
class CategoricalHinge(Op):
    """pos = sum(y p), neg = max((1 - y) p);  loss = max(neg - pos + 1, 0);
    dp = dloss * [loss > 0] ((1 - y) at the argmax of (1 - y) p - y); ties share the max."""

    label = "categorical_hinge"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.target = target
        others = (1.0 - target) * pred
        neg = np.max(others, axis=-1, keepdims=True)
        # Tied maxima share the gradient equally, as torch.amax does.
        self.at_max = others == neg
        self.at_max = self.at_max / np.sum(self.at_max, axis=-1, keepdims=True)
        value = neg[..., 0] - np.sum(target * pred, axis=-1) + 1.0
        self.active = value > 0
        return _cast(np.maximum(value, 0.0), pred)

    def backward(self, grad):
        local = self.at_max * (1.0 - self.target) - self.target
        scale = (grad * self.active)[..., None]
        return _cast(local * scale, grad), None


def _distribution_examples(rng=np.random.default_rng(77)):
    p = rng.uniform(0.05, 1.0, (4, 3))
    y = rng.uniform(0.05, 1.0, (4, 3))
    return [([p / p.sum(-1, keepdims=True), y / y.sum(-1, keepdims=True)], {})]


@register_op(_distribution_examples)
class KLDivergence(Op):
    """c = clip(p, eps, 1), t = clip(y, eps, 1);  loss = sum(t log(t / c));
    dp = -dloss * t / c where eps <= p <= 1."""

    label = "kl_divergence"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.inside = (pred >= EPSILON) & (pred <= 1.0)
        self.clipped = np.clip(pred, EPSILON, 1.0)
        self.target = np.clip(target, EPSILON, 1.0)
        values = self.target * np.log(self.target / self.clipped)
        return _cast(np.sum(values, axis=-1), pred)

    def backward(self, grad):
        local = -self.target / self.clipped * self.inside
        return _cast(local * grad[..., None], self.clipped), None


@register_op(_positive_pairs)
class Poisson(Op):
    """loss = mean(p - y log(p + eps));  dp = dloss * (1 - y / (p + eps)) / n."""

    label = "poisson"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.target = target
        self.shifted = pred + EPSILON
        return _cast(np.mean(pred - target * np.log(self.shifted), axis=-1), pred)

    def backward(self, grad):
        n = self.shifted.shape[-1]
        local = 1.0 - self.target / self.shifted
        return _cast(local * (grad[..., None] / n), self.shifted), None


def _l2_normalize(x: np.ndarray, axis: int):
    """x * min(1 / ||x||, 1 / eps), as keras.ops.normalize; returns (normalized, inv_norm)."""
    with np.errstate(divide="ignore"):
        inv_norm = 1.0 / np.sqrt(np.sum(x * x, axis=axis, keepdims=True))
    inv_norm = np.minimum(inv_norm, 1.0 / EPSILON)
    return x * inv_norm, inv_norm


@register_op(lambda rng=np.random.default_rng(78): [
    ([rng.standard_normal((4, 3)), rng.standard_normal((4, 3))], {}),
    ([rng.standard_normal((3, 4)), rng.standard_normal((3, 4))], {"axis": 0})])
class CosineSimilarity(Op):
    """u = normalize(p), v = normalize(y);  loss = -sum(u v);
    dp = -dloss * r (v - (u . v) u), r = 1 / ||p|| (or 1/eps for a near-zero p: dp = -r v)."""

    label = "cosine_similarity"
    differentiable = (True, False)

    def __init__(self, axis: int = -1):
        self.axis = axis

    def forward(self, pred, target):
        self.u, self.inv_norm = _l2_normalize(pred, self.axis)
        self.v, _ = _l2_normalize(target, self.axis)
        self.clipped = self.inv_norm >= 1.0 / EPSILON
        self.dot = np.sum(self.u * self.v, axis=self.axis, keepdims=True)
        return _cast(-np.squeeze(self.dot, axis=self.axis), pred)

    def backward(self, grad):
        projection = np.where(self.clipped, 0.0, self.dot * self.u)
        local = -self.inv_norm * (self.v - projection)
        return _cast(local * np.expand_dims(grad, self.axis), self.u), None


def _focal_examples(rng=np.random.default_rng(79)):
    labels = rng.integers(0, 2, (4, 3)).astype(float)
    return [([rng.uniform(0.05, 0.95, (4, 3)), labels], {}),
            ([rng.uniform(0.05, 0.95, (4, 3)), labels],
             {"gamma": 1.5, "alpha": 0.3, "apply_class_balancing": True})]


@register_op(_focal_examples)
class BinaryFocalCrossEntropy(Op):
    """c = clip(p, eps, 1 - eps), bce = -(y log c + (1 - y) log(1 - c)),
    pt = y p + (1 - y)(1 - p), f = (1 - pt)**gamma;  loss = mean(w f bce) with
    w = y alpha + (1 - y)(1 - alpha) if balancing else 1;
    dp = dloss * w (f bce' - gamma (1 - pt)**(gamma - 1) (2y - 1) bce) / n."""

    label = "binary_focal_cross_entropy"
    differentiable = (True, False)

    def __init__(self, gamma: float = 2.0, alpha: float = 0.25,
                 apply_class_balancing: bool = False):
        self.gamma, self.alpha = float(gamma), float(alpha)
        self.apply_class_balancing = apply_class_balancing

    def forward(self, probs, target):
        self.target = target
        self.inside = (probs >= EPSILON) & (probs <= 1.0 - EPSILON)
        self.c = np.clip(probs, EPSILON, 1.0 - EPSILON)
        self.bce = -(target * np.log(self.c) + (1.0 - target) * np.log(1.0 - self.c))
        self.away = 1.0 - (target * probs + (1.0 - target) * (1.0 - probs))
        self.focal = np.power(self.away, self.gamma)
        self.weight = (target * self.alpha + (1.0 - target) * (1.0 - self.alpha)
                       if self.apply_class_balancing else 1.0)
        return _cast(np.mean(self.weight * self.focal * self.bce, axis=-1), probs)

    def backward(self, grad):
        c, y = self.c, self.target
        d_bce = (c - y) / (c * (1.0 - c)) * self.inside
        d_focal = -self.gamma * np.power(self.away, self.gamma - 1.0) * (2.0 * y - 1.0)
        local = self.weight * (self.focal * d_bce + d_focal * self.bce)
        n = c.shape[-1]
        return _cast(local * (grad[..., None] / n), c), None


def _reduction_examples(rng=np.random.default_rng(80)):
    return [([rng.standard_normal((5,)), rng.uniform(0.0, 2.0, (5,))], {"scale": 0.2}),
            ([rng.standard_normal((3, 4)), rng.uniform(0.0, 2.0, (3, 1))], {"scale": 1.0}),
            ([rng.standard_normal((3, 4)), None], {"scale": 1.0 / 12})]


@register_op(_reduction_examples)
class WeightedSum(Op):
    """The batch reduction of a loss: z = scale * sum(values * weights) (weights broadcast);
    dvalues = dz * scale * weights.  ``scale`` is 1 (sum) or 1 / divisor (mean)."""

    label = "weighted_sum"
    differentiable = (True, False)

    def __init__(self, scale: float = 1.0):
        self.scale = scale

    def forward(self, values, weights=None):
        self.shape = values.shape
        self.weights = weights
        total = np.sum(values) if weights is None else np.sum(values * weights)
        return np.asarray(total * self.scale, dtype=values.dtype)

    def backward(self, grad):
        local = grad * self.scale
        if self.weights is None:
            return np.full(self.shape, local, dtype=np.result_type(grad)), None
        full = np.broadcast_to(local * self.weights, np.broadcast_shapes(self.shape,
                                                                         self.weights.shape))
        return unbroadcast(full, self.shape).astype(grad.dtype, copy=False), None


def weighted_sum(values, weights=None, scale: float = 1.0):
    """scale * sum(values * weights) as a recorded op (the loss reduction)."""
    return WeightedSum(scale)(values, weights)
