"""Subclassed models and layers against Keras 3: layers tracked as attributes, weights made
on the first call, summary() before and after it, fit / evaluate / predict, custom layers
with build / add_weight / add_loss, and the ``training`` flag reaching every layer."""

from __future__ import annotations

import numpy as np

import glassnet
from tests.models.twins import summary_text


def _classes(K):
    L = K.layers

    class Scale(L.Layer):
        """A custom layer: one weight per feature, and an L2 penalty added with add_loss."""

        def __init__(self, rate=0.01, **kwargs):
            super().__init__(**kwargs)
            self.rate = rate

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones",
                                         name="scale")
            self.shift = self.add_weight(shape=(input_shape[-1],), initializer="zeros",
                                         name="shift")

        def call(self, inputs):
            self.add_loss(self.rate * K.ops.sum(self.scale * self.scale))
            return inputs * self.scale + self.shift

    class MyModel(K.Model):
        def __init__(self, dropout=0.5):
            super().__init__()
            self.d1 = L.Dense(8, activation="relu")
            self.scale = Scale()
            self.drop = L.Dropout(dropout)
            self.d2 = L.Dense(2)

        def call(self, x, training=False):
            return self.d2(self.drop(self.scale(self.d1(x)), training=training))

    return MyModel


def _pair(keras, dropout=0.5):
    glassnet.backend.clear_session()
    ours = _classes(glassnet)(dropout)
    keras.backend.clear_session()
    theirs = _classes(keras)(dropout)
    return ours, theirs


def test_layers_tracked_and_summary_before_and_after_first_call(keras):
    ours, theirs = _pair(keras)
    assert not ours.built and ours.name == theirs.name == "my_model"
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    assert summary_text(ours) == summary_text(theirs)
    x = np.ones((3, 5), np.float32)
    ours(x), theirs(x)
    assert summary_text(ours) == summary_text(theirs)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]


def test_fit_evaluate_predict_and_added_losses_match_keras(keras):
    ours, theirs = _pair(keras, dropout=0.0)  # no random masks: the values must agree
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 5)).astype(np.float32)
    y = rng.normal(size=(12, 2)).astype(np.float32)
    theirs(x)
    ours(x)
    weights = [rng.normal(0, 0.5, size=tuple(w.shape)).astype(np.float32)
               for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    for model in (ours, theirs):
        model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    # The added penalty enters the training loss, and losses lists the last call's.
    np.testing.assert_allclose(ours.train_on_batch(x, y), theirs.train_on_batch(x, y),
                               rtol=1e-5)
    assert len(ours.losses) == len(theirs.losses) == 1
    np.testing.assert_allclose(float(ours.losses[0]), float(theirs.losses[0].detach()),
                               rtol=1e-5)
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0),
                               rtol=1e-5)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    history = ours.fit(x, y, epochs=2, verbose=0)
    assert sorted(history.history) == ["loss", "mae"]


class Recorder(glassnet.layers.Layer):
    """Remembers the ``training`` value of every call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        return inputs


def test_training_flag_reaches_nested_layers():
    recorder = Recorder()
    inner_in = glassnet.Input(shape=(3,))
    inner = glassnet.Model(inner_in, recorder(glassnet.layers.Dense(3)(inner_in)))

    class Outer(glassnet.Model):
        def __init__(self):
            super().__init__()
            self.inner = inner
            self.head = glassnet.layers.Dense(1)

        def call(self, x):  # no training argument: it still reaches the layers inside
            return self.head(self.inner(x))

    model = Outer()
    x, y = np.ones((4, 3), np.float32), np.zeros((4, 1), np.float32)
    model.compile(optimizer="sgd", loss="mse")
    recorder.seen.clear()
    model.fit(x, y, batch_size=4, verbose=0)
    # One training step; calls before it only build the model and resolve the losses.
    assert recorder.seen[-1] is True and set(recorder.seen[:-1]) <= {False}
    recorder.seen.clear()
    model.predict(x, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert recorder.seen == [False, False]
    recorder.seen.clear()
    model(x, training=True)
    model(x)
    assert recorder.seen == [True, None]
