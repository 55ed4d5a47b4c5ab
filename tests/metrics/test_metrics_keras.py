"""Every metric against Keras 3 after three update_state calls on different batches,
with and without sample weights."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet import metrics
from glassnet.core.tensor import Tensor

C = 5


def _batch(kind: str, rng, n: int):
    if kind == "sparse":
        return rng.integers(0, C, n), rng.random((n, C)).astype(np.float32)
    if kind == "sparse_column":
        return rng.integers(0, C, (n, 1)).astype(np.uint8), rng.random((n, C)).astype(np.float32)
    if kind == "onehot":
        return np.eye(C, dtype=np.float32)[rng.integers(0, C, n)], \
            rng.random((n, C)).astype(np.float32)
    if kind == "binary":
        return rng.integers(0, 2, (n, 1)), rng.random((n, 1)).astype(np.float32)
    if kind == "binary_flat_labels":
        return rng.integers(0, 2, n), rng.random((n, 1)).astype(np.float32)
    if kind == "multilabel":
        return rng.integers(0, 2, (n, 3)), rng.random((n, 3)).astype(np.float32)
    if kind == "exact":
        return rng.integers(0, 3, (n, 1)), rng.integers(0, 3, (n, 1)).astype(np.float32)
    if kind == "logits":
        return rng.integers(0, 2, (n, 1)), rng.standard_normal((n, 1)).astype(np.float32)
    if kind == "positive":
        return rng.uniform(0.5, 3, (n, 3)).astype(np.float32), \
            rng.uniform(0.5, 3, (n, 3)).astype(np.float32)
    if kind == "distribution":
        p, q = rng.uniform(0.1, 1, (n, 4)), rng.uniform(0.1, 1, (n, 4))
        return (p / p.sum(1, keepdims=True)).astype(np.float32), \
            (q / q.sum(1, keepdims=True)).astype(np.float32)
    return rng.standard_normal((n, 3)).astype(np.float32), \
        rng.standard_normal((n, 3)).astype(np.float32)


CASES = [
    ("Accuracy", {}, "exact"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {}, "binary_flat_labels"),
    ("BinaryAccuracy", {"threshold": 0.7}, "multilabel"),
    ("CategoricalAccuracy", {}, "onehot"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse_column"),
    ("TopKCategoricalAccuracy", {}, "onehot"),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {}, "sparse"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("RootMeanSquaredError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("CosineSimilarity", {}, "regression"),
    ("LogCoshError", {}, "regression"),
    ("Precision", {}, "binary"),
    ("Precision", {"thresholds": [0.3, 0.5, 0.8]}, "multilabel"),
    ("Precision", {"top_k": 2}, "multilabel"),
    ("Precision", {"class_id": 1}, "onehot"),
    ("Recall", {}, "binary"),
    ("Recall", {"thresholds": [0.0, 0.5, 1.0]}, "multilabel"),
    ("Recall", {"top_k": 2}, "onehot"),
    ("AUC", {}, "binary"),
    ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"num_thresholds": 20, "summation_method": "minoring"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}, "multilabel"),
    ("AUC", {"multi_label": True}, "multilabel"),
    ("AUC", {"multi_label": True, "curve": "PR"}, "multilabel"),
    ("AUC", {"thresholds": [0.2, 0.4, 0.9]}, "binary"),
    ("AUC", {"from_logits": True}, "logits"),
    ("TruePositives", {}, "binary"),
    ("TrueNegatives", {}, "binary"),
    ("FalsePositives", {}, "multilabel"),
    ("FalseNegatives", {"thresholds": [0.25, 0.75]}, "multilabel"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "logits"),
    ("CategoricalCrossentropy", {}, "onehot"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("KLDivergence", {}, "distribution"),
    ("Poisson", {}, "positive"),
    ("Hinge", {}, "binary"),
    ("SquaredHinge", {}, "binary"),
    ("CategoricalHinge", {}, "onehot"),
]


@pytest.mark.parametrize("name,kwargs,kind", CASES)
@pytest.mark.parametrize("weights", ["none", "vector", "column"])
def test_three_updates_match_keras(keras, name, kwargs, kind, weights):
    rng = np.random.default_rng(17)
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    for n in (7, 12, 5):
        y_true, y_pred = _batch(kind, rng, n)
        sample_weight = None if weights == "none" else rng.uniform(0, 2, n).astype(np.float32)
        if weights == "column":
            sample_weight = sample_weight[:, None]
        ours.update_state(y_true, y_pred, sample_weight=sample_weight)
        theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
    np.testing.assert_allclose(np.asarray(ours.result()), np.asarray(theirs.result()),
                               rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name,kind", [("SparseCategoricalAccuracy", "sparse"),
                                       ("AUC", "binary"), ("MeanSquaredError", "regression")])
def test_tensors_are_accepted_and_reset_starts_over(keras, name, kind):
    rng = np.random.default_rng(3)
    ours, theirs = getattr(metrics, name)(), getattr(keras.metrics, name)()
    y_true, y_pred = _batch(kind, rng, 9)
    ours.update_state(y_true, Tensor(y_pred))
    ours.reset_state()
    for n in (4, 6):
        y_true, y_pred = _batch(kind, rng, n)
        ours.update_state(Tensor(y_true), Tensor(y_pred, requires_grad=True))
        theirs.update_state(y_true, y_pred)
    np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=1e-6)


@pytest.mark.parametrize("values,weights", [
    ([1.0, 3.0, 5.0, 7.0], None), ([1.0, 3.0, 5.0, 7.0], [1.0, 1.0, 0.0, 0.0]),
    (2.5, None), (0.25, 32), ([[1.0, 2.0], [3.0, 4.0]], [1.0, 3.0]), ([1.0, 2.0, 3.0], 2.0)])
@pytest.mark.parametrize("name", ["Mean", "Sum"])
def test_mean_and_sum_match_keras(keras, name, values, weights):
    ours, theirs = getattr(metrics, name)(), getattr(keras.metrics, name)()
    for _ in range(2):
        ours.update_state(values, sample_weight=weights)
        theirs.update_state(values, sample_weight=weights)
    assert float(ours.result()) == pytest.approx(float(theirs.result()), rel=1e-6)


@pytest.mark.parametrize("name,kind", [
    ("binary_accuracy", "binary"), ("categorical_accuracy", "onehot"),
    ("sparse_categorical_accuracy", "sparse"), ("sparse_categorical_accuracy", "sparse_column"),
    ("top_k_categorical_accuracy", "onehot"), ("sparse_top_k_categorical_accuracy", "sparse"),
    ("binary_crossentropy", "binary"), ("mean_squared_error", "regression"),
    ("mean_absolute_error", "regression")])
def test_function_forms_match_keras(keras, name, kind):
    y_true, y_pred = _batch(kind, np.random.default_rng(8), 10)
    ours = getattr(metrics, name)(y_true, y_pred)
    np.testing.assert_allclose(np.asarray(ours), np.asarray(getattr(keras.metrics, name)(
        y_true, y_pred)), rtol=1e-6)
