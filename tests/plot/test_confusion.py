"""plot.confusion_matrix against scikit-learn's confusion_matrix."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics

import glassnet


def _matrix(figure):
    return np.asarray(figure.axes[0].images[0].get_array())


def _cell_texts(figure, shape):
    texts = [text.get_text() for text in figure.axes[0].texts]
    return np.array(texts).reshape(shape)


@pytest.fixture
def labels():
    rng = np.random.default_rng(3)
    y_true = rng.integers(0, 5, size=300)
    y_pred = np.where(rng.random(300) < 0.7, y_true, rng.integers(0, 5, size=300))
    return y_true, y_pred


def test_counts_match_scikit_learn(labels):
    y_true, y_pred = labels
    figure = glassnet.plot.confusion_matrix(y_true, y_pred)
    expected = metrics.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(_matrix(figure), expected)
    np.testing.assert_array_equal(_cell_texts(figure, expected.shape),
                                  expected.astype(str))
    axes = figure.axes[0]
    assert axes.get_xlabel() == "Predicted label" and axes.get_ylabel() == "True label"
    assert axes.get_title() == "Confusion matrix"
    assert [t.get_text() for t in axes.get_xticklabels()] == ["0", "1", "2", "3", "4"]


@pytest.mark.parametrize("normalize", [True, "true", "pred", "all"])
def test_normalized_as_scikit_learn(labels, normalize):
    y_true, y_pred = labels
    figure = glassnet.plot.confusion_matrix(y_true, y_pred, normalize=normalize)
    expected = metrics.confusion_matrix(y_true, y_pred,
                                        normalize="true" if normalize is True else normalize)
    np.testing.assert_allclose(_matrix(figure), expected)
    np.testing.assert_array_equal(_cell_texts(figure, expected.shape),
                                  np.vectorize(lambda v: f"{v:.2f}")(expected))


def test_probabilities_one_hot_and_class_names(labels):
    y_true, y_pred = labels
    scores = np.random.default_rng(0).random((300, 5)).astype("float32")
    scores[np.arange(300), y_pred] += 1.0  # the predicted class has the largest score
    one_hot = np.eye(5, dtype="float32")[y_true]
    names = ["cat", "dog", "fish", "bird", "frog"]
    figure = glassnet.plot.confusion_matrix(one_hot, scores, labels=names)
    np.testing.assert_array_equal(_matrix(figure), metrics.confusion_matrix(y_true, y_pred))
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == names
    assert [t.get_text() for t in axes.get_yticklabels()] == names


def test_integer_labels_select_classes_as_scikit_learn(labels):
    y_true, y_pred = labels
    figure = glassnet.plot.confusion_matrix(y_true, y_pred, labels=[4, 0, 2])
    np.testing.assert_array_equal(
        _matrix(figure), metrics.confusion_matrix(y_true, y_pred, labels=[4, 0, 2]))


def test_string_classes_and_unseen_ids():
    y_true = np.array(["b", "a", "c", "a"])
    y_pred = np.array(["a", "a", "c", "b"])
    figure = glassnet.plot.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(_matrix(figure), metrics.confusion_matrix(y_true, y_pred))
    # Class 2 is never seen, but ids run from 0, so it keeps its row and column.
    figure = glassnet.plot.confusion_matrix([0, 3, 3], [1, 3, 0])
    np.testing.assert_array_equal(
        _matrix(figure), metrics.confusion_matrix([0, 3, 3], [1, 3, 0], labels=[0, 1, 2, 3]))


def test_errors():
    with pytest.raises(ValueError, match=r"y_true.shape=\(3,\), y_pred.shape=\(2,\)"):
        glassnet.plot.confusion_matrix([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="normalize=.rows."):
        glassnet.plot.confusion_matrix([0, 1], [0, 1], normalize="rows")
    with pytest.raises(ValueError, match="data has class 2"):
        glassnet.plot.confusion_matrix([0, 1, 2], [0, 1, 1], labels=["no", "yes"])
