"""Every loss class against Keras 3 (torch backend): the value and the gradient with respect
to y_pred, with sample weights and every reduction."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet import losses
from glassnet.core.tensor import Tensor

N = 6


def _probs(rng, shape):
    p = rng.uniform(0.05, 1.0, shape).astype(np.float32)
    return p / p.sum(-1, keepdims=True)


def _onehot(rng, n, classes):
    return np.eye(classes, dtype=np.float32)[rng.integers(0, classes, n)]


def _data(kind: str, rng):
    """(y_true, y_pred) for one kind of target; values kept away from kinks and ties."""
    if kind == "regression":
        return (rng.standard_normal((N, 3)).astype(np.float32),
                rng.standard_normal((N, 3)).astype(np.float32))
    if kind == "regression_1d":
        return rng.standard_normal(N).astype(np.float32), \
            rng.standard_normal((N, 1)).astype(np.float32)
    if kind == "positive":
        return (rng.uniform(0.0, 3.0, (N, 3)).astype(np.float32),
                rng.uniform(0.2, 3.0, (N, 3)).astype(np.float32))
    if kind == "msle":  # some predictions below zero exercise the clip at epsilon
        return (rng.uniform(0.0, 3.0, (N, 3)).astype(np.float32),
                rng.uniform(-0.5, 3.0, (N, 3)).astype(np.float32))
    if kind == "mape":
        return (rng.uniform(0.5, 2.0, (N, 3)).astype(np.float32) * rng.choice([-1, 1], (N, 3)),
                rng.standard_normal((N, 3)).astype(np.float32))
    if kind == "hinge01":
        return rng.integers(0, 2, (N, 3)).astype(np.float32), \
            rng.uniform(-2, 2, (N, 3)).astype(np.float32)
    if kind == "hinge_pm":
        return rng.choice([-1.0, 1.0], (N, 3)).astype(np.float32), \
            rng.uniform(-2, 2, (N, 3)).astype(np.float32)
    if kind == "onehot_scores":
        return _onehot(rng, N, 4), rng.uniform(-1, 2, (N, 4)).astype(np.float32)
    if kind == "distribution":
        return _probs(rng, (N, 4)), _probs(rng, (N, 4))
    if kind == "binary":
        return rng.integers(0, 2, (N, 1)).astype(np.float32), \
            rng.uniform(0.05, 0.95, (N, 1)).astype(np.float32)
    if kind == "binary_1d_labels":
        return rng.integers(0, 2, N), rng.uniform(0.05, 0.95, (N, 1)).astype(np.float32)
    if kind == "multilabel":
        return rng.integers(0, 2, (N, 3)).astype(np.float32), \
            rng.uniform(0.05, 0.95, (N, 3)).astype(np.float32)
    if kind == "binary_edges":  # exact 0 and 1 probabilities hit the clip
        p = rng.uniform(0.05, 0.95, (N, 3)).astype(np.float32)
        p[0, 0], p[1, 1] = 0.0, 1.0
        return rng.integers(0, 2, (N, 3)).astype(np.float32), p
    if kind == "logits_binary":
        return rng.integers(0, 2, (N, 3)).astype(np.float32), \
            (rng.standard_normal((N, 3)) * 2).astype(np.float32)
    if kind == "sequence_binary":
        return rng.integers(0, 2, (N, 2, 3)).astype(np.float32), \
            rng.uniform(0.05, 0.95, (N, 2, 3)).astype(np.float32)
    if kind == "categorical":
        return _onehot(rng, N, 4), _probs(rng, (N, 4))
    if kind == "categorical_unnormalised":
        return _onehot(rng, N, 4), rng.uniform(0.1, 2.0, (N, 4)).astype(np.float32)
    if kind == "categorical_logits":
        return _onehot(rng, N, 4), rng.standard_normal((N, 4)).astype(np.float32)
    if kind == "categorical_axis1":
        y = np.moveaxis(np.eye(4, dtype=np.float32)[rng.integers(0, 4, (N, 2))], -1, 1)
        p = rng.uniform(0.1, 1.0, (N, 4, 2)).astype(np.float32)
        return y, p / p.sum(1, keepdims=True)
    if kind == "sparse":
        return rng.integers(0, 4, N), _probs(rng, (N, 4))
    if kind == "sparse_column":
        return rng.integers(0, 4, (N, 1)).astype(np.uint8), _probs(rng, (N, 4))
    if kind == "sparse_logits":
        return rng.integers(0, 4, N), rng.standard_normal((N, 4)).astype(np.float32)
    if kind == "sparse_ignore":
        labels = rng.integers(0, 4, N)
        labels[[1, 4]] = -1
        return labels, _probs(rng, (N, 4))
    if kind == "sparse_sequence":
        return rng.integers(0, 4, (N, 3)), _probs(rng, (N, 3, 4))
    raise KeyError(kind)


# (class name, constructor kwargs, data kind)
CASES = [
    ("MeanSquaredError", {}, "regression"),
    ("MeanSquaredError", {}, "regression_1d"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "mape"),
    ("MeanSquaredLogarithmicError", {}, "msle"),
    ("Huber", {}, "regression"),
    ("Huber", {"delta": 0.5}, "regression"),
    ("LogCosh", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("CosineSimilarity", {"axis": 0}, "regression"),
    ("Hinge", {}, "hinge01"),
    ("Hinge", {}, "hinge_pm"),
    ("SquaredHinge", {}, "hinge01"),
    ("SquaredHinge", {}, "hinge_pm"),
    ("CategoricalHinge", {}, "onehot_scores"),
    ("KLDivergence", {}, "distribution"),
    ("Poisson", {}, "positive"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {}, "binary_1d_labels"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "multilabel"),
    ("BinaryCrossentropy", {}, "binary_edges"),
    ("BinaryCrossentropy", {"from_logits": True}, "logits_binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits_binary"),
    ("BinaryCrossentropy", {"axis": 1}, "sequence_binary"),
    ("BinaryFocalCrossentropy", {}, "multilabel"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5},
     "multilabel"),
    ("BinaryFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits_binary"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {}, "categorical_unnormalised"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical_logits"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2},
     "categorical_logits"),
    ("CategoricalCrossentropy", {"axis": 1}, "categorical_axis1"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {}, "sparse_column"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": -1}, "sparse_ignore"),
    ("SparseCategoricalCrossentropy", {}, "sparse_sequence"),
]

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]


def _weights(kind: str, rng, loss_shape: tuple):
    """Sample weights: one per sample (with trailing 1s for losses with more axes),
    one column (N, 1), or a scalar."""
    if kind == "none":
        return None
    if kind == "vector":
        shape = loss_shape[:1] + (1,) * (len(loss_shape) - 1)
        return rng.uniform(0.0, 2.0, shape).astype(np.float32)
    if kind == "column":
        return rng.uniform(0.0, 2.0, (loss_shape[0], 1)).astype(np.float32)
    return np.float32(0.7)


def _compare(keras, torch, name, kwargs, kind, reduction, weights_kind, seed):
    rng = np.random.default_rng(seed)
    y_true, y_pred = _data(kind, rng)
    loss_shape = getattr(losses, name)(reduction="none", **kwargs)(y_true, y_pred).shape
    sample_weight = _weights(weights_kind, rng, loss_shape)
    ours = getattr(losses, name)(reduction=reduction, **kwargs)
    theirs = getattr(keras.losses, name)(reduction=reduction, **kwargs)

    pred = Tensor(y_pred.copy(), requires_grad=True)
    value = ours(y_true, pred, sample_weight=sample_weight)
    projection = rng.standard_normal(value.shape).astype(np.float32)
    grad = glassnet.grad(value, [pred], grad_output=projection)[0]

    torch_pred = torch.tensor(y_pred, requires_grad=True)
    expected = theirs(y_true, torch_pred, sample_weight=sample_weight)
    (expected * torch.tensor(projection)).sum().backward()

    np.testing.assert_allclose(value.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad, torch_pred.grad.numpy(), rtol=1e-4, atol=1e-6)
    assert value.dtype == np.float32


@pytest.mark.parametrize("name,kwargs,kind", CASES)
@pytest.mark.parametrize("weights_kind", ["none", "vector"])
def test_value_and_gradient_match_keras(keras, torch, name, kwargs, kind, weights_kind):
    _compare(keras, torch, name, kwargs, kind, "sum_over_batch_size", weights_kind, seed=3)


# Keras itself fails on a scalar weight combined with ignore_class's mask (an in-place
# multiply of a 0-d tensor), so that one combination has no reference to compare with.
REDUCTION_CASES = [(case, weights) for case in (CASES[0], CASES[1], CASES[17], CASES[33],
                                                 CASES[36], CASES[37], CASES[23])
                   for weights in ("none", "vector", "column", "scalar")
                   if not (case[1].get("ignore_class") is not None and weights == "scalar")]


@pytest.mark.parametrize("case,weights_kind", REDUCTION_CASES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_every_reduction_and_weight_shape(keras, torch, case, weights_kind, reduction):
    name, kwargs, kind = case
    _compare(keras, torch, name, kwargs, kind, reduction, weights_kind, seed=11)


def test_sequence_losses_reject_unbroadcastable_weights():
    rng = np.random.default_rng(0)
    y_true, y_pred = _data("sparse_sequence", rng)
    with pytest.raises(ValueError, match=r"sample_weight.shape=\(6,\), losses.shape=\(6, 3\)"):
        losses.SparseCategoricalCrossentropy()(y_true, y_pred, sample_weight=np.ones(6))


@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy",
                                  "sparse_categorical_crossentropy", "mean_squared_error",
                                  "mean_absolute_error", "kl_divergence", "huber", "log_cosh",
                                  "poisson", "hinge", "squared_hinge", "categorical_hinge",
                                  "mean_absolute_percentage_error",
                                  "mean_squared_logarithmic_error", "cosine_similarity",
                                  "binary_focal_crossentropy"])
def test_function_forms_return_per_sample_values_like_keras(keras, name):
    rng = np.random.default_rng(5)
    kind = {"sparse_categorical_crossentropy": "sparse", "categorical_crossentropy":
            "categorical", "kl_divergence": "distribution", "poisson": "positive",
            "categorical_hinge": "onehot_scores", "binary_crossentropy": "multilabel",
            "binary_focal_crossentropy": "multilabel", "hinge": "hinge01",
            "squared_hinge": "hinge01", "mean_squared_logarithmic_error": "msle",
            "mean_absolute_percentage_error": "mape"}.get(name, "regression")
    y_true, y_pred = _data(kind, rng)
    ours = getattr(losses, name)(y_true, y_pred)
    expected = getattr(keras.losses, name)(y_true, y_pred)
    assert ours.shape == tuple(expected.shape) == (N,)
    np.testing.assert_allclose(ours.numpy(), np.asarray(expected), rtol=1e-5, atol=1e-6)


def test_short_aliases_are_the_functions():
    assert losses.mse is losses.mean_squared_error
    assert losses.MAE is losses.mean_absolute_error
    assert losses.kld is losses.kl_divergence
    assert losses.get("bce") is losses.binary_crossentropy
