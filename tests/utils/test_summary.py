"""model.summary() prints the text Keras 3 prints, for the same model built with the same code.

Every model here is built twice by one function, once with ``keras`` (torch backend) and
once with ``glassnet``, with explicit names so both get the same ones.  The outputs are
compared whole: through ``print_fn``, on a stdout that is not a terminal, on a fake
terminal under several colour settings, and in a fake notebook.
"""

from __future__ import annotations

import importlib
import io
import sys
import types

import numpy as np
import pytest

import glassnet
from glassnet.utils.summary import print_summary


class Stream(io.StringIO):
    """A stdout that can say it is a terminal and report any encoding."""

    def __init__(self, tty: bool = False, encoding: str = "utf-8"):
        super().__init__()
        self._tty, self._encoding = tty, encoding

    def isatty(self):
        return self._tty

    @property
    def encoding(self):
        return self._encoding


def summary_text(model, **kwargs) -> str:
    received = []
    model.summary(print_fn=lambda *args, **kw: received.append((args, kw)), **kwargs)
    assert len(received) == 1 and received[0][1] == {}
    return received[0][0][0]


def forget_rich_escape_codes():
    """rich keeps the escape codes of a style from its first use, whatever the colour system
    of later consoles; a fresh process starts without them, which is what glassnet writes."""
    from rich.style import Style

    # Styles come from these caches; emptying them makes rich build new ones.
    Style.parse.cache_clear()
    Style._add.cache_clear()


def stdout_text(model, stream: Stream, **kwargs) -> str:
    if not type(model).__module__.startswith("glassnet"):
        forget_rich_escape_codes()
    saved = sys.stdout
    sys.stdout = stream
    try:
        model.summary(**kwargs)
    finally:
        sys.stdout = saved
    return stream.getvalue()


_MODULES = {"Conv2D": "convolutional", "MaxPooling2D": "pooling", "LSTM": "rnn",
            "BatchNormalization": "normalization", "Embedding": "core.embedding",
            "Bidirectional": "rnn", "SimpleRNN": "rnn"}


def layer(K, name):
    """K.layers.<name>; for glassnet, from the layer's own module when ``glassnet.layers``
    does not export it."""
    if K is glassnet and not hasattr(K.layers, name):
        return getattr(importlib.import_module(f"glassnet.layers.{_MODULES[name]}"), name)
    return getattr(K.layers, name)


def pair(keras, build):
    """The model ``build`` makes with keras, and the one it makes with glassnet."""
    return build(keras), build(glassnet)


# --- the models ---------------------------------------------------------------------------------
def mlp(K):
    return K.Sequential([K.Input((784,), name="input_layer"),
                         K.layers.Dense(50, activation="sigmoid", name="dense"),
                         K.layers.Dense(10, activation="softmax", name="dense_1")],
                        name="sequential")


def flatten_mlp(K):
    return K.Sequential([K.Input((28, 28), name="input_layer"),
                         K.layers.Flatten(name="flatten"),
                         K.layers.Dense(100, activation="relu", name="dense"),
                         K.layers.Dense(10, activation="softmax", name="dense_1")],
                        name="sequential")


def with_dropout(K):
    return K.Sequential([K.Input((784,), name="input_layer"),
                         K.layers.Dense(128, activation="relu", name="dense"),
                         K.layers.Dropout(0.2, name="dropout"),
                         K.layers.Dense(128, activation="relu", name="dense_1"),
                         K.layers.Dropout(0.2, name="dropout_1"),
                         K.layers.Dense(10, activation="softmax", name="dense_2")],
                        name="sequential_with_dropout")


def long_names(K):
    names = ["first_hidden_layer_with_a_rather_long_descriptive_name",
             "second hidden layer named with spaces in it",
             "x" * 70, "activation_after_the_third_dense_layer", "output"]
    return K.Sequential([K.Input((30, 20), name="the_input"),
                         K.layers.Reshape((600,), name="reshape_to_a_flat_vector"),
                         K.layers.Dense(1200, name=names[0]),
                         K.layers.Dense(64, name=names[1]),
                         K.layers.Dense(32, name=names[2]),
                         K.layers.Activation("relu", name=names[3]),
                         K.layers.LeakyReLU(name="leaky_relu_with_default_slope"),
                         K.layers.Dense(1, name=names[4])],
                        name="a_deep_ish_model_with_long_layer_names")


