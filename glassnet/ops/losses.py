"""Fused loss ops.  Each returns one loss value per sample (the last axis is reduced);
the batch reduction and sample weights are applied afterwards by the Loss classes.

The cross-entropies come in two forms.  From logits they are fused with the
softmax / sigmoid and their backward is the familiar (p - y).  From probabilities
they follow Keras: probabilities are clipped to [epsilon, 1 - epsilon] before the log.

Example:
    >>> logits = Tensor([[2.0, 0.5, -1.0]])
    >>> sparse_softmax_cross_entropy(logits, np.array([0])).data
    array([0.2413...], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op
from glassnet.ops.activations import sigmoid_array

EPSILON = 1e-7


def _onehot(rng, n: int, classes: int) -> np.ndarray:
    return np.eye(classes)[rng.integers(0, classes, n)]


def _logit_examples(rng=np.random.default_rng(60)):
    soft = rng.uniform(0.1, 1.0, (4, 5))
    return [([rng.standard_normal((4, 5)), _onehot(rng, 4, 5)], {}),
            ([rng.standard_normal((4, 5)), soft / soft.sum(-1, keepdims=True)], {}),
            ([rng.standard_normal((2, 3, 4)), _onehot(rng, 6, 4).reshape(2, 3, 4)], {})]


@register_op(_logit_examples)
class SoftmaxCrossEntropy(Op):
    """loss = -sum(y * log_softmax(logits));  dlogits = dloss * (softmax * sum(y) - y)."""

    label = "softmax_cross_entropy"
    differentiable = (True, False)

    def forward(self, logits, target):
        shifted = logits - np.max(logits, axis=-1, keepdims=True)
        log_norm = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
        log_probs = shifted - log_norm
        self.probs = np.exp(log_probs)
        self.target = target
        return -np.sum(target * log_probs, axis=-1).astype(logits.dtype, copy=False)

    def backward(self, grad):
        target_mass = np.sum(self.target, axis=-1, keepdims=True)
        d_logits = (self.probs * target_mass - self.target) * grad[..., None]
        return d_logits.astype(self.probs.dtype, copy=False), None


def _sparse_examples(rng=np.random.default_rng(61)):
    return [([rng.standard_normal((4, 5)), rng.integers(0, 5, 4)], {}),
            ([rng.standard_normal((2, 3, 4)), rng.integers(0, 4, (2, 3))], {})]


@register_op(_sparse_examples)
class SparseSoftmaxCrossEntropy(Op):
    """loss = -log_softmax(logits)[label];  dlogits = dloss * (softmax - onehot(label))."""

    label = "sparse_softmax_cross_entropy"
    differentiable = (True, False)

    def forward(self, logits, labels):
        self.labels = labels
        shifted = logits - np.max(logits, axis=-1, keepdims=True)
        exp = np.exp(shifted)
        total = np.sum(exp, axis=-1, keepdims=True)
        self.probs = exp / total
        if shifted.ndim == 2:
            picked = shifted[np.arange(len(labels)), labels]
        else:
            picked = np.take_along_axis(shifted, labels[..., None], axis=-1)[..., 0]
        return (np.log(total[..., 0]) - picked).astype(logits.dtype, copy=False)

    def backward(self, grad):
        d_logits = self.probs.copy()
        flat = d_logits.reshape(-1, d_logits.shape[-1])
        flat[np.arange(flat.shape[0]), self.labels.reshape(-1)] -= 1
        d_logits *= grad[..., None]
        return d_logits, None


def _prob_examples(rng=np.random.default_rng(62)):
    p = rng.uniform(0.05, 1.0, (4, 5))
    return [([p / p.sum(-1, keepdims=True), _onehot(rng, 4, 5)], {}),
            ([rng.uniform(0.05, 1.0, (3, 4)), _onehot(rng, 3, 4)], {})]


@register_op(_prob_examples)
class CategoricalCrossEntropy(Op):
    """Keras's form on probabilities: q = p / sum(p), c = clip(q, eps, 1 - eps),
    loss = -sum(y log c);  dp_k = (a_k - sum_j a_j q_j) / sum(p), a = -y / c where unclipped."""

    label = "categorical_cross_entropy"
    differentiable = (True, False)

    def forward(self, probs, target):
        self.total = np.sum(probs, axis=-1, keepdims=True)
        self.q = probs / self.total
        self.inside = (self.q >= EPSILON) & (self.q <= 1 - EPSILON)
        self.clipped = np.clip(self.q, EPSILON, 1 - EPSILON)
        self.target = target
        return -np.sum(target * np.log(self.clipped), axis=-1).astype(probs.dtype, copy=False)

    def backward(self, grad):
        a = -self.target / self.clipped * self.inside
        d_probs = (a - np.sum(a * self.q, axis=-1, keepdims=True)) / self.total
        return (d_probs * grad[..., None]).astype(self.q.dtype, copy=False), None


def _sparse_prob_examples(rng=np.random.default_rng(63)):
    p = rng.uniform(0.05, 1.0, (4, 5))
    return [([p / p.sum(-1, keepdims=True), rng.integers(0, 5, 4)], {})]


@register_op(_sparse_prob_examples)
class SparseCategoricalCrossEntropy(Op):
    """The probability form with integer labels: the categorical form with y = onehot(label)."""

    label = "sparse_categorical_cross_entropy"
    differentiable = (True, False)

    def forward(self, probs, labels):
        target = np.zeros_like(probs)
        np.put_along_axis(target, labels[..., None], 1, axis=-1)
        self.inner = CategoricalCrossEntropy()
        return self.inner.forward(probs, target)

    def backward(self, grad):
        return self.inner.backward(grad)


def _binary_logit_examples(rng=np.random.default_rng(64)):
    return [([rng.standard_normal((4, 1)) * 3, rng.integers(0, 2, (4, 1)).astype(float)], {}),
            ([rng.standard_normal((3, 4)), rng.uniform(0, 1, (3, 4))], {})]


@register_op(_binary_logit_examples)
class SigmoidBinaryCrossEntropy(Op):
    """loss = mean(max(x, 0) - x y + log(1 + exp(-|x|)));  dx = dloss * (sigmoid(x) - y) / n."""

    label = "sigmoid_binary_cross_entropy"
    differentiable = (True, False)

    def forward(self, logits, target):
        self.target = target
        self.probs = sigmoid_array(logits)
        elementwise = np.maximum(logits, 0) - logits * target + np.log1p(np.exp(-np.abs(logits)))
        return np.mean(elementwise, axis=-1).astype(logits.dtype, copy=False)

    def backward(self, grad):
        n = self.probs.shape[-1]
        d_logits = (self.probs - self.target) * (grad[..., None] / n)
        return d_logits.astype(self.probs.dtype, copy=False), None


def _binary_prob_examples(rng=np.random.default_rng(65)):
    return [([rng.uniform(0.05, 0.95, (4, 1)), rng.integers(0, 2, (4, 1)).astype(float)], {}),
            ([rng.uniform(0.05, 0.95, (3, 4)), rng.uniform(0, 1, (3, 4))], {})]


@register_op(_binary_prob_examples)
class BinaryCrossEntropy(Op):
    """Keras's form on probabilities: c = clip(p, eps, 1 - eps),
    loss = mean(-(y log c + (1 - y) log(1 - c)));  dp = dloss * (c - y) / (c (1 - c)) / n."""

    label = "binary_cross_entropy"
    differentiable = (True, False)

    def forward(self, probs, target):
        self.target = target
        self.inside = (probs >= EPSILON) & (probs <= 1 - EPSILON)
        self.c = np.clip(probs, EPSILON, 1 - EPSILON)
        c = self.c
        elementwise = -(target * np.log(c) + (1 - target) * np.log(1 - c))
        return np.mean(elementwise, axis=-1).astype(probs.dtype, copy=False)

    def backward(self, grad):
        c = self.c
        n = c.shape[-1]
        local = (c - self.target) / (c * (1 - c)) * self.inside
        return (local * (grad[..., None] / n)).astype(c.dtype, copy=False), None


def _regression_examples(rng=np.random.default_rng(66)):
    return [([rng.standard_normal((4, 3)), rng.standard_normal((4, 3))], {}),
            ([rng.standard_normal((5, 1)), rng.standard_normal((5, 1))], {})]


@register_op(_regression_examples)
class MeanSquaredError(Op):
    """loss = mean((p - y)**2);  dp = dloss * 2 (p - y) / n."""

    label = "mean_squared_error"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.diff = pred - target
        return np.mean(self.diff * self.diff, axis=-1).astype(pred.dtype, copy=False)

    def backward(self, grad):
        n = self.diff.shape[-1]
        return self.diff * (grad[..., None] * (2.0 / n)), None


@register_op(_regression_examples)
class MeanAbsoluteError(Op):
    """loss = mean(|p - y|);  dp = dloss * sign(p - y) / n."""

    label = "mean_absolute_error"
    differentiable = (True, False)

    def forward(self, pred, target):
        self.sign = np.sign(pred - target)
        return np.mean(np.abs(pred - target), axis=-1).astype(pred.dtype, copy=False)

    def backward(self, grad):
        n = self.sign.shape[-1]
        return (self.sign * (grad[..., None] / n)).astype(grad.dtype, copy=False), None


def softmax_cross_entropy(logits, target):
    return SoftmaxCrossEntropy()(logits, target)


def sparse_softmax_cross_entropy(logits, labels):
    return SparseSoftmaxCrossEntropy()(logits, labels)


def categorical_cross_entropy(probs, target):
    return CategoricalCrossEntropy()(probs, target)


def sparse_categorical_cross_entropy(probs, labels):
    return SparseCategoricalCrossEntropy()(probs, labels)


def sigmoid_binary_cross_entropy(logits, target):
    return SigmoidBinaryCrossEntropy()(logits, target)


def binary_cross_entropy(probs, target):
    return BinaryCrossEntropy()(probs, target)


def mean_squared_error(pred, target):
    return MeanSquaredError()(pred, target)


def mean_absolute_error(pred, target):
    return MeanAbsoluteError()(pred, target)

