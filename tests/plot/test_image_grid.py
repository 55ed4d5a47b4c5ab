"""plot.images: each panel holds its image unchanged, titled; mistakes are red."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba

import glassnet
from glassnet.datasets import mnist

RED = to_rgba("tab:red")


@pytest.fixture(scope="module")
def digits():
    _, (x_test, y_test) = mnist.load_data(source="bundled")
    return x_test[:12], y_test[:12]


def test_images_titles_and_marked_mistakes(digits):
    x, y = digits
    predicted = y.copy()
    predicted[[2, 7]] = (y[[2, 7]] + 1) % 10
    figure = glassnet.plot.images(x, y, predicted, ncols=5)
    assert len(figure.axes) == 15  # 3 rows of 5, the last three hidden
    shown = [axes for axes in figure.axes if axes.get_visible()]
    assert len(shown) == 12
    for index, axes in enumerate(shown):
        np.testing.assert_array_equal(axes.images[0].get_array(), x[index])
        title = axes.title
        assert title.get_text() == f"pred {predicted[index]} / true {y[index]}"
        wrong = index in (2, 7)
        assert to_rgba(title.get_color()) == (RED if wrong else to_rgba("black"))
        frames = [spine for spine in axes.spines.values() if spine.get_visible()]
        assert len(frames) == (4 if wrong else 0)
        if wrong:
            assert all(to_rgba(spine.get_edgecolor()) == RED for spine in frames)


def test_flattened_rows_probabilities_and_class_names(digits):
    x, y = digits
    flat = x.reshape(len(x), 784).astype("float32") / 255
    probabilities = np.eye(10, dtype="float32")[(y + 3) % 10] * 0.9 + 0.01
    names = [f"digit {d}" for d in range(10)]
    figure = glassnet.plot.images(flat[:4], predictions=probabilities[:4], class_names=names)
    assert len(figure.axes) == 4
    for index, axes in enumerate(figure.axes):
        np.testing.assert_array_equal(axes.images[0].get_array(), flat[index].reshape(28, 28))
        assert axes.get_title() == f"pred digit {(y[index] + 3) % 10}"


def test_labels_only_channels_last_and_max_images(digits):
    x, y = digits
    figure = glassnet.plot.images(x[..., None], labels=y, max_images=3, ncols=10)
    assert len(figure.axes) == 3
    assert [axes.get_title() for axes in figure.axes] == [str(v) for v in y[:3]]
    assert figure.axes[0].images[0].get_array().shape == (28, 28)
    rgb = np.random.default_rng(0).random((2, 8, 8, 3))
    figure = glassnet.plot.images(rgb)
    np.testing.assert_array_equal(figure.axes[1].images[0].get_array(), rgb[1])
    assert figure.axes[1].get_title() == ""


def test_errors(digits):
    x, y = digits
    with pytest.raises(ValueError, match=r"square.*x.shape=\(2, 30\)"):
        glassnet.plot.images(np.zeros((2, 30)))
    with pytest.raises(ValueError, match=r"one class per image \(12\).*labels.shape=\(3,\)"):
        glassnet.plot.images(x, labels=y[:3])
    with pytest.raises(ValueError, match=r"x.shape=\(4,\)"):
        glassnet.plot.images(np.zeros(4))