def cnn(K):
    return K.Sequential([K.Input((28, 28, 1), name="input_layer"),
                         layer(K, "Conv2D")(32, (3, 3), activation="relu", name="conv2d"),
                         layer(K, "MaxPooling2D")((2, 2), name="max_pooling2d"),
                         layer(K, "Conv2D")(64, 3, activation="relu", name="conv2d_1"),
                         layer(K, "BatchNormalization")(name="batch_normalization"),
                         K.layers.Flatten(name="flatten"),
                         K.layers.Dense(10, activation="softmax", name="dense")], name="cnn")


def rnn(K):
    return K.Sequential([K.Input((100,), name="input_layer"),
                         layer(K, "Embedding")(10000, 32, name="embedding"),
                         layer(K, "LSTM")(32, return_sequences=True, name="lstm"),
                         layer(K, "Bidirectional")(layer(K, "SimpleRNN")(8, name="simple_rnn"),
                                                   name="bidirectional"),
                         K.layers.Dense(1, activation="sigmoid", name="dense")], name="rnn")


def unbuilt(K):
    return K.Sequential([K.layers.Dense(50, name="dense"), K.layers.Dense(10, name="dense_1")],
                        name="sequential")


def book_style(K):
    """input_shape= on the first layer, as the books write it."""
    return K.Sequential([K.layers.Dense(50, activation="sigmoid", input_shape=(784,),
                                        name="dense"),
                         K.layers.Dense(10, activation="softmax", name="dense_1")],
                        name="sequential")


def built_later(K):
    model = unbuilt(K)
    model.build((None, 784))
    return model


def long_title(K):
    return K.Sequential([K.Input((3,), name="inp"), K.layers.Dense(1, name="d")],
                        name="a model whose name is longer than " + "a narrow console " * 6)


def nested(K):
    inner = K.Sequential([K.Input((8,), name="inner_input"),
                          K.layers.Dense(4, name="inner_dense_with_a_very_long_name_indeed"),
                          K.layers.Dense(3, name="inner_dense_2")], name="inner")
    inner.layers[0].trainable = False
    return K.Sequential([K.Input((8,), name="outer_input"), inner,
                         K.layers.Dropout(0.5, name="drop"), K.layers.Dense(2, name="out")],
                        name="outer")


def sum_layer(K):
    """The same small merge layer, written for each library."""
    class SummaryTestSum(K.layers.Layer):
        def call(self, inputs):
            return inputs[0] + inputs[1]

        def compute_output_shape(self, input_shape):
            return tuple(input_shape[0])

    return SummaryTestSum


def diamond(K):
    x = K.Input((16,), name="features")
    a = K.layers.Dense(8, activation="relu", name="trunk")(x)
    b = K.layers.Dense(4, name="left_branch")(a)
    c = K.layers.Dense(4, name="right_branch")(a)
    d = sum_layer(K)(name="merge")([c, b])
    return K.Model(x, K.layers.Dense(1, name="head")(d), name="diamond")


def two_outputs(K):
    x = K.Input((4,), name="inp")
    a = K.layers.Dense(3, name="a")(x)
    b = K.layers.Dense(2, name="b")(a)
    return K.Model(x, [a, b], name="two_outputs")


def functional_chain(K):
    x = K.Input((10,), name="inp")
    y = K.layers.Dense(5, name="d1")(x)
    return K.Model(x, K.layers.Dense(1, name="d2")(y), name="chain")


def shared_layer(K):
    x = K.Input((6,), name="inp")
    shared = K.layers.Dense(6, name="shared")
    return K.Model(x, shared(shared(x)), name="shared_twice")


def two_inputs(K):
    x1, x2 = K.Input((3,), name="x1"), K.Input((3,), name="x2")
    y = sum_layer(K)(name="total")([K.layers.Dense(3, name="p")(x1), x2])
    return K.Model([x1, x2], y, name="two_inputs")


