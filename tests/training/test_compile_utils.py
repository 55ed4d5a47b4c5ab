"""CompileLoss / CompileMetrics against Keras 3's own classes: which metric 'accuracy'
becomes, log names for one and several outputs, loss weights and per-output loss logs."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet import activations, losses, metrics
from glassnet.core.tensor import Tensor
from glassnet.training.compile_utils import CompileLoss, CompileMetrics, get_loss, get_metric

N = 12


@pytest.fixture(scope="module")
def keras_compile(keras):
    from keras.src.trainers import compile_utils
    return compile_utils


SHAPES = {
    "sparse (N,)": ((N,), (N, 4)),
    "sparse (N, 1)": ((N, 1), (N, 4)),
    "one-hot": ((N, 4), (N, 4)),
    "binary (N, 1)": ((N, 1), (N, 1)),
    "binary (N,) labels": ((N,), (N, 1)),
    "multilabel": ((N, 3), (N, 3)),
    "sequence sparse": ((N, 5), (N, 5, 4)),
}


@pytest.mark.parametrize("case", list(SHAPES))
@pytest.mark.parametrize("spelling", ["accuracy", "acc", "Accuracy"])
def test_accuracy_resolves_like_keras(keras_compile, case, spelling):
    true_shape, pred_shape = SHAPES[case]
    y_true, y_pred = np.zeros(true_shape), np.zeros(pred_shape, np.float32)
    ours = get_metric(spelling, y_true, y_pred)
    theirs = keras_compile.get_metric(spelling, y_true, y_pred)
    assert type(ours).__name__ == type(theirs).__name__
    assert ours.name == theirs.name == spelling


@pytest.mark.parametrize("case", list(SHAPES))
@pytest.mark.parametrize("spelling", ["crossentropy", "ce"])
def test_crossentropy_resolves_like_keras(keras_compile, case, spelling):
    true_shape, pred_shape = SHAPES[case]
    y_true, y_pred = np.zeros(true_shape), np.zeros(pred_shape, np.float32)
    ours = get_loss(spelling, y_true, y_pred)
    theirs = keras_compile.get_loss(spelling, y_true, y_pred)
    assert ours.fn.__name__ == theirs.fn.__name__ and ours.name == theirs.name == spelling


def test_metric_names_follow_keras(keras, keras_compile):
    from keras.src.utils.naming import reset_uids
    reset_uids()  # automatic names count from zero on both sides
    y_true, y_pred = np.zeros(N), np.zeros((N, 4), np.float32)
    pairs = [("mae", "mae"), ("mean_absolute_error", "mean_absolute_error"),
             (metrics.binary_accuracy, keras.metrics.binary_accuracy),
             (metrics.AUC(name="my_auc"), keras.metrics.AUC(name="my_auc")),
             (metrics.Precision, keras.metrics.Precision)]
    for ours, theirs in pairs:
        assert get_metric(ours, y_true, y_pred).name == \
            keras_compile.get_metric(theirs, y_true, y_pred).name


def _batches(rng, kinds):
    """Three batches of (y_true list, y_pred list, sample weight) for the given outputs."""
    out = []
    for n in (N, N - 4, N + 3):
        ys, ps = [], []
        for kind in kinds:
            if kind == "binary":
                ys.append(rng.integers(0, 2, n))
                ps.append(rng.uniform(0.05, 0.95, (n, 1)).astype(np.float32))
            elif kind == "sparse":
                ys.append(rng.integers(0, 3, n))
                p = rng.uniform(0.05, 1, (n, 3)).astype(np.float32)
                ps.append(p / p.sum(1, keepdims=True))
            else:
                ys.append(rng.standard_normal((n, 2)).astype(np.float32))
                ps.append(rng.standard_normal((n, 2)).astype(np.float32))
        out.append((ys, ps, rng.uniform(0, 2, n).astype(np.float32)))
    return out


def _run_metrics(compiled, batches, single):
    compiled.build(batches[0][0][0] if single else batches[0][0],
                   batches[0][1][0] if single else batches[0][1])
    for ys, ps, sw in batches:
        compiled.update_state(ys[0] if single else ys, ps[0] if single else ps, sw)
    return {k: float(np.asarray(v)) for k, v in compiled.result().items()}


METRIC_CASES = [
    (["sparse"], ["accuracy"], None),
    (["sparse"], ["acc", "sparse_categorical_crossentropy",
                  metrics.SparseTopKCategoricalAccuracy(k=2, name="top2")],
     ["accuracy"]),
    (["binary"], [["accuracy"], ["mean_absolute_error"]], None),
    (["binary"], ["accuracy", "accuracy"], ["accuracy"]),
    (["binary", "sparse"], ["acc", ["accuracy", "sparse_categorical_crossentropy"]], None),
    (["binary", "sparse"], {"bin": ["accuracy", "AUC"], "out2": "accuracy"},
     ["accuracy", "accuracy"]),
    (["binary", "regression"], {"out2": ["mae"]}, {"bin": ["accuracy"]}),
]


@pytest.mark.parametrize("kinds,user_metrics,weighted", METRIC_CASES)
def test_metric_results_and_names_match_keras(keras, keras_compile, kinds, user_metrics,
                                              weighted):
    names = ["bin", "out2"][:len(kinds)]
    batches = _batches(np.random.default_rng(5), kinds)
    single = len(kinds) == 1

    def to_keras(value):
        if isinstance(value, list):
            return [to_keras(v) for v in value]
        if isinstance(value, dict):
            return {k: to_keras(v) for k, v in value.items()}
        if isinstance(value, metrics.Metric):
            return getattr(keras.metrics, type(value).__name__).from_config(value.get_config())
        return value

    ours = _run_metrics(CompileMetrics(user_metrics, weighted, output_names=names), batches,
                        single)
    theirs = _run_metrics(keras_compile.CompileMetrics(to_keras(user_metrics),
                                                       to_keras(weighted), output_names=names),
                          batches, single)
    assert list(ours) == list(theirs)
    for key in ours:
        assert ours[key] == pytest.approx(theirs[key], rel=1e-5), key


def test_metrics_list_and_reset():
    compiled = CompileMetrics(["accuracy"], ["accuracy"])
    y, p = np.array([1, 0]), np.array([[0.2, 0.8], [0.4, 0.6]], dtype=np.float32)
    compiled.update_state(y, p, np.array([1.0, 3.0]))
    assert compiled.result() == {"accuracy": 0.5, "weighted_accuracy": 0.25}
    # Both objects are named 'accuracy'; only the weighted one's log key is renamed.
    assert [m.name for m in compiled.metrics] == ["accuracy", "accuracy"]
    compiled.reset_state()
    assert compiled.result() == {"accuracy": 0.0, "weighted_accuracy": 0.0}


def test_bad_metric_structures_raise_like_keras():
    with pytest.raises(ValueError, match=r"(?s)Invalid `metrics`.*\['bin', 'out2'\].*"
                                         r"Received: metrics=\['accuracy'\]"):
        CompileMetrics(["accuracy"], output_names=["bin", "out2"]).build(
            [np.zeros(4), np.zeros(4)], [np.zeros((4, 1)), np.zeros((4, 1))])
    with pytest.raises(ValueError, match="Expected `metrics` argument to be a list"):
        CompileMetrics("accuracy")


LOSS_CASES = [
    (["sparse"], "sparse_categorical_crossentropy", None),
    (["sparse"], losses.SparseCategoricalCrossentropy(), 2.0),
    (["binary"], "binary_crossentropy", None),
    (["binary", "sparse"], ["binary_crossentropy", "sparse_categorical_crossentropy"],
     [1.0, 0.5]),
    (["binary", "sparse"], {"out2": "sparse_categorical_crossentropy",
                            "bin": "binary_crossentropy"}, {"bin": 0.3, "out2": 2.0}),
    (["binary", "regression"], ["binary_crossentropy", "mse"], None),
    (["regression", "regression"], "mae", None),
]


@pytest.mark.parametrize("kinds,user_loss,weights", LOSS_CASES)
@pytest.mark.parametrize("weighted", [False, True])
def test_compiled_loss_matches_keras(keras, keras_compile, torch, kinds, user_loss, weights,
                                     weighted):
    names = ["bin", "out2"][:len(kinds)]
    single = len(kinds) == 1
    batches = _batches(np.random.default_rng(9), kinds)
    keras_loss = user_loss
    if isinstance(user_loss, losses.Loss):
        keras_loss = getattr(keras.losses, type(user_loss).__name__)()
    ours = CompileLoss(user_loss, weights, output_names=names)
    theirs = keras_compile.CompileLoss(keras_loss, weights, output_names=names)
    for ys, ps, sw in batches:
        sw = sw if weighted else None
        tensors = [Tensor(p, requires_grad=True) for p in ps]
        value = ours(ys[0] if single else ys, tensors[0] if single else tensors, sw)
        grads = glassnet.grad(value, tensors)
        torch_preds = [torch.tensor(p, requires_grad=True) for p in ps]
        expected = theirs(ys[0] if single else ys, torch_preds[0] if single else torch_preds, sw)
        expected.backward()
        assert float(value) == pytest.approx(float(expected.detach()), rel=1e-5)
        for g, t in zip(grads, torch_preds):
            np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-4, atol=1e-7)
    assert [m.name for m in ours.metrics] == [m.name for m in theirs.metrics]
    for a, b in zip(ours.metrics, theirs.metrics):
        assert float(a.result()) == pytest.approx(float(b.result()), rel=1e-5)


def test_single_output_with_one_item_lists_and_softmax_fusion():
    rng = np.random.default_rng(1)
    logits = Tensor(rng.standard_normal((5, 3)).astype(np.float32), requires_grad=True)
    labels = rng.integers(0, 3, 5)
    compiled = CompileLoss("sparse_categorical_crossentropy", output_names=["dense"])
    value = compiled([labels], [activations.softmax(logits)])
    assert compiled.metrics == []
    assert value.node.inputs[0].node.inputs[0] is logits
    direct = losses.sparse_categorical_crossentropy(labels, activations.softmax(logits))
    assert float(value) == pytest.approx(float(np.mean(direct.numpy())), rel=1e-6)


def test_loss_structure_errors():
    with pytest.raises(ValueError, match=r"Expected keys \['bin', 'out2'\] in loss dict"):
        CompileLoss({"bin": "mse", "other": "mse"}, output_names=["bin", "out2"]).build(
            [np.zeros((4, 1))] * 2, [np.zeros((4, 1))] * 2)
    with pytest.raises(ValueError, match="one entry per model output"):
        CompileLoss(["mse", "mse", "mse"], output_names=["bin", "out2"]).build(
            [np.zeros((4, 1))] * 2, [np.zeros((4, 1))] * 2)
    with pytest.raises(ValueError, match="Expected `loss_weights` argument"):
        CompileLoss("mse", loss_weights="heavy")
