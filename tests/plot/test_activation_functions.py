"""plot.activations draws each function's values, checked against its textbook formula."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.plot.activation_functions import SOFTMAX_EXAMPLE

FORMULAS = {
    "step": lambda x: (x > 0).astype(float),
    "sign": np.sign,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),  # Keras 3's default slope
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "softplus": lambda x: np.log1p(np.exp(x)),
}


def test_default_panels_and_their_curves():
    figure = glassnet.plot.activations()
    visible = [axes for axes in figure.axes if axes.get_visible()]
    assert [axes.get_title() for axes in visible] == [
        "step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]
    for axes in visible[:5]:
        curve = axes.lines[-1]  # after the x and y axis lines
        x = curve.get_xdata().astype(np.float64)
        assert x[0] == -5 and x[-1] == 5 and len(x) == 401
        np.testing.assert_allclose(curve.get_ydata(), FORMULAS[axes.get_title()](x),
                                   rtol=1e-5, atol=1e-6)


def test_softmax_panel_shows_logits_and_probabilities():
    figure = glassnet.plot.activations(["softmax"])
    axes = figure.axes[0]
    heights = np.array([patch.get_height() for patch in axes.patches])
    logits, probabilities = heights[:4], heights[4:]
    np.testing.assert_allclose(logits, SOFTMAX_EXAMPLE)
    expected = np.exp(SOFTMAX_EXAMPLE) / np.exp(SOFTMAX_EXAMPLE).sum()
    np.testing.assert_allclose(probabilities, expected, rtol=1e-6)
    assert [text.get_text() for text in axes.texts] == [f"{p:.2f}" for p in expected]


def test_chosen_names_and_grid():
    names = ["sign", "elu", "softplus", "sigmoid"]
    figure = glassnet.plot.activations(names, ncols=3)
    assert len(figure.axes) == 6  # a 2 x 3 grid, two panels hidden
    visible = [axes for axes in figure.axes if axes.get_visible()]
    assert [axes.get_title() for axes in visible] == names
    for axes in visible:
        x = axes.lines[-1].get_xdata().astype(np.float64)
        np.testing.assert_allclose(axes.lines[-1].get_ydata(), FORMULAS[axes.get_title()](x),
                                   rtol=1e-5, atol=1e-6)
    assert visible[3].get_xlabel() == "x    (1 / (1 + exp(-x)))"


def test_unknown_name_is_refused_with_suggestions():
    with pytest.raises(ValueError, match="sigmoid"):
        glassnet.plot.activations(["sigmod"])
