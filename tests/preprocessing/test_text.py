"""The Keras 1/2 text API against Keras's own legacy implementation, on the same inputs."""

from __future__ import annotations

import collections
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glassnet.preprocessing import text
from glassnet.preprocessing.text import Tokenizer, tokenizer_from_json

ENGLISH = [
    "The cat sat on the mat.",
    "The dog ate my homework!",
    "Did the cat eat the dog's dinner? No, the dog ate it.",
    "Well done, well done...",
    "",
    "MAT\tmat\nMat",
]
KOREAN = [
    "먼저 텍스트의 각 단어를 나누어 토큰화 합니다.",
    "텍스트의 단어로 토큰화 해야 딥러닝에서 인식됩니다.",
    "토큰화 한 결과는 딥러닝에서 사용할 수 있습니다.",
]
KOREAN_REVIEWS = ["너무 재밌네요", "최고예요", "참 잘 만든 영화예요", "추천하고 싶은 영화입니다",
                  "한번 더 보고싶네요", "글쎄요", "별로예요", "생각보다 지루하네요", "연기가 어색해요",
                  "재미없어요"]
UNSEEN = ["the cat ate the bird", "a bird! A BIRD?", "", "딥러닝에서 토큰화 처음", "mat mat dog"]
ATTRIBUTES = ("word_index", "index_word", "document_count", "num_words", "filters", "lower",
              "split", "char_level", "oov_token")
MODES = ("binary", "count", "tfidf", "freq")


@pytest.fixture(scope="module")
def reference(keras):
    from keras.src.legacy.preprocessing import text as legacy_text
    return legacy_text


def fitted_pair(reference, texts, **kwargs):
    ours, theirs = Tokenizer(**kwargs), reference.Tokenizer(**kwargs)
    ours.fit_on_texts(texts)
    theirs.fit_on_texts(texts)
    return ours, theirs


def assert_same_state(ours, theirs):
    for name in ATTRIBUTES:
        assert getattr(ours, name) == getattr(theirs, name), name
    # Order matters for word_counts (an OrderedDict in first-seen order) and the JSON.
    assert list(ours.word_counts.items()) == list(theirs.word_counts.items())
    assert isinstance(ours.word_counts, collections.OrderedDict)
    assert dict(ours.word_docs) == dict(theirs.word_docs)
    assert dict(ours.index_docs) == dict(theirs.index_docs)
    assert list(ours.word_index) == list(theirs.word_index)


def assert_same_config(ours, theirs):
    """Equal configs and JSON. The word_docs / index_docs strings are compared as parsed
    dicts: Keras fills them walking a set (an order that changes with the hash seed),
    glassnet in first-seen order."""
    unordered = ("word_docs", "index_docs")
    config, expected = ours.get_config(), theirs.get_config()
    assert config.keys() == expected.keys()
    for key in config:
        if key in unordered:
            assert json.loads(config[key]) == json.loads(expected[key]), key
        else:
            assert config[key] == expected[key], key
    for json_kwargs in ({}, {"indent": 2, "ensure_ascii": False}):
        document, expected_document = (json.loads(t.to_json(**json_kwargs))
                                       for t in (ours, theirs))
        for key in unordered:
            document["config"][key] = json.loads(document["config"][key])
            expected_document["config"][key] = json.loads(expected_document["config"][key])
        assert document == expected_document
    assert ours.to_json(indent=2).count("\n") == theirs.to_json(indent=2).count("\n")


def assert_same_outputs(ours, theirs, texts):
    sequences = theirs.texts_to_sequences(texts)
    assert ours.texts_to_sequences(texts) == sequences
    assert list(ours.texts_to_sequences_generator(texts)) == sequences
    probe = sequences + [[0, 1, 2, 3, 50, 2]]
    assert ours.sequences_to_texts(probe) == theirs.sequences_to_texts(probe)
    assert list(ours.sequences_to_texts_generator(probe)) == theirs.sequences_to_texts(probe)
    for mode in MODES:
        expected = theirs.texts_to_matrix(texts, mode=mode)
        got = ours.texts_to_matrix(texts, mode=mode)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected, err_msg=mode)
        np.testing.assert_array_equal(ours.sequences_to_matrix(probe, mode=mode),
                                      theirs.sequences_to_matrix(probe, mode=mode))


