"""plot_model: the picture of a model, drawn with matplotlib when Graphviz is absent."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet as keras
from glassnet import layers
from glassnet.utils import model_visualization
from glassnet.utils.model_visualization import model_to_dot, plot_model

pytest.importorskip("matplotlib")
PIL = pytest.importorskip("PIL.Image")


@pytest.fixture(autouse=True)
def no_graphviz(monkeypatch):
    monkeypatch.setattr(model_visualization.shutil, "which", lambda name: None)


def _pixels(path) -> np.ndarray:
    with PIL.open(path) as img:
        return np.asarray(img.convert("L"))


def _book_cnn():
    model = keras.Sequential()
    model.add(layers.Input(shape=(28, 28, 1)))
    model.add(layers.Flatten())
    model.add(layers.Dense(100, activation="relu"))
    model.add(layers.Dropout(0.4))
    model.add(layers.Dense(10, activation="softmax"))
    return model


def test_sequential_picture(tmp_path):
    plain, shapes = tmp_path / "plain.png", tmp_path / "shapes.png"
    assert plot_model(_book_cnn(), to_file=str(plain)) is None   # IPython is not installed
    plot_model(_book_cnn(), to_file=str(shapes), show_shapes=True, dpi=100)
    small, large = _pixels(plain), _pixels(shapes)
    # Five boxes stacked: taller than wide; the shapes make the boxes wider and taller.
    assert small.shape[0] > small.shape[1]
    assert large.shape[1] > small.shape[1] * 100 / 200 and (large < 128).any()


def test_dot_source_lists_layers_and_edges():
    source = model_to_dot(_book_cnn(), show_shapes=True, show_layer_names=True)
    assert source.count("->") == 4
    assert "dense (Dense)" in source and "Output shape: (None, 10)" in source
    assert "Input shape: (None, 28, 28, 1)" in source


def test_functional_branches(tmp_path):
    inputs = keras.Input(shape=(8,), name="features")
    left = layers.Dense(4, name="left")(inputs)
    right = layers.Dense(4, name="right")(inputs)
    merged = layers.Dense(2, name="out")(left)
    model = keras.Model(inputs, [merged, right])
    source = model_to_dot(model, show_layer_names=True)
    assert source.count("->") == 3
    path = tmp_path / "branches.png"
    plot_model(model, to_file=str(path), rankdir="LR", show_layer_names=True)
    pixels = _pixels(path)
    assert pixels.shape[1] > pixels.shape[0]      # left to right: wider than tall


def test_unbuilt_model_is_an_error(tmp_path):
    model = keras.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="not yet been built|not built"):
        plot_model(model, to_file=str(tmp_path / "m.png"))
    with pytest.raises(ValueError, match="rankdir"):
        plot_model(_book_cnn(), rankdir="XY")


def test_other_formats(tmp_path):
    plot_model(_book_cnn(), to_file=str(tmp_path / "m.svg"))
    assert (tmp_path / "m.svg").read_text().lstrip().startswith("<?xml")
