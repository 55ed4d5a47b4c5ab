"""IMDB, Reuters and Boston housing from Keras-structured .npz files: every option against
what Keras's own loader returns on the same file."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.datasets import boston_housing, imdb, reuters

from tests.datasets import makers

OPTIONS = [
    {},
    {"num_words": 12},
    {"num_words": 12, "skip_top": 3},
    {"skip_top": 5, "oov_char": None},
    {"maxlen": 12},
    {"maxlen": 12, "num_words": 20, "skip_top": 2, "seed": 7},
    {"start_char": None},
    {"start_char": None, "index_from": 0},
    {"index_from": 0, "oov_char": 9, "num_words": 6},
    {"start_char": 5, "oov_char": 4, "index_from": 10, "num_words": 30, "skip_top": 12},
]


def _assert_same(received, expected):
    for got, want in zip(received[0] + received[1], expected[0] + expected[1]):
        assert type(got) is type(want) is np.ndarray
        assert got.shape == want.shape and got.dtype == want.dtype
        if got.dtype == object:
            assert [list(s) for s in got] == [list(s) for s in want]
            assert all(type(w) is int for s in got for w in s)
        else:
            np.testing.assert_array_equal(got, want)


@pytest.fixture(scope="module")
def imdb_data():
    return makers.imdb_npz(np.random.default_rng(10))


@pytest.fixture(scope="module")
def reuters_data():
    return makers.reuters_npz(np.random.default_rng(11))


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(map(str, o.items())))
def test_imdb_matches_keras(imdb_data, serve, home, keras_reading, options):
    serve("imdb.npz", imdb_data)
    received = imdb.load_data(**options)
    expected = keras_reading("imdb", home / "imdb.npz").load_data(**options)
    _assert_same(received, expected)


@pytest.mark.parametrize("options", OPTIONS + [{"test_split": 0.35}, {"test_split": 0.0},
                                               {"test_split": 0.5, "maxlen": 10}],
                         ids=lambda o: ",".join(map(str, o.items())))
def test_reuters_matches_keras(reuters_data, serve, home, keras_reading, options):
    serve("reuters.npz", reuters_data)
    received = reuters.load_data(**options)
    expected = keras_reading("reuters", home / "reuters.npz").load_data(**options)
    _assert_same(received, expected)


def test_imdb_options_do_what_they_say(imdb_data, serve):
    serve("imdb.npz", imdb_data)
    (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=10, skip_top=4, maxlen=8)
    sequences = list(x_train) + list(x_test)
    # The start mark (1) is an index like any other: below skip_top it becomes oov_char (2).
    assert all(s[0] == 2 for s in sequences)
    assert all(len(s) < 8 for s in sequences)
    assert all(w == 2 or 4 <= w < 10 for s in sequences for w in s[1:])
    assert len(x_train) == len(y_train) and len(x_test) == len(y_test)


def test_imdb_maxlen_that_keeps_nothing_is_an_error(imdb_data, serve):
    serve("imdb.npz", imdb_data)
    with pytest.raises(ValueError, match="maxlen=2 no sequence .* Increase maxlen"):
        imdb.load_data(maxlen=2)


def test_legacy_nb_words_and_unknown_arguments(imdb_data, serve):
    serve("imdb.npz", imdb_data)
    with pytest.warns(UserWarning, match="now called `num_words`"):
        old = imdb.load_data(nb_words=12)
    _assert_same(old, imdb.load_data(num_words=12))
    with pytest.raises(TypeError, match=r"unexpected keyword arguments: \['num_word'\]"):
        imdb.load_data(num_word=12)


def test_reuters_label_names():
    names = reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn" and names[-1] == "lead"


@pytest.mark.parametrize("options", [{}, {"test_split": 0.3, "seed": 1}, {"test_split": 0.0}])
def test_boston_housing_matches_keras(serve, home, keras_reading, options):
    serve("boston_housing.npz", makers.boston_npz(np.random.default_rng(12)))
    received = boston_housing.load_data(**options)
    expected = keras_reading("boston_housing", home / "boston_housing.npz").load_data(**options)
    _assert_same(received, expected)
    assert received[0][0].shape[1] == 13 and received[0][0].dtype == np.float64


def test_boston_housing_test_split_must_be_below_one():
    with pytest.raises(ValueError, match=r"Received: test_split=1"):
        boston_housing.load_data(test_split=1)