@pytest.mark.parametrize("kwargs", [
    {},
    {"num_words": 5},
    {"num_words": 1},
    {"oov_token": "<OOV>"},
    {"num_words": 6, "oov_token": "<OOV>"},
    {"oov_token": "cat"},
    {"lower": False},
    {"char_level": True},
    {"char_level": True, "num_words": 8, "oov_token": "?"},
    {"filters": "", "split": "."},
    {"document_count": 7},
])
@pytest.mark.parametrize("corpus", [ENGLISH, KOREAN, KOREAN_REVIEWS],
                         ids=["english", "korean", "reviews"])
def test_tokenizer_matches_keras(reference, corpus, kwargs):
    ours, theirs = fitted_pair(reference, corpus, **kwargs)
    assert_same_state(ours, theirs)
    assert_same_outputs(ours, theirs, corpus + UNSEEN)
    assert_same_config(ours, theirs)


def test_korean_book_example_exact_values(reference):
    ours, theirs = fitted_pair(reference, KOREAN)
    assert_same_state(ours, theirs)
    # The book prints these four attributes.
    assert ours.document_count == 3
    assert ours.word_counts == theirs.word_counts
    assert ours.word_docs == theirs.word_docs
    assert ours.word_index == theirs.word_index
    assert ours.word_index["토큰화"] == 1
    assert text.text_to_word_sequence(KOREAN[0]) == reference.text_to_word_sequence(KOREAN[0])


def test_refitting_accumulates_like_keras(reference):
    ours, theirs = fitted_pair(reference, ENGLISH[:2], oov_token="<unk>")
    ours.fit_on_texts(ENGLISH[2:] + KOREAN)
    theirs.fit_on_texts(ENGLISH[2:] + KOREAN)
    assert_same_state(ours, theirs)
    ours.fit_on_sequences([[1, 2, 2], [3], []])
    theirs.fit_on_sequences([[1, 2, 2], [3], []])
    assert_same_state(ours, theirs)
    assert_same_outputs(ours, theirs, UNSEEN)


def test_pretokenized_lists_and_analyzer(reference):
    lists = [["The", "Cat"], ["cat", "DOG", "dog"]]
    ours, theirs = fitted_pair(reference, lists)
    assert_same_state(ours, theirs)
    assert ours.texts_to_sequences([["dog", "CAT", "bird"]]) == \
        theirs.texts_to_sequences([["dog", "CAT", "bird"]])

    def analyzer(line):
        return line.split("|")

    ours, theirs = fitted_pair(reference, ["a|b|b", "B|c"], analyzer=analyzer)
    assert_same_state(ours, theirs)
    assert_same_outputs(ours, theirs, ["b|c|d", "a"])


def test_sequences_only_tokenizer(reference):
    sequences = [[1, 2, 3, 3], [3, 4], [9, 1], []]
    ours, theirs = Tokenizer(num_words=6), reference.Tokenizer(num_words=6)
    ours.fit_on_sequences(sequences)
    theirs.fit_on_sequences(sequences)
    assert ours.document_count == theirs.document_count
    assert dict(ours.index_docs) == dict(theirs.index_docs)
    for mode in MODES:
        np.testing.assert_array_equal(ours.sequences_to_matrix(sequences, mode=mode),
                                      theirs.sequences_to_matrix(sequences, mode=mode))
    arrays = [np.array(s, dtype=np.int64) for s in sequences[:3]]
    np.testing.assert_array_equal(ours.sequences_to_matrix(arrays, mode="count"),
                                  theirs.sequences_to_matrix(sequences[:3], mode="count"))


def test_json_round_trips_both_ways(reference):
    ours, theirs = fitted_pair(reference, ENGLISH + KOREAN, num_words=9, oov_token="<OOV>")
    from_ours = tokenizer_from_json(ours.to_json())
    from_theirs = tokenizer_from_json(theirs.to_json())
    keras_from_ours = reference.tokenizer_from_json(ours.to_json())
    for rebuilt in (from_ours, from_theirs):
        assert_same_state(rebuilt, keras_from_ours)
        assert_same_outputs(rebuilt, keras_from_ours, UNSEEN)
        assert_same_config(rebuilt, theirs)
    # Unlike Keras's plain dicts, the rebuilt counters can keep fitting.
    from_ours.fit_on_texts(["brand new words"])
    assert from_ours.word_docs["brand"] == 1


@pytest.mark.parametrize("kwargs", [
    {},
    {"lower": False},
    {"filters": "", "split": " "},
    {"filters": "aeiou", "split": "-"},
    {"split": ", "},
])
@pytest.mark.parametrize("sample", ENGLISH + KOREAN + ["  Hello,,world  -- x  "])
def test_text_to_word_sequence(reference, sample, kwargs):
    assert text.text_to_word_sequence(sample, **kwargs) == \
        reference.text_to_word_sequence(sample, **kwargs)


