"""The recurrent layers given Keras 3's weights produce Keras 3's outputs (float32, 1e-5).

Each test builds the Keras layer (torch backend), copies its weights into the glassnet layer
with ``set_weights`` (same order and shapes), and compares every output: sequences, last
outputs and states, in both directions, with masks from ``Embedding(mask_zero=True)`` and
``Masking``, and inside ``Bidirectional``.
"""

from __future__ import annotations

import numpy as np
import pytest

from glassnet import layers as gl
from glassnet.layers.core.embedding import Embedding
from glassnet.layers.reshaping.repeat_vector import RepeatVector
from glassnet.layers.rnn import (GRU, LSTM, Bidirectional, Masking, SimpleRNN,
                                 TimeDistributed)
from glassnet.models import Sequential

ATOL = 1e-5
GLASSNET = {"LSTM": LSTM, "GRU": GRU, "SimpleRNN": SimpleRNN}


def _as_list(result):
    return list(result) if isinstance(result, (list, tuple)) else [result]


def _numpy(x):
    """A NumPy array from a glassnet Tensor, a torch tensor or an array."""
    if type(x).__module__.startswith("torch"):
        return x.detach().cpu().numpy()
    return np.asarray(x.data if hasattr(x, "data") and not isinstance(x, np.ndarray) else x)


def assert_outputs_match(ours, theirs):
    ours, theirs = _as_list(ours), _as_list(theirs)
    assert len(ours) == len(theirs), f"{len(ours)} outputs, Keras has {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        a, b = _numpy(a), _numpy(b)
        assert a.shape == b.shape, f"output {i}: shape {a.shape}, Keras {b.shape}"
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=1e-5, err_msg=f"output {i}")


def twin(keras, kind: str, x, **options):
    """The Keras layer and a glassnet layer with its weights, both called once on ``x``."""
    theirs = getattr(keras.layers, kind)(**options)
    keras_out = theirs(x)
    ours = GLASSNET[kind](**options)
    ours(x)
    ours.set_weights(theirs.get_weights())
    return ours, theirs, keras_out


def _inputs(seed=0, batch=3, steps=7, features=4):
    return np.random.default_rng(seed).standard_normal((batch, steps, features)).astype(
        "float32")


FLAGS = [dict(return_sequences=s, return_state=r, go_backwards=b)
         for s in (False, True) for r in (False, True) for b in (False, True)]


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: "-".join(k for k, v in f.items() if v)
                         or "plain")
def test_recurrent_layer_matches_keras(keras, kind, flags):
    x = _inputs(seed=len(kind))
    ours, theirs, expected = twin(keras, kind, x, units=5, **flags)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    assert_outputs_match(ours(x), expected)


@pytest.mark.parametrize("kind, options", [
    ("GRU", {"reset_after": False}),
    ("GRU", {"use_bias": False, "return_sequences": True}),
    ("LSTM", {"use_bias": False, "unit_forget_bias": False}),
    ("SimpleRNN", {"activation": "relu", "return_sequences": True}),
    ("LSTM", {"activation": "relu", "recurrent_activation": "hard_sigmoid"}),
    ("GRU", {"activation": "softsign", "return_sequences": True, "go_backwards": True}),
])
def test_recurrent_options_match_keras(keras, kind, options):
    x = _inputs(seed=3)
    ours, theirs, expected = twin(keras, kind, x, units=4, **options)
    assert_outputs_match(ours(x), expected)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "SimpleRNN"])
def test_initial_state_matches_keras(keras, kind):
    x = _inputs(seed=4)
    count = 2 if kind == "LSTM" else 1
    states = [np.random.default_rng(i).standard_normal((3, 5)).astype("float32")
              for i in range(count)]
    ours, theirs, _ = twin(keras, kind, x, units=5, return_sequences=True, return_state=True)
    assert_outputs_match(ours(x, initial_state=states), theirs(x, initial_state=states))


