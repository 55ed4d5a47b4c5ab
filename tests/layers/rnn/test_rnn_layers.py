"""Recurrent layers in models: symbolic shapes, encoder-decoder state passing, masks through
``fit``, configs of the wrappers, and the error messages."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet as gn
from glassnet.layers.core.embedding import Embedding
from glassnet.layers.reshaping.repeat_vector import RepeatVector
from glassnet.layers.rnn import GRU, LSTM, Bidirectional, SimpleRNN, TimeDistributed
from glassnet.layers.serialization import deserialize, serialize


def test_symbolic_shapes_with_states_and_unknown_length():
    inputs = gn.Input((None, 3))
    sequence, h, c = LSTM(4, return_sequences=True, return_state=True)(inputs)
    assert sequence.shape == (None, None, 4) and h.shape == c.shape == (None, 4)
    merged = Bidirectional(GRU(5, return_sequences=True), merge_mode="sum")(sequence)
    assert merged.shape == (None, None, 5)
    model = gn.Model(inputs, [merged, h])
    out, state = model(np.zeros((2, 7, 3), "float32"))
    assert out.shape == (2, 7, 5) and state.shape == (2, 4)


def test_encoder_states_initialize_the_decoder_and_receive_gradients():
    encoder_inputs, decoder_inputs = gn.Input((6, 3)), gn.Input((4, 2))
    _, h, c = LSTM(5, return_state=True)(encoder_inputs)
    decoded = LSTM(5, return_sequences=True)(decoder_inputs, initial_state=[h, c])
    outputs = TimeDistributed(gn.layers.Dense(2))(decoded)
    model = gn.Model([encoder_inputs, decoder_inputs], outputs)
    rng = np.random.default_rng(0)
    x = [rng.random((8, 6, 3), dtype="float32"), rng.random((8, 4, 2), dtype="float32")]
    encoder = model.layers[1]
    out = model(x, training=True)
    grads = gn.grad(out.sum(), encoder.weights)
    assert all(np.abs(g).sum() > 0 for g in grads)
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, rng.random((8, 4, 2), dtype="float32"), epochs=2, verbose=0)


def test_masked_padding_does_not_change_the_prediction():
    gn.utils.set_random_seed(0)
    model = gn.Sequential([gn.layers.Input((6,)), Embedding(20, 4, mask_zero=True),
                           GRU(3), gn.layers.Dense(1)])
    short = np.array([[0, 0, 0, 5, 6, 7]])
    longer = np.array([[0, 0, 0, 0, 5, 6, 7]])[:, 1:]
    np.testing.assert_allclose(model.predict(short, verbose=0),
                               model.predict(longer, verbose=0))
    unmasked = gn.Sequential([gn.layers.Input((3,)), Embedding(20, 4), GRU(3),
                              gn.layers.Dense(1)])
    unmasked.set_weights(model.get_weights())
    np.testing.assert_allclose(model.predict(short, verbose=0),
                               unmasked.predict(short[:, 3:], verbose=0), rtol=1e-6)
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.array([[0, 0, 1, 2, 3, 4]] * 4), np.ones((4, 1)), epochs=2, verbose=0)


def test_repeat_vector_encoder_decoder_summary_counts():
    model = gn.Sequential([gn.layers.Input((5, 2)), SimpleRNN(4), RepeatVector(3),
                           SimpleRNN(4, return_sequences=True),
                           TimeDistributed(gn.layers.Dense(2))])
    assert model.output_shape == (None, 3, 2)
    assert model.count_params() == (2 * 4 + 16 + 4) + (4 * 4 + 16 + 4) + (4 * 2 + 2)


@pytest.mark.parametrize("layer", [
    Bidirectional(LSTM(3, return_sequences=True), merge_mode="ave"),
    TimeDistributed(gn.layers.Dense(2, activation="relu")),
    GRU(3, reset_after=False, go_backwards=True, dropout=0.2),
])
def test_config_round_trip(layer):
    x = np.random.default_rng(1).random((2, 4, 3), dtype="float32")
    layer(x)
    copy = deserialize(serialize(layer))
    copy(x)
    copy.set_weights(layer.get_weights())
    np.testing.assert_allclose(copy(x).numpy(), layer(x).numpy())


def test_errors_say_what_was_expected_and_received():
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        LSTM(3)(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="expects 2 initial state"):
        LSTM(3)(np.zeros((2, 5, 1)), initial_state=[np.zeros((2, 3))])
    with pytest.raises(ValueError, match="built-in activation"):
        GRU(3, activation=lambda x: x)
    with pytest.raises(ValueError, match="Invalid merge mode"):
        Bidirectional(LSTM(2), merge_mode="max")


def test_unroll_is_accepted_and_changes_nothing():
    x = np.random.default_rng(2).random((2, 5, 3), dtype="float32")
    rolled, unrolled = SimpleRNN(4), SimpleRNN(4, unroll=True)
    rolled(x)
    unrolled(x)
    unrolled.set_weights(rolled.get_weights())
    np.testing.assert_array_equal(rolled(x).numpy(), unrolled(x).numpy())
