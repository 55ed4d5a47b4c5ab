"""pad_sequences and TimeseriesGenerator against Keras 3 on the same inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glassnet.preprocessing import sequence
from glassnet.preprocessing.sequence import TimeseriesGenerator, pad_sequences
from glassnet.utils import sequence_utils

RAGGED = [[1, 2, 3, 4, 5], [6], [], [7, 8, 9], [10, 11]]


def assert_same_array(got, expected):
    assert got.dtype == expected.dtype
    assert got.shape == expected.shape
    if expected.dtype == object or expected.dtype.kind in "US":
        assert got.tolist() == expected.tolist()
    else:
        np.testing.assert_array_equal(got, expected)


def test_import_paths_are_one_function():
    assert sequence.pad_sequences is sequence_utils.pad_sequences


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("maxlen", [None, 1, 2, 4, 7, np.int64(3)])
def test_pad_and_truncate_like_keras(keras, padding, truncating, maxlen):
    expected = keras.utils.pad_sequences(RAGGED, maxlen=maxlen, padding=padding,
                                         truncating=truncating)
    assert_same_array(pad_sequences(RAGGED, maxlen=maxlen, padding=padding,
                                    truncating=truncating), expected)


def test_positional_maxlen_as_in_the_books(keras):
    assert_same_array(pad_sequences(RAGGED, 4), keras.utils.pad_sequences(RAGGED, 4))
    assert_same_array(pad_sequences(RAGGED, 3, "float32", "post", "post", -1.5),
                      keras.utils.pad_sequences(RAGGED, 3, "float32", "post", "post", -1.5))


def outcome(function, *args, **kwargs):
    """The result, or the type of the exception raised: to compare Keras's odd cases too."""
    try:
        with np.errstate(invalid="ignore"):
            return function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the type itself is what is compared
        return type(error)


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast")
@pytest.mark.parametrize("dtype", ["int32", "int64", "float32", "float64", np.float16,
                                   "uint8", "bool", object])
@pytest.mark.parametrize("value", [0.0, 0, -1, 2.7, np.nan])
def test_dtypes_and_values_like_keras(keras, dtype, value):
    floats = [[0.5, 1.25, -3.75], [2.5]]
    for data in (RAGGED, floats):
        expected = outcome(keras.utils.pad_sequences, data, 6, dtype=dtype, value=value)
        got = outcome(pad_sequences, data, 6, dtype=dtype, value=value)
        if isinstance(expected, type):
            assert got is expected
        else:
            assert got.dtype == expected.dtype
            np.testing.assert_array_equal(got.astype(float), expected.astype(float))


@pytest.mark.parametrize("dtype", [object, "<U3", "str", "S2"])
def test_string_sequences(keras, dtype):
    words = [["the", "cat", "sat"], ["dogs"], []]
    value = b"_" if dtype == "S2" else "<pad>"
    data = [[w.encode() for w in s] for s in words] if dtype == "S2" else words
    assert_same_array(pad_sequences(data, 4, dtype=dtype, value=value),
                      keras.utils.pad_sequences(data, 4, dtype=dtype, value=value))


def test_array_tuple_and_nd_inputs(keras):
    matrix = np.arange(12).reshape(3, 4)
    assert_same_array(pad_sequences(matrix, 6), keras.utils.pad_sequences(matrix, 6))
    mixed = [(1, 2), np.array([3]), range(4, 8)]
    assert_same_array(pad_sequences(mixed, truncating="post", maxlen=3),
                      keras.utils.pad_sequences(mixed, truncating="post", maxlen=3))
    steps = [np.ones((3, 2)), np.zeros((0, 2)), np.arange(10.0).reshape(5, 2)]
    for padding in ("pre", "post"):
        assert_same_array(pad_sequences(steps, 4, dtype="float32", padding=padding),
                          keras.utils.pad_sequences(steps, 4, dtype="float32",
                                                    padding=padding))


def test_empty_cases(keras):
    assert_same_array(pad_sequences([[], []], 3), keras.utils.pad_sequences([[], []], 3))
    assert_same_array(pad_sequences([], 3), keras.utils.pad_sequences([], 3))
    assert_same_array(pad_sequences([[], []], 0), keras.utils.pad_sequences([[], []], 0))
    assert_same_array(pad_sequences([[], []]), keras.utils.pad_sequences([[], []]))


def test_maxlen_zero_gives_empty_rows():
    # Keras fails here (s[-0:] keeps the whole sequence); zero columns is the consistent answer.
    padded = pad_sequences([[1, 2], [3]], maxlen=0)
    assert padded.shape == (2, 0) and padded.dtype == np.int32


@settings(max_examples=60, deadline=None)
@given(data=st.lists(st.lists(st.integers(-1000, 1000), max_size=8), min_size=1, max_size=6),
       maxlen=st.one_of(st.none(), st.integers(1, 10)),
       padding=st.sampled_from(["pre", "post"]), truncating=st.sampled_from(["pre", "post"]),
       value=st.integers(-5, 5))