MASK_PATTERNS = [
    [1, 1, 1, 1, 1, 0, 0],  # right padding
    [0, 0, 1, 1, 1, 1, 1],  # left padding, as pad_sequences makes it
    [1, 0, 1, 1, 0, 1, 1],  # holes
]


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("flags", [dict(return_sequences=True), dict(go_backwards=True),
                                   dict(return_sequences=True, return_state=True,
                                        go_backwards=True)])
def test_explicit_mask_matches_keras(keras, kind, flags):
    x = _inputs(seed=5)
    mask = np.array(MASK_PATTERNS, dtype=bool)
    states = [np.random.default_rng(9 + i).standard_normal((3, 4)).astype("float32")
              for i in range(2 if kind == "LSTM" else 1)]
    ours, theirs, _ = twin(keras, kind, x, units=4, **flags)
    assert_outputs_match(ours(x, mask=mask, initial_state=states),
                         theirs(x, mask=mask, initial_state=states))


def _token_batch(seed=6):
    rng = np.random.default_rng(seed)
    tokens = rng.integers(1, 30, (4, 8))
    tokens[0, :3] = 0      # pre-padding
    tokens[1, 5:] = 0      # post-padding
    tokens[2, ::3] = 0     # holes
    return tokens


def _copy_model_weights(ours, theirs):
    for mine, keras_layer in zip(ours.layers, theirs.layers):
        mine.set_weights(keras_layer.get_weights())


@pytest.mark.parametrize("recurrent", [
    lambda k: k.layers.LSTM(6),
    lambda k: k.layers.GRU(6, return_sequences=True),
    lambda k: k.layers.Bidirectional(k.layers.LSTM(5, return_sequences=True)),
    lambda k: k.layers.Bidirectional(k.layers.GRU(5), merge_mode="sum"),
], ids=["lstm", "gru-sequences", "bidirectional-lstm", "bidirectional-gru-sum"])
def test_embedding_mask_zero_feeding_recurrent_matches_keras(keras, recurrent):
    tokens = _token_batch()
    theirs = keras.Sequential([keras.Input((8,), dtype="int32"),
                               keras.layers.Embedding(30, 5, mask_zero=True),
                               recurrent(keras)])
    expected = theirs(tokens)
    ours = Sequential([gl.Input((8,), dtype="int32")] +
                      [_glassnet_twin(layer) for layer in theirs.layers])
    _copy_model_weights(ours, theirs)
    assert_outputs_match(ours(tokens), expected)


def _glassnet_twin(layer):
    """A glassnet layer configured like the given Keras layer."""
    config = layer.get_config()
    kind = type(layer).__name__
    if kind == "Bidirectional":
        return Bidirectional(_glassnet_twin(layer.forward_layer),
                             merge_mode=config["merge_mode"])
    if kind == "Embedding":
        return Embedding(config["input_dim"], config["output_dim"],
                         mask_zero=config["mask_zero"])
    return GLASSNET[kind](config["units"], return_sequences=config["return_sequences"])


def test_masking_layer_then_gru_matches_keras(keras):
    x = _inputs(seed=7, batch=3, steps=6)
    x[0, 2:4] = 0.0
    x[2, :3] = 0.0
    theirs = keras.Sequential([keras.Input((6, 4)), keras.layers.Masking(0.0),
                               keras.layers.GRU(4, return_sequences=True)])
    expected = theirs(x)
    ours = Sequential([gl.Input((6, 4)), Masking(0.0), GRU(4, return_sequences=True)])
    _copy_model_weights(ours, theirs)
    assert_outputs_match(ours(x), expected)
    np.testing.assert_array_equal(Masking(0.0)(x)._keras_mask, x.any(axis=-1))


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("flags", [dict(), dict(return_sequences=True),
                                   dict(return_sequences=True, return_state=True)])
def test_bidirectional_matches_keras(keras, merge_mode, flags):
    x = _inputs(seed=8)
    theirs = keras.layers.Bidirectional(keras.layers.LSTM(4, **flags), merge_mode=merge_mode)
    expected = theirs(x)
    ours = Bidirectional(LSTM(4, **flags), merge_mode=merge_mode)
    ours(x)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    assert_outputs_match(ours(x), expected)