@pytest.mark.parametrize("n", [2, 3, 25, 1000])
@pytest.mark.parametrize("sample", ENGLISH + KOREAN)
def test_one_hot_and_hashing_trick(reference, sample, n):
    # Python's str hash is salted per process, so both run here on the same salt.
    assert text.one_hot(sample, n) == reference.one_hot(sample, n)
    assert text.one_hot(sample, n, lower=False, filters="!") == \
        reference.one_hot(sample, n, lower=False, filters="!")
    for hash_function in (None, "md5", len):
        assert text.hashing_trick(sample, n, hash_function=hash_function) == \
            reference.hashing_trick(sample, n, hash_function=hash_function)
    assert text.hashing_trick(sample, n, "md5", analyzer=list) == \
        reference.hashing_trick(sample, n, "md5", analyzer=list)


texts_strategy = st.lists(
    st.text(alphabet=st.sampled_from(list("abcAB 토큰화딥.,!\t\n")), max_size=20), max_size=6)


@settings(max_examples=40, deadline=None)
@given(corpus=texts_strategy, probe=texts_strategy,
       num_words=st.sampled_from([None, 1, 2, 4]), oov=st.sampled_from([None, "b", "<x>"]),
       char_level=st.booleans())
def test_random_corpora_match_keras(reference, corpus, probe, num_words, oov, char_level):
    ours, theirs = fitted_pair(reference, corpus, num_words=num_words, oov_token=oov,
                               char_level=char_level)
    assert_same_state(ours, theirs)
    if ours.document_count and (ours.word_index or num_words):
        assert_same_outputs(ours, theirs, probe + corpus)
    elif not ours.document_count:
        with pytest.raises(ValueError):
            theirs.texts_to_matrix(probe, mode="tfidf")
        with pytest.raises(ValueError):
            ours.texts_to_matrix(probe, mode="tfidf")
    assert_same_config(ours, theirs)


def test_errors_are_clear():
    with pytest.raises(ValueError, match="num_words"):
        Tokenizer().texts_to_matrix(["a b"])
    with pytest.raises(ValueError, match="tfidf"):
        Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts(["a b"])
    with pytest.raises(ValueError, match="mode='counts'"):
        tokenizer.texts_to_matrix(["a"], mode="counts")
    with pytest.raises(ValueError, match="-1"):
        tokenizer.sequences_to_matrix([[1, -1]])
    with pytest.raises(TypeError, match="num_word"):
        Tokenizer(num_word=3)
    with pytest.raises(ValueError, match="n=1"):
        text.one_hot("a b", 1)


def test_legacy_nb_words_alias(reference):
    with pytest.warns(UserWarning, match="num_words"):
        tokenizer = Tokenizer(nb_words=5)
    with pytest.warns(UserWarning):
        assert tokenizer.num_words == reference.Tokenizer(nb_words=5).num_words


def test_get_config_is_json_of_the_attributes():
    tokenizer = Tokenizer(oov_token="<OOV>")
    tokenizer.fit_on_texts(KOREAN)
    config = tokenizer.get_config()
    assert json.loads(config["word_index"]) == tokenizer.word_index
    assert {int(k): v for k, v in json.loads(config["index_word"]).items()} == \
        tokenizer.index_word


def test_word_docs_order_is_first_seen():
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts(["b a b c", "d a"])
    assert list(tokenizer.word_docs) == list(tokenizer.word_counts) == ["b", "a", "c", "d"]
    assert list(tokenizer.index_docs) == [tokenizer.word_index[w] for w in "bacd"]


def test_book_pipeline_tokenize_pad_one_hot(keras, reference):
    """Tokenizer -> texts_to_sequences -> pad_sequences(x, 4) -> to_categorical (MD3 ch17)."""
    from glassnet.utils.numerical_utils import to_categorical
    from glassnet.utils.sequence_utils import pad_sequences

    ours, theirs = fitted_pair(reference, KOREAN_REVIEWS)
    word_size = len(ours.word_index) + 1
    padded = pad_sequences(ours.texts_to_sequences(KOREAN_REVIEWS), 4)
    expected = keras.utils.pad_sequences(theirs.texts_to_sequences(KOREAN_REVIEWS), 4)
    np.testing.assert_array_equal(padded, expected)
    assert padded.dtype == expected.dtype
    np.testing.assert_array_equal(to_categorical(padded, num_classes=word_size),
                                  keras.utils.to_categorical(expected, num_classes=word_size))
