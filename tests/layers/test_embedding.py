"""Embedding: Keras 3's arguments and errors, masks, the old ``input_length`` and ``weights``
spellings, gradients that accumulate over repeated indices, and the ten-sentence sentiment
example of the books (Embedding -> Flatten -> Dense) reaching 100% training accuracy.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import numpy as np
import pytest

import glassnet as gn
from glassnet.layers.core.embedding import Embedding
from glassnet.preprocessing.sequence import pad_sequences
from glassnet.preprocessing.text import Tokenizer


def test_lookup_shape_and_values():
    layer = Embedding(10, 3)
    tokens = np.array([[1, 2, 2], [0, 9, 1]])
    out = layer(tokens)
    assert out.shape == (2, 3, 3) and out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), layer.embeddings.numpy()[tokens])
    assert layer.weights[0].path == "embedding/embeddings"
    assert np.abs(layer.embeddings.numpy()).max() <= 0.05  # 'uniform': U(-0.05, 0.05)


def test_float_inputs_holding_integers_are_accepted():
    layer = Embedding(5, 2)
    np.testing.assert_array_equal(layer(np.array([[1.0, 4.0]])).numpy(),
                                  layer(np.array([[1, 4]])).numpy())


@pytest.mark.parametrize("bad", [7, -1])
def test_out_of_range_index_names_layer_dim_and_value(bad):
    layer = Embedding(7, 2, name="words")
    with pytest.raises(ValueError) as error:
        layer(np.array([[0, bad]]))
    message = str(error.value)
    assert "'words'" in message and "input_dim=7" in message and str(bad) in message


@pytest.mark.parametrize("argument, value", [("input_dim", 0), ("output_dim", 2.5)])
def test_invalid_dimensions_are_rejected(argument, value):
    kwargs = {"input_dim": 4, "output_dim": 2, argument: value}
    with pytest.raises(ValueError, match=argument):
        Embedding(**kwargs)


def test_mask_zero_gives_a_mask_and_none_otherwise():
    tokens = np.array([[0, 3, 0, 2]])
    out = Embedding(5, 2, mask_zero=True)(tokens)
    np.testing.assert_array_equal(out._keras_mask, tokens != 0)
    assert Embedding(5, 2)(tokens)._keras_mask is None


def test_weights_argument_sets_the_initial_matrix():
    matrix = np.arange(12, dtype="float32").reshape(6, 2)
    layer = Embedding(6, 2, weights=[matrix], trainable=False)
    np.testing.assert_array_equal(layer(np.array([[5, 0]])).numpy(), matrix[[[5, 0]]])
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 1


def test_input_length_makes_summary_work_before_fit():
    model = gn.Sequential([Embedding(100, 8, input_length=4), gn.layers.Flatten(),
                           gn.layers.Dense(1, activation="sigmoid")])
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        model.summary()
    text = buffer.getvalue()
    assert "(None, 4, 8)" in text and "(None, 32)" in text and "833" in text


def test_gradient_accumulates_over_repeated_indices():
    layer = Embedding(4, 3)
    tokens = np.array([[1, 1, 3], [1, 0, 3]])
    out = layer(tokens)
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype("float32")
    (grad,) = gn.grad(out, [layer.embeddings], grad_output=upstream)
    expected = np.zeros((4, 3), "float32")
    for row, token in zip(upstream.reshape(-1, 3), tokens.reshape(-1)):
        expected[token] += row
    np.testing.assert_allclose(grad, expected, rtol=1e-6)


def test_config_round_trip():
    layer = Embedding(50, 4, mask_zero=True, embeddings_initializer="uniform")
    config = layer.get_config()
    assert config["input_dim"] == 50 and config["mask_zero"] is True
    assert Embedding.from_config(config).get_config() == config


SENTENCES = ["너무 재밌네요", "최고예요", "참 잘 만든 영화예요", "추천하고 싶은 영화입니다",
             "한번 더 보고싶네요", "글쎄요", "별로예요", "생각보다 지루하네요", "연기가 어색해요",
             "재미없어요"]


def test_ten_sentence_sentiment_example_reaches_full_training_accuracy():
    classes = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts(SENTENCES)
    padded = pad_sequences(tokenizer.texts_to_sequences(SENTENCES), 4)
    word_size = len(tokenizer.word_index) + 1
    gn.utils.set_random_seed(1)
    model = gn.Sequential([Embedding(word_size, 8, input_length=4), gn.layers.Flatten(),
                           gn.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(padded, classes, epochs=200, verbose=0)
    assert model.evaluate(padded, classes, verbose=0)[1] == 1.0