def test_random_sequences_match_keras(keras, data, maxlen, padding, truncating, value):
    assert_same_array(
        pad_sequences(data, maxlen, padding=padding, truncating=truncating, value=value),
        keras.utils.pad_sequences(data, maxlen, padding=padding, truncating=truncating,
                                  value=value))


@pytest.mark.parametrize("arguments, message", [
    (([1, 2],), "position 0"),
    ((5,), "int"),
    (((s for s in [[1]]),), "generator"),
    (([[1]], None, "int32", "middle"), "padding='middle'"),
    (([[1]], None, "int32", "pre", "both"), "truncating='both'"),
    (([["a"]], None, "int32", "pre", "pre", "x"), "dtype=object"),
    (([[[1, 2]], [[1, 2, 3]]],), r"\(3,\).*\(2,\)"),
])
def test_errors_match_keras_and_say_what_was_received(keras, arguments, message):
    with pytest.raises(ValueError):
        keras.utils.pad_sequences(*arguments)
    with pytest.raises(ValueError, match=message):
        pad_sequences(*arguments)


@pytest.mark.parametrize("maxlen", [-1, 2.5, "3"])
def test_bad_maxlen(maxlen):
    with pytest.raises(ValueError, match="maxlen"):
        pad_sequences([[1, 2]], maxlen)


def test_empty_list_without_maxlen(keras):
    with pytest.raises(ValueError):
        keras.utils.pad_sequences([])
    with pytest.raises(ValueError, match="maxlen"):
        pad_sequences([])


# ---- TimeseriesGenerator ----------------------------------------------------------------

@pytest.fixture(scope="module")
def keras_generator(keras):
    from keras.src.legacy.preprocessing.sequence import TimeseriesGenerator as reference
    return reference


@pytest.mark.parametrize("kwargs", [
    {"length": 3},
    {"length": 3, "batch_size": 4},
    {"length": 6, "sampling_rate": 2, "batch_size": 5},
    {"length": 4, "stride": 3, "batch_size": 2},
    {"length": 2, "start_index": 5, "end_index": 30, "batch_size": 7},
    {"length": 5, "reverse": True, "batch_size": 6},
    {"length": 48, "batch_size": 1},
])
def test_timeseries_generator_matches_keras(keras_generator, kwargs):
    data = np.arange(100, dtype=np.float32).reshape(50, 2)
    targets = np.arange(50) * 10
    ours = TimeseriesGenerator(data, targets, **kwargs)
    theirs = keras_generator(data, targets, **kwargs)
    assert len(ours) == len(theirs)
    for index in range(len(theirs)):
        (x, y), (x_ref, y_ref) = ours[index], theirs[index]
        assert_same_array(x, x_ref)
        assert_same_array(y, y_ref)
    assert len(list(ours)) == len(theirs)


def test_timeseries_generator_shuffle_uses_numpy_global_state(keras_generator):
    data, targets = list(range(40)), list(range(40))
    ours = TimeseriesGenerator(data, targets, length=5, shuffle=True, batch_size=8)
    theirs = keras_generator(data, targets, length=5, shuffle=True, batch_size=8)
    np.random.seed(3)
    expected = [theirs[i] for i in range(len(theirs))]
    np.random.seed(3)
    for (x, y), (x_ref, y_ref) in zip((ours[i] for i in range(len(ours))), expected):
        assert_same_array(x, x_ref)
        assert_same_array(y, y_ref)


def test_timeseries_generator_errors(keras_generator):
    with pytest.raises(ValueError):
        keras_generator([1, 2, 3], [1, 2], length=1)
    with pytest.raises(ValueError, match="len\\(targets\\)=2"):
        TimeseriesGenerator([1, 2, 3], [1, 2], length=1)
    with pytest.raises(ValueError):
        keras_generator([1, 2, 3], [1, 2, 3], length=3)
    with pytest.raises(ValueError, match="end_index=2"):
        TimeseriesGenerator([1, 2, 3], [1, 2, 3], length=3)
    with pytest.raises(IndexError, match="index=5"):
        TimeseriesGenerator([1, 2, 3], [1, 2, 3], length=1)[5]


def test_timeseries_generator_json():
    import json
    generator = TimeseriesGenerator(np.arange(6), np.arange(6), length=2, batch_size=3)
    config = json.loads(generator.to_json())["config"]
    assert json.loads(config["data"]) == list(range(6))
    rebuilt = TimeseriesGenerator(json.loads(config["data"]), json.loads(config["targets"]),
                                  length=config["length"], batch_size=config["batch_size"])
    np.testing.assert_array_equal(rebuilt[0][0], generator[0][0])
