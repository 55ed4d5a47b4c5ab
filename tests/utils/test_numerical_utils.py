"""to_categorical and normalize against Keras 3 on the same inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from glassnet.utils import np_utils
from glassnet.utils.numerical_utils import normalize, to_categorical


def assert_matches_keras(got, expected):
    # Keras 3 returns float64 here; glassnet keeps float32 like tf.keras 2 and its own floatx.
    assert got.dtype == np.float32
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("labels, num_classes", [
    ([0, 1, 2, 3], None),
    ([3, 1, 0], 5),
    (np.array([2, 0, 1], dtype=np.uint8), None),
    (np.array([[1], [0], [4]]), None),             # (N, 1) -> (N, C)
    ([[1], [2]], 3),
    ([[1, 2, 0], [0, 0, 3]], None),                # (N, T) -> (N, T, C) (MD3 ch17)
    ([[1, 2, 0], [0, 0, 3]], 6),
    (np.arange(24).reshape(2, 3, 4) % 5, None),    # 3-D
    (np.array([[[1]], [[2]]]), None),              # (N, 1, 1) -> (N, 1, C)
    ([1.0, 2.0, 0.0], None),                       # float labels read from a CSV
    (np.array([0.9, 2.7]), None),                  # cast to int as Keras does
    (["1", "0"], None),
    (2, None),                                     # a scalar label
    (np.array([1, 2]), np.int64(4)),
    ([1, 2], 0),                                   # 0 means infer, as Keras's `not num_classes`
    ([], 3),
    (np.zeros((0, 1), dtype=int), 2),
])
def test_to_categorical_matches_keras(keras, labels, num_classes):
    expected = keras.utils.to_categorical(labels, num_classes)
    assert_matches_keras(to_categorical(labels, num_classes), expected)
    assert_matches_keras(np_utils.to_categorical(labels, num_classes), expected)
    if num_classes is not None:
        assert_matches_keras(to_categorical(labels, num_classes=num_classes), expected)


def test_to_categorical_on_mnist_sized_labels(keras):
    labels = np.random.default_rng(0).integers(0, 10, size=60000).astype(np.uint8)
    assert_matches_keras(to_categorical(labels, 10), keras.utils.to_categorical(labels, 10))


def test_to_categorical_dtype_and_integral_float_classes(keras):
    assert to_categorical([1, 0], dtype="float64").dtype == np.float64
    assert_matches_keras(to_categorical([1, 0], 3.0), keras.utils.to_categorical([1, 0], 3))


@settings(max_examples=50, deadline=None)
@given(labels=hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                         elements=st.integers(0, 6)),
       extra=st.one_of(st.none(), st.integers(0, 3)))
def test_random_labels_match_keras(keras, labels, extra):
    num_classes = None if extra is None else int(labels.max()) + 1 + extra
    assert_matches_keras(to_categorical(labels, num_classes),
                         keras.utils.to_categorical(labels, num_classes))


def test_label_too_large_names_the_value(keras):
    with pytest.raises(IndexError):
        keras.utils.to_categorical([0, 5, 1], 3)
    with pytest.raises(ValueError, match=r"\[0, 2\].*label of 5"):
        to_categorical([0, 5, 1], 3)


def test_negative_label_names_the_value():
    # Keras silently wraps -1 to the last class; a negative label is a data bug.
    with pytest.raises(ValueError, match="label of -1"):
        to_categorical([0, -1, 1], 3)


@pytest.mark.parametrize("num_classes", [-2, 2.5, "ten"])
def test_bad_num_classes(num_classes):
    with pytest.raises(ValueError, match="num_classes"):
        to_categorical([0, 1], num_classes)


def test_unusable_labels():
    with pytest.raises(ValueError, match="num_classes"):
        to_categorical([])
    with pytest.raises(ValueError, match="integer class labels"):
        to_categorical(["cat", "dog"])


@pytest.mark.parametrize("order", [1, 2, 3, np.inf])
@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_normalize_matches_keras(keras, order, axis, dtype):
    x = np.array([[3, -4, 0], [0, 0, 0], [1, 2, 2]], dtype=dtype)
    expected = keras.utils.normalize(x, axis=axis, order=order)
    got = normalize(x, axis=axis, order=order)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_normalize_other_axes(keras):
    x = np.random.default_rng(1).normal(size=(4, 3, 5)).astype(np.float32)
    np.testing.assert_array_equal(normalize(x), keras.utils.normalize(x))
    np.testing.assert_array_equal(normalize(x, axis=2), keras.utils.normalize(x, axis=2))
    # Keras maps axis=0 to -1 (`axis or -1`); glassnet normalizes along the axis asked for,
    # which is Keras's result on the transposed array.
    matrix = x[:, :, 0]
    np.testing.assert_array_equal(normalize(matrix, axis=0),
                                  keras.utils.normalize(matrix.T, axis=-1).T)
    # axis=None divides by one norm of the whole array; Keras also adds a leading axis to a
    # 1-D input, glassnet keeps the input's shape.
    vector = np.array([3.0, 4.0])
    np.testing.assert_array_equal(normalize(vector, axis=None),
                                  keras.utils.normalize(vector, axis=None).reshape(2))
    for order in (1, 2, "fro"):
        np.testing.assert_array_equal(normalize(matrix, axis=None, order=order),
                                      keras.utils.normalize(matrix, axis=None, order=order))
    np.testing.assert_array_equal(normalize([[3.0, 4.0]]),
                                  keras.utils.normalize(np.array([[3.0, 4.0]])))
    assert np_utils.normalize is normalize
