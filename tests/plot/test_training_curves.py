"""plot.history draws each metric's training and validation values per epoch."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet import layers


def _fit_history(epochs=3, validation_split=0.25):
    glassnet.utils.set_random_seed(1)
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    model = glassnet.Sequential([layers.Input((4,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model.fit(x, y, epochs=epochs, validation_split=validation_split, verbose=0)


def _lines(axes):
    return {line.get_label(): (line.get_xdata(), line.get_ydata()) for line in axes.lines}


def test_one_axes_per_metric_with_the_history_values():
    history = _fit_history()
    figure = glassnet.plot.history(history)
    assert [axes.get_title() for axes in figure.axes] == [
        "Training and validation accuracy", "Training and validation loss"]
    for axes, name in zip(figure.axes, ["accuracy", "loss"]):
        lines = _lines(axes)
        assert set(lines) == {f"Training {name}", f"Validation {name}"}
        for label, key in ((f"Training {name}", name), (f"Validation {name}", f"val_{name}")):
            x, y = lines[label]
            np.testing.assert_array_equal(x, [1, 2, 3])
            np.testing.assert_allclose(y, history.history[key])
        assert axes.get_xlabel() == "Epoch" and axes.get_ylabel() == name
        assert [text.get_text() for text in axes.get_legend().get_texts()] == \
            [f"Training {name}", f"Validation {name}"]


def test_chosen_metrics_and_a_plain_dict():
    logs = {"loss": [0.9, 0.5, 0.4, 0.35], "mae": [3.0, 2.0, 1.5, 1.2],
            "val_loss": [1.0, 0.7, 0.6, 0.62]}
    figure = glassnet.plot.history(logs, metrics="loss")
    assert len(figure.axes) == 1
    x, y = _lines(figure.axes[0])["Validation loss"]
    np.testing.assert_array_equal(x, [1, 2, 3, 4])
    np.testing.assert_allclose(y, logs["val_loss"])

    figure = glassnet.plot.history(logs, metrics=["mae"])
    assert figure.axes[0].get_title() == "Training mae"
    assert list(_lines(figure.axes[0])) == ["Training mae"]


def test_without_validation_and_resumed_epochs():
    history = _fit_history(epochs=2, validation_split=0.0)
    history.epoch = [5, 6]  # as after fit(..., initial_epoch=5)
    figure = glassnet.plot.history(history)
    assert [axes.get_title() for axes in figure.axes] == ["Training accuracy",
                                                          "Training loss"]
    x, y = _lines(figure.axes[1])["Training loss"]
    np.testing.assert_array_equal(x, [6, 7])
    np.testing.assert_allclose(y, history.history["loss"])


def test_a_keras_history_works_too(keras):
    x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, epochs=3, validation_split=0.25, verbose=0)
    figure = glassnet.plot.history(history)
    assert figure.axes[0].get_title() == "Training and validation loss"
    np.testing.assert_allclose(_lines(figure.axes[0])["Validation loss"][1],
                               history.history["val_loss"])


def test_saves_to_path(tmp_path):
    import matplotlib.image
    path = tmp_path / "curves.png"
    figure = glassnet.plot.history({"loss": [1.0, 0.5]}, path=path)
    picture = matplotlib.image.imread(path)
    width, height = figure.get_size_inches() * 100
    assert picture.shape[:2] == (round(height), round(width))


def test_errors_name_what_is_there():
    with pytest.raises(ValueError, match=r"no metric 'acc'.*\['loss', 'val_loss'\]"):
        glassnet.plot.history({"loss": [1.0], "val_loss": [1.0]}, metrics=["acc"])
    with pytest.raises(ValueError, match="empty"):
        glassnet.plot.history({})
    with pytest.raises(TypeError, match="Received: list"):
        glassnet.plot.history([1.0, 2.0])