def test_bidirectional_with_mask_and_backward_layer_matches_keras(keras):
    x = _inputs(seed=9)
    mask = np.array(MASK_PATTERNS, dtype=bool)
    theirs = keras.layers.Bidirectional(
        keras.layers.GRU(3, return_sequences=True),
        backward_layer=keras.layers.SimpleRNN(3, return_sequences=True, go_backwards=True))
    expected = theirs(x, mask=mask)
    ours = Bidirectional(GRU(3, return_sequences=True),
                         backward_layer=SimpleRNN(3, return_sequences=True, go_backwards=True))
    ours(x)
    ours.set_weights(theirs.get_weights())
    assert_outputs_match(ours(x, mask=mask), expected)


def test_stateful_layer_carries_states_like_keras(keras):
    first, second = _inputs(seed=10, batch=2), _inputs(seed=11, batch=2)
    theirs = keras.layers.LSTM(3, stateful=True, return_sequences=True)
    theirs(first)
    ours = LSTM(3, stateful=True, return_sequences=True)
    ours(first)
    ours.set_weights(theirs.get_weights())
    ours.reset_states()
    theirs.reset_states()
    assert_outputs_match([ours(first), ours(second)], [theirs(first), theirs(second)])
    ours.reset_states()
    theirs.reset_states()
    assert_outputs_match(ours(second), theirs(second))
    with pytest.raises(ValueError, match="batch size"):
        ours(_inputs(batch=3))


def test_time_distributed_and_repeat_vector_match_keras(keras):
    x = _inputs(seed=12)
    theirs = keras.Sequential([keras.Input((7, 4)), keras.layers.LSTM(5),
                               keras.layers.RepeatVector(3),
                               keras.layers.LSTM(4, return_sequences=True),
                               keras.layers.TimeDistributed(keras.layers.Dense(2))])
    expected = theirs(x)
    ours = Sequential([gl.Input((7, 4)), LSTM(5), RepeatVector(3),
                       LSTM(4, return_sequences=True), TimeDistributed(gl.Dense(2))])
    _copy_model_weights(ours, theirs)
    assert_outputs_match(ours(x), expected)
    assert ours.output_shape == tuple(theirs.output_shape)


def test_embedding_matches_keras(keras):
    tokens = _token_batch()
    theirs = keras.layers.Embedding(30, 4, mask_zero=True)
    expected = theirs(tokens)
    ours = Embedding(30, 4, mask_zero=True)
    ours(tokens)
    ours.set_weights(theirs.get_weights())
    out = ours(tokens)
    assert_outputs_match(out, expected)
    np.testing.assert_array_equal(out._keras_mask, _numpy(theirs.compute_mask(tokens)))


@pytest.mark.parametrize("kind, options", [("LSTM", {}), ("GRU", {"reset_after": False}),
                                           ("SimpleRNN", {})])
def test_defaults_and_config_match_keras(keras, kind, options):
    theirs = getattr(keras.layers, kind)(3, **options)
    ours = GLASSNET[kind](3, **options)
    theirs_config, ours_config = theirs.get_config(), ours.get_config()
    for key in ("units", "activation", "use_bias", "dropout", "recurrent_dropout",
                "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
                "zero_output_for_mask", "reset_after", "unit_forget_bias",
                "recurrent_activation"):
        assert ours_config.get(key) == theirs_config.get(key), key
    for key in ("kernel_initializer", "recurrent_initializer", "bias_initializer"):
        assert ours_config[key]["class_name"] == theirs_config[key]["class_name"], key
    x = _inputs(seed=13)
    theirs(x)
    ours(x)
    for mine, keras_weight in zip(ours.weights, theirs.weights):
        assert mine.path.split("/")[-2:] == keras_weight.path.split("/")[-2:]
    if kind == "LSTM":  # unit_forget_bias: ones for the forget gate only, as Keras
        np.testing.assert_array_equal(ours.bias.numpy(), _numpy(theirs.cell.bias))
    rebuilt = type(ours).from_config(ours_config)
    assert rebuilt.get_config() == ours_config
