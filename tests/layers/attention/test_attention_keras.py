"""Attention, AdditiveAttention, MultiHeadAttention and LayerNormalization given Keras 3's
weights produce Keras 3's outputs (float32, 1e-5), with masks, causal masks, returned scores
and other attention axes; and the same weight gradients as Keras's torch backend.
"""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.layers.attention import AdditiveAttention, Attention, MultiHeadAttention
from glassnet.layers.core.embedding import Embedding
from glassnet.layers.normalization.layer_normalization import LayerNormalization
from tests.layers.rnn.test_rnn_keras import _numpy, assert_outputs_match


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _twin(theirs, ours, *args, **kwargs):
    expected = theirs(*args, **kwargs)
    ours(*args, **kwargs)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    return expected


MASKS = [np.array([[1, 1, 0], [1, 1, 1]], bool), np.array([[1, 0, 1, 1], [0, 1, 1, 1]], bool)]


@pytest.mark.parametrize("options", [{}, {"use_scale": True},
                                     {"score_mode": "concat"},
                                     {"score_mode": "concat", "use_scale": True}])
@pytest.mark.parametrize("call", [{}, {"mask": MASKS}, {"use_causal_mask": True},
                                  {"return_attention_scores": True, "mask": MASKS}],
                         ids=["plain", "masks", "causal", "scores"])
def test_attention_matches_keras(keras, options, call):
    query, value, key = _rand(2, 3, 5, seed=1), _rand(2, 4, 5, seed=2), _rand(2, 4, 5, seed=3)
    theirs, ours = keras.layers.Attention(**options), Attention(**options)
    if options.get("use_scale") or options.get("score_mode") == "concat":
        theirs([query, value, key])
        for weight in theirs.weights:  # move the scalars off 1 so they matter
            weight.assign(np.float32(0.7))
    expected = _twin(theirs, ours, [query, value, key], **call)
    assert_outputs_match(ours([query, value, key], **call), expected)


def test_additive_attention_matches_keras(keras):
    query, value = _rand(2, 3, 5, seed=4), _rand(2, 4, 5, seed=5)
    theirs, ours = keras.layers.AdditiveAttention(), AdditiveAttention()
    expected = _twin(theirs, ours, [query, value], mask=MASKS, return_attention_scores=True)
    assert_outputs_match(ours([query, value], mask=MASKS, return_attention_scores=True),
                         expected)
    assert ours.get_config().keys() - {"dtype"} == theirs.get_config().keys() - {"dtype"}


@pytest.mark.parametrize("options, shapes", [
    ({"num_heads": 2, "key_dim": 4}, [(2, 5, 6)]),
    ({"num_heads": 3, "key_dim": 2, "value_dim": 5, "output_shape": 7},
     [(2, 4, 6), (2, 6, 3), (2, 6, 8)]),
    ({"num_heads": 2, "key_dim": 3, "use_bias": False}, [(3, 4, 5), (3, 2, 5)]),
    ({"num_heads": 2, "key_dim": 3, "attention_axes": (1, 2)}, [(2, 3, 4, 6)]),
    ({"num_heads": 2, "key_dim": 3, "attention_axes": 2}, [(2, 3, 4, 6)]),
], ids=["self", "cross-value-dim-output", "no-bias", "two-axes", "inner-axis"])
def test_multi_head_attention_matches_keras(keras, options, shapes):
    arrays = [_rand(*s, seed=i + 10) for i, s in enumerate(shapes)]
    query, rest = arrays[0], arrays[1:] or [arrays[0]]
    theirs, ours = keras.layers.MultiHeadAttention(**options), MultiHeadAttention(**options)
    expected = _twin(theirs, ours, query, *rest, return_attention_scores=True)
    assert_outputs_match(ours(query, *rest, return_attention_scores=True), expected)
    for mine, keras_weight in zip(ours.weights, theirs.weights):
        assert mine.path.split("/")[1:] == keras_weight.path.split("/")[1:]