def nested_functional(K):
    i = K.Input((6,), name="enc_in")
    encoder = K.Model(i, K.layers.Dense(3, name="code")(i), name="encoder")
    decoder = K.Sequential([K.Input((3,), name="dec_in"), K.layers.Dense(6, name="recon")],
                           name="decoder")
    x = K.Input((6,), name="x")
    return K.Model(x, decoder(encoder(x)), name="autoencoder")


def siamese(K):
    i = K.Input((6,), name="enc_in")
    encoder = K.Model(i, K.layers.Dense(3, name="code")(i), name="encoder")
    x1, x2 = K.Input((6,), name="x1"), K.Input((6,), name="x2")
    return K.Model([x1, x2], [encoder(x1), encoder(x2)], name="siamese")


def subclassed_unbuilt(K):
    class Subclassed(K.Model):
        def __init__(self):
            super().__init__(name="subclassed")
            self.hidden = K.layers.Dense(4, name="hidden")
            self.out = K.layers.Dense(2, name="out")

        def call(self, x):
            return self.out(self.hidden(x))

    return Subclassed()


def subclassed(K):
    model = subclassed_unbuilt(K)
    model(np.zeros((2, 5), "float32"))
    return model


MODELS = [mlp, flatten_mlp, with_dropout, cnn, rnn, long_names, unbuilt, book_style, built_later,
          long_title, nested, diamond, two_outputs, functional_chain, shared_layer, two_inputs,
          nested_functional, siamese, subclassed_unbuilt, subclassed]


# --- the tests ----------------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore::UserWarning")  # Keras 3 on input_shape=
@pytest.mark.parametrize("build", MODELS, ids=lambda f: f.__name__)
def test_print_fn_text_matches_keras(keras, build):
    theirs, ours = pair(keras, build)
    assert summary_text(ours) == summary_text(theirs)


def test_mlp_numbers(keras):
    text = summary_text(mlp(glassnet))
    assert "│ dense (Dense)                   │ (None, 50)             │        39,250 │" in text
    assert " Total params: 39,760 (155.31 KB)\n" in text and text.startswith('Model: "sequen')


@pytest.mark.parametrize("build", [long_names, diamond, nested, with_dropout, siamese,
                                   nested_functional], ids=lambda f: f.__name__)
@pytest.mark.parametrize("options", [
    {"line_length": 60}, {"line_length": 130}, {"line_length": 45},
    {"positions": [0.2, 0.5, 0.9, 1.0]}, {"positions": [20, 40, 55]},
    {"show_trainable": True}, {"expand_nested": True, "show_trainable": True},
    {"line_length": 200, "show_trainable": True}])
def test_options_match_keras(keras, build, options):
    theirs, ours = pair(keras, build)
    try:
        expected = summary_text(theirs, **options)
    except IndexError:  # Keras fails on too few positions for the columns
        with pytest.raises(ValueError, match="positions needs one entry per column"):
            summary_text(ours, **options)
        return
    assert summary_text(ours, **options) == expected


@pytest.mark.parametrize("layer_range", [("dense", "dense_1"), ("dense_1", "dense"),
                                         ("drop.*", "dense_2"), ("dense_2", "dense_2")])
def test_layer_range(keras, layer_range):
    theirs, ours = pair(keras, with_dropout)
    assert summary_text(ours, layer_range=layer_range) == \
        summary_text(theirs, layer_range=layer_range)


@pytest.mark.parametrize("layer_range", [("dense",), ("nothing", "dense"), (1, 2)])
def test_bad_layer_range(keras, layer_range):
    theirs, ours = pair(keras, with_dropout)
    with pytest.raises(ValueError):
        summary_text(theirs, layer_range=layer_range)
    with pytest.raises(ValueError, match="layer_range"):
        summary_text(ours, layer_range=layer_range)


def test_too_narrow(keras):
    theirs, ours = pair(keras, mlp)
    with pytest.raises(ValueError, match="Insufficient console width"):
        summary_text(theirs, line_length=8)
    with pytest.raises(ValueError, match="Insufficient console width"):
        summary_text(ours, line_length=8)


