"""Merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot) and
their function forms against Keras 3: values, gradients, shapes, masks, configs, errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.layers import merging
from glassnet.layers.core.embedding import Embedding

ELEMENTWISE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]


def _arrays(shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=s).astype(np.float32) for s in shapes]


def _compare(keras, torch, name, kwargs, shapes):
    xs = _arrays(shapes)
    ours = getattr(merging, name)(**kwargs)
    theirs = getattr(keras.layers, name)(**kwargs)
    tensors = [glassnet.Tensor(x, requires_grad=True) for x in xs]
    out = ours(tensors)
    seed = np.random.default_rng(1).normal(size=out.shape).astype(np.float32)
    grads = glassnet.grad(glassnet.ops.sum(out * seed), tensors)
    torch_xs = [torch.tensor(x, requires_grad=True) for x in xs]
    want = theirs(torch_xs)
    (want * torch.tensor(seed)).sum().backward()
    np.testing.assert_allclose(out.numpy(), want.detach().numpy(), rtol=1e-5, atol=1e-6)
    for g, t in zip(grads, torch_xs):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-5, atol=1e-6)
    assert ours.compute_output_shape([(None,) + s[1:] for s in shapes]) == \
        theirs.compute_output_shape([(None,) + s[1:] for s in shapes])


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("shapes", [[(3, 4), (3, 4)], [(2, 3, 4), (2, 3, 4), (2, 3, 4)],
                                    [(2, 3, 4), (2, 4)], [(2, 3, 1), (2, 3, 4)]],
                         ids=["pair", "three", "ranks", "broadcast"])
def test_elementwise_merges_match_keras(keras, torch, name, shapes):
    if name == "Subtract" and len(shapes) != 2:
        with pytest.raises(ValueError, match="exactly 2 inputs"):
            merging.Subtract()(_arrays(shapes))
        return
    _compare(keras, torch, name, {}, shapes)


@pytest.mark.parametrize("kwargs,shapes", [
    ({}, [(2, 3), (2, 5)]),
    ({"axis": 1}, [(2, 3, 4), (2, 2, 4)]),
    ({"axis": -2}, [(2, 1, 4), (2, 3, 4), (2, 2, 4)]),
])
def test_concatenate_matches_keras(keras, torch, kwargs, shapes):
    _compare(keras, torch, "Concatenate", kwargs, shapes)


@pytest.mark.parametrize("kwargs,shapes", [
    ({"axes": 1}, [(3, 4), (3, 4)]),
    ({"axes": -1, "normalize": True}, [(3, 4), (3, 4)]),
    ({"axes": (1, 2)}, [(2, 3, 5), (2, 4, 3)]),
    ({"axes": (2, 1)}, [(2, 3, 4), (2, 4, 5)]),
    ({"axes": 2, "normalize": True}, [(2, 3, 4), (2, 5, 4)]),
    ({"axes": (1, 1)}, [(2, 3), (2, 3, 6)]),
])
def test_dot_matches_keras(keras, torch, kwargs, shapes):
    _compare(keras, torch, "Dot", kwargs, shapes)


@pytest.mark.parametrize("name", ["Add", "Multiply", "Maximum", "Minimum", "Average",
                                  "Concatenate"])
def test_masks_follow_keras(keras, name):
    tokens = np.array([[3, 1, 0, 0], [2, 5, 4, 0]])
    other = np.array([[1, 0, 0, 0], [2, 2, 2, 2]])
    rng = np.random.default_rng(0)
    table = rng.normal(size=(6, 3)).astype(np.float32)

    def run(K, layer_module):
        embed = (Embedding if K is glassnet else K.layers.Embedding)(6, 3, mask_zero=True)
        embed.build((None, 4))
        embed.set_weights([table])
        a, b = embed(tokens), embed(other)
        out = getattr(layer_module, name)()([a, b])
        mask = getattr(out, "_keras_mask", None)
        return np.asarray(out.detach() if hasattr(out, "detach") else out), \
            None if mask is None else np.asarray(mask.cpu() if hasattr(mask, "cpu") else mask)

    got, got_mask = run(glassnet, merging)
    want, want_mask = run(keras, keras.layers)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    np.testing.assert_array_equal(got_mask, want_mask)


def test_function_forms_build_graphs():
    a = glassnet.Input(shape=(4,))
    b = glassnet.Input(shape=(4,))
    for fn in (merging.add, merging.subtract, merging.multiply, merging.average,
               merging.maximum, merging.minimum):
        assert fn([a, b]).shape == (None, 4)
    assert merging.concatenate([a, b], axis=-1, name="joined").shape == (None, 8)
    assert merging.dot([a, b], axes=1).shape == (None, 1)


def test_configs_round_trip():
    for layer in (merging.Add(name="plus"), merging.Concatenate(axis=1),
                  merging.Dot(axes=(1, 2), normalize=True)):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()


def test_errors_name_what_was_received():
    with pytest.raises(ValueError, match="should be called on a list of inputs"):
        merging.Add()(np.ones((2, 3)))
    with pytest.raises(ValueError, match="incompatible shapes"):
        merging.Add()([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match="different batch sizes"):
        merging.Add()([np.ones((2, 3)), np.ones((3, 3))])
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        merging.Concatenate()([glassnet.Input(shape=(2, 3)), glassnet.Input(shape=(4, 3))])
    with pytest.raises(ValueError, match="Incompatible input shapes"):
        merging.Dot(axes=1)([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(ValueError, match="two elements"):
        merging.Dot(axes=(1, 2, 3))