@pytest.mark.parametrize("call", [{"use_causal_mask": True},
                                  {"attention_mask": np.tril(np.ones((2, 5, 5), bool), k=1)},
                                  {"use_causal_mask": True,
                                   "attention_mask": np.ones((2, 5, 5), bool)}],
                         ids=["causal", "attention-mask", "both"])
def test_multi_head_attention_masks_match_keras(keras, call):
    x = _rand(2, 5, 6, seed=20)
    theirs = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    ours = MultiHeadAttention(num_heads=2, key_dim=3)
    expected = _twin(theirs, ours, x, x, return_attention_scores=True, **call)
    assert_outputs_match(ours(x, x, return_attention_scores=True, **call), expected)


def test_multi_head_attention_uses_padding_masks_like_keras(keras):
    tokens = np.array([[3, 5, 7, 0, 0], [2, 0, 4, 6, 1]])
    k_embed = keras.layers.Embedding(10, 6, mask_zero=True)
    k_mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    inputs = keras.Input((5,), dtype="int32")
    embedded = k_embed(inputs)
    theirs = keras.Model(inputs, k_mha(embedded, embedded))
    expected = theirs(tokens)
    g_inputs = glassnet.Input((5,), dtype="int32")
    g_embedded = Embedding(10, 6, mask_zero=True)(g_inputs)
    ours = glassnet.Model(g_inputs, MultiHeadAttention(num_heads=2, key_dim=3)(g_embedded,
                                                                              g_embedded))
    for mine, keras_layer in zip(ours.layers[1:], theirs.layers[1:]):
        mine.set_weights(keras_layer.get_weights())
    out = ours(tokens)
    assert_outputs_match(out, expected)
    np.testing.assert_array_equal(out._keras_mask, tokens != 0)


@pytest.mark.parametrize("options, shape", [({}, (3, 4, 6)), ({"axis": [1, 2]}, (2, 3, 4)),
                                            ({"center": False, "epsilon": 1e-5}, (4, 7)),
                                            ({"scale": False}, (2, 3, 4))])
def test_layer_normalization_matches_keras(keras, options, shape):
    x = _rand(*shape, seed=30) * 3 + 1
    theirs, ours = keras.layers.LayerNormalization(**options), LayerNormalization(**options)
    theirs(x)
    weights = [np.random.default_rng(31 + i).standard_normal(w.shape).astype("float32")
               for i, w in enumerate(theirs.weights)]
    theirs.set_weights(weights)
    ours(x)
    ours.set_weights(weights)
    assert_outputs_match(ours(x), theirs(x))
    assert ours.get_config()["epsilon"] == theirs.get_config()["epsilon"]


def test_weight_gradients_match_keras(keras, torch):
    """d(sum of outputs * fixed projection) / d weights, Keras's torch autograd vs glassnet."""
    x = _rand(2, 4, 6, seed=40)
    projection = _rand(2, 4, 6, seed=41)
    k_mha, k_norm = keras.layers.MultiHeadAttention(2, 3), keras.layers.LayerNormalization()
    g_mha, g_norm = MultiHeadAttention(2, 3), LayerNormalization()
    k_norm(k_mha(x, x, use_causal_mask=True))
    g_norm(g_mha(x, x, use_causal_mask=True))
    g_mha.set_weights(k_mha.get_weights())
    k_variables = k_mha.weights + k_norm.weights
    loss = (k_norm(k_mha(x, x, use_causal_mask=True)) * torch.from_numpy(projection)).sum()
    expected = torch.autograd.grad(loss, [v.value for v in k_variables])
    g_variables = g_mha.weights + g_norm.weights
    output = g_norm(g_mha(glassnet.Tensor(x), x, use_causal_mask=True))
    got = glassnet.grad(output, g_variables, grad_output=projection)
    for g, e, variable in zip(got, expected, g_variables):
        np.testing.assert_allclose(g, _numpy(e), atol=1e-5, rtol=1e-4, err_msg=variable.path)