def test_optimizer_params(keras):
    """Once training has built the optimizer, Keras adds a line for its variables (the step
    counter, the learning rate and Adam's two moments per weight)."""
    x, y = np.zeros((8, 784), "float32"), np.zeros(8, "int64")
    theirs, ours = pair(keras, mlp)
    for model in (theirs, ours):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert summary_text(ours) == summary_text(theirs)  # compiled, not yet trained
    assert "Optimizer" not in summary_text(ours)
    for model in (theirs, ours):
        model.fit(x, y, verbose=0)
    expected = summary_text(theirs)
    assert " Optimizer params: 79,522 (310.63 KB)\n" in expected
    assert summary_text(ours) == expected


@pytest.mark.parametrize("env", [
    {"TERM": "xterm-256color"}, {"TERM": "xterm"}, {"TERM": "xterm-kitty"},
    {"TERM": "xterm", "COLORTERM": "truecolor"}, {"TERM": "xterm-256color", "NO_COLOR": "1"},
    {"TERM": "dumb"}, {"TERM": "xterm", "TTY_COMPATIBLE": "0"},
    {"TERM": "xterm-16color", "COLUMNS": "70", "LINES": "40"},
    {"TERM": "xterm-256color", "COLUMNS": "200"}])
@pytest.mark.parametrize("build", [with_dropout, diamond, nested, long_title],
                         ids=lambda f: f.__name__)
def test_terminal_styles_match_keras(keras, monkeypatch, env, build):
    for name in ("TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS",
                 "LINES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    theirs, ours = pair(keras, build)
    for options in ({}, {"show_trainable": True, "expand_nested": True}):
        expected = stdout_text(theirs, Stream(tty=True), **options)
        assert stdout_text(ours, Stream(tty=True), **options) == expected
    if env.get("TERM") == "xterm-256color" and "NO_COLOR" not in env:
        assert "\x1b[38;5;34m" in expected


@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1", "TERM": "xterm-256color"},
                                 {"TTY_COMPATIBLE": "1"}, {"COLUMNS": "50", "LINES": "9"}])
def test_stdout_that_is_not_a_terminal(keras, monkeypatch, env):
    for name in ("TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS",
                 "LINES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    theirs, ours = pair(keras, long_names)
    for encoding in ("utf-8", "ascii"):
        expected = stdout_text(theirs, Stream(encoding=encoding))
        assert stdout_text(ours, Stream(encoding=encoding)) == expected


def test_notebook_output_matches_keras(keras, monkeypatch):
    """In Jupyter, Keras's summary is shown as HTML (with the ANSI text as plain text),
    one display per printed part."""
    shown = []
    display_module = types.ModuleType("IPython.display")
    display_module.display = lambda obj: shown.append(obj._repr_mimebundle_(None, None))
    package = types.ModuleType("IPython")
    package.display = display_module
    monkeypatch.setitem(sys.modules, "IPython", package)
    monkeypatch.setitem(sys.modules, "IPython.display", display_module)
    shell = type("ZMQInteractiveShell", (), {})()
    monkeypatch.setattr("builtins.get_ipython", lambda: shell, raising=False)
    for name in ("NO_COLOR", "JUPYTER_COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    theirs, ours = pair(keras, diamond)
    theirs.summary(show_trainable=True)
    expected, shown[:] = list(shown), []
    ours.summary(show_trainable=True)
    assert shown == expected and len(shown) == 5
    assert '<span style="color: #00af00' in shown[1]["text/html"]


def test_stand_in_objects_without_a_model_class():
    """print_summary needs only the attributes the models have."""
    weight = types.SimpleNamespace(shape=(3, 2), dtype="float32")
    flag = types.SimpleNamespace(shape=(5,), dtype="bool")
    layer = types.SimpleNamespace(name="custom", built=True, count_params=lambda: 6,
                                  _inbound_nodes=[], weights=[weight], trainable=True)
    model = types.SimpleNamespace(name="stub", layers=[layer], trainable_weights=[weight],
                                  non_trainable_weights=[flag], optimizer=None)
    received = []
    print_summary(model, print_fn=received.append, show_trainable=True)
    text = received[0]
    assert "│ custom (SimpleNamespace)" in text and "│ ?  " in text
    assert " Non-trainable params: 5 (0.62 B)\n" in text  # a bool takes one bit, as Keras
