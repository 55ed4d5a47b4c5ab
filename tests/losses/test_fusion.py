"""Cross-entropy on a softmax / sigmoid output is computed from the logits with one fused op:
the same value and logit gradient as Keras's probability form away from the clip, and the
(p - y) gradient where the probability form would have clipped it to zero."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet import activations, losses
from glassnet.core.tensor import Tensor
from glassnet.ops import loss_extras
from glassnet.ops import losses as fused

N, C = 8, 5


def _loss_op(value: Tensor):
    """The per-sample op under the batch reduction of a loss value."""
    node = value.node
    assert isinstance(node.op, loss_extras.WeightedSum)
    return node.inputs[0].node.op


def _keras_grad_wrt_logits(torch, keras_loss, y_true, logits, activation, sample_weight):
    t = torch.tensor(logits, requires_grad=True)
    value = keras_loss(y_true, activation(t), sample_weight=sample_weight)
    value.backward()
    return value.detach().numpy(), t.grad.numpy()


CASES = [
    ("SparseCategoricalCrossentropy", {}, "sparse", fused.SparseSoftmaxCrossEntropy),
    ("CategoricalCrossentropy", {}, "onehot", fused.SoftmaxCrossEntropy),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "onehot", fused.SoftmaxCrossEntropy),
    ("BinaryCrossentropy", {}, "binary", fused.SigmoidBinaryCrossEntropy),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "multilabel",
     fused.SigmoidBinaryCrossEntropy),
]


def _case_data(kind, rng):
    if kind == "sparse":
        return rng.integers(0, C, N), rng.standard_normal((N, C)).astype(np.float32)
    if kind == "onehot":
        return np.eye(C, dtype=np.float32)[rng.integers(0, C, N)], \
            rng.standard_normal((N, C)).astype(np.float32)
    if kind == "binary":
        return rng.integers(0, 2, (N, 1)).astype(np.float32), \
            rng.standard_normal((N, 1)).astype(np.float32) * 2
    return rng.integers(0, 2, (N, 3)).astype(np.float32), \
        rng.standard_normal((N, 3)).astype(np.float32)


@pytest.mark.parametrize("name,kwargs,kind,op_type", CASES)
@pytest.mark.parametrize("weighted", [False, True])
def test_fused_value_and_logit_gradient_match_keras(keras, torch, name, kwargs, kind, op_type,
                                                    weighted):
    rng = np.random.default_rng(21)
    y_true, logits = _case_data(kind, rng)
    sample_weight = rng.uniform(0.5, 2.0, N).astype(np.float32) if weighted else None
    softmax = kind in ("sparse", "onehot")

    x = Tensor(logits.copy(), requires_grad=True)
    probs = activations.softmax(x) if softmax else activations.sigmoid(x)
    value = getattr(losses, name)(**kwargs)(y_true, probs, sample_weight=sample_weight)
    assert type(_loss_op(value)) is op_type
    grad = glassnet.grad(value, [x])[0]

    activation = (lambda t: torch.softmax(t, -1)) if softmax else torch.sigmoid
    expected, expected_grad = _keras_grad_wrt_logits(
        torch, getattr(keras.losses, name)(**kwargs), y_true, logits, activation, sample_weight)
    np.testing.assert_allclose(value.numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("function,kind", [
    (losses.sparse_categorical_crossentropy, "sparse"),
    (losses.categorical_crossentropy, "onehot"),
    (losses.binary_crossentropy, "multilabel")])
def test_function_forms_and_compile_names_fuse_too(function, kind):
    rng = np.random.default_rng(4)
    y_true, logits = _case_data(kind, rng)
    x = Tensor(logits, requires_grad=True)
    probs = activations.sigmoid(x) if kind == "multilabel" else activations.softmax(x)
    per_sample = function(y_true, probs)
    assert per_sample.node.inputs[0] is x


def test_saturated_softmax_still_gets_the_p_minus_y_gradient(torch):
    # Logit gaps of 40 give probabilities below 1e-7: Keras's probability form clips them
    # and back-propagates zero; the fused form gives softmax - onehot, as from logits.
    logits = np.array([[40.0, 0.0, -40.0], [0.0, 40.0, 0.0]], dtype=np.float32)
    labels = np.array([2, 0])
    x = Tensor(logits, requires_grad=True)
    value = losses.SparseCategoricalCrossentropy()(labels, activations.softmax(x))
    grad = glassnet.grad(value, [x])[0]

    t = torch.tensor(logits, requires_grad=True)
    reference = torch.nn.functional.cross_entropy(t, torch.tensor(labels))
    reference.backward()
    np.testing.assert_allclose(value.numpy(), reference.detach().numpy(), rtol=1e-5)
    np.testing.assert_allclose(grad, t.grad.numpy(), atol=1e-6)
    assert np.abs(grad).max() > 0.4


def test_no_fusion_for_other_producers_or_axes():
    rng = np.random.default_rng(2)
    logits = Tensor(rng.standard_normal((4, 3, 5)).astype(np.float32), requires_grad=True)
    labels = rng.integers(0, 3, (4, 5))
    # A softmax over axis 1 with the loss over axis 1: the probability form is used.
    probs = activations.softmax(logits, axis=1)
    value = losses.SparseCategoricalCrossentropy(axis=1)(labels, probs)
    assert type(_loss_op(value)) is fused.SparseCategoricalCrossEntropy
    # A softmax output that went through another op is not fused either.
    scaled = activations.softmax(Tensor(np.ones((2, 3), np.float32), requires_grad=True)) * 1.0
    value = losses.CategoricalCrossentropy()(np.eye(3, dtype=np.float32)[[0, 1]], scaled)
    assert type(_loss_op(value)) is fused.CategoricalCrossEntropy
    # from_logits=True on a softmax output means the output itself is taken as logits.
    x = Tensor(np.ones((2, 3), np.float32), requires_grad=True)
    value = losses.SparseCategoricalCrossentropy(from_logits=True)([0, 1], activations.softmax(x))
    assert _loss_op(value).probs.shape == (2, 3)
    assert value.node.inputs[0].node.inputs[0].node.op.label == "softmax"


def test_probability_inputs_without_graph_use_the_clipped_form(keras):
    probs = np.array([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]], dtype=np.float32)
    labels = np.array([1, 2])
    value = losses.SparseCategoricalCrossentropy()(labels, probs)
    expected = keras.losses.SparseCategoricalCrossentropy()(labels, probs)
    np.testing.assert_allclose(value.numpy(), np.asarray(expected), rtol=1e-6)
