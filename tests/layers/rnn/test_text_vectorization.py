"""TextVectorization against Keras 3's documented behaviour.

Keras's layer needs TensorFlow, which the reference environment does not have, so the
expected values come from Keras's own documentation and test suite
(``keras/src/layers/preprocessing/text_vectorization_test.py`` and the layer's docstring)
and from the definitions in ``index_lookup.py``: vocabulary ordered by count, ties by the
token in reverse order; idf = log(1 + documents / (1 + documents containing the token)),
the OOV entry getting the mean idf.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from glassnet.layers.preprocessing.text_vectorization import TextVectorization


def test_adapt_flow_matches_keras_test_suite():
    layer = TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    np.testing.assert_array_equal(layer([["foo qux bar"], ["qux baz"]]).numpy(),
                                  [[4, 1, 3, 0], [1, 2, 0, 0]])
    assert layer.get_vocabulary() == ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]


@pytest.mark.parametrize("how", ["constructor", "set_vocabulary"])
def test_fixed_vocabulary_matches_keras_test_suite(how):
    kwargs = {"max_tokens": 5000, "output_mode": "int", "output_sequence_length": 4}
    if how == "constructor":
        layer = TextVectorization(vocabulary=["baz", "bar", "foo"], **kwargs)
    else:
        layer = TextVectorization(**kwargs)
        layer.set_vocabulary(["baz", "bar", "foo"])
    np.testing.assert_array_equal(layer([["foo qux bar"], ["qux baz"]]).numpy(),
                                  [[4, 1, 3, 0], [1, 2, 0, 0]])


def test_docstring_vocabulary_example():
    layer = TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4,
                              vocabulary=["earth", "wind", "and", "fire"])
    assert layer.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]


def test_adapt_from_generator_with_steps():
    def batches():
        while True:
            yield ["hello world", "foo bar"]

    layer = TextVectorization()
    layer.adapt(batches(), steps=3)
    assert {"hello", "world", "foo", "bar"} <= set(layer.get_vocabulary())


def test_standardize_strips_punctuation_and_lowercases_ascii_and_pads_to_longest():
    layer = TextVectorization(vocabulary=["hello", "world"])
    out = layer(["Hello, WORLD!", "hello"]).numpy()
    np.testing.assert_array_equal(out, [[2, 3], [2, 0]])
    assert out.dtype == np.int64


def test_max_tokens_counts_the_special_tokens():
    layer = TextVectorization(max_tokens=4)
    layer.adapt(["a a a b b c", "d"])
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b"]


def test_ngrams_follow_unigrams():
    layer = TextVectorization(ngrams=2, vocabulary=["the", "cat", "the cat"])
    np.testing.assert_array_equal(layer(["the cat"]).numpy(), [[2, 3, 4]])


@pytest.mark.parametrize("mode", ["multi_hot", "count"])
def test_bag_of_words_modes(mode):
    layer = TextVectorization(output_mode=mode, vocabulary=["a", "b"])
    assert layer.get_vocabulary() == ["[UNK]", "a", "b"]
    out = layer(["a a zz", "b"]).numpy()
    expected = [[1, 2, 0], [0, 0, 1]] if mode == "count" else [[1, 1, 0], [0, 0, 1]]
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.float32


def test_tf_idf_weights_follow_keras_definition():
    docs = ["a b", "a c", "a b b"]
    layer = TextVectorization(output_mode="tf_idf")
    layer.adapt(docs)
    vocabulary = layer.get_vocabulary()
    assert vocabulary == ["[UNK]", "b", "a", "c"]  # a and b both 3 times: b first
    idf = {t: math.log(1 + 3 / (1 + sum(t in d.split() for d in docs))) for t in "abc"}
    oov = np.mean(list(idf.values()))
    np.testing.assert_allclose(layer(["b b a q"]).numpy()[0],
                               [oov, 2 * idf["b"], idf["a"], 0.0], rtol=1e-6)


def test_pad_to_max_tokens_and_config_round_trip():
    layer = TextVectorization(max_tokens=6, output_mode="multi_hot", pad_to_max_tokens=True)
    layer.adapt(["x y z"])
    assert layer(["x"]).shape == (1, 6)
    rebuilt = TextVectorization.from_config(layer.get_config())
    np.testing.assert_array_equal(rebuilt(["x z w"]).numpy(), layer(["x z w"]).numpy())


def test_invalid_arguments_are_rejected_like_keras():
    with pytest.raises(ValueError, match="output_sequence_length"):
        TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="output_mode"):
        TextVectorization(output_mode="bag")
    with pytest.raises(ValueError, match="last shape dimension must be 1"):
        TextVectorization(vocabulary=["a"])(np.array([["a", "b"]]))
