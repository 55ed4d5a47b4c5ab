"""Custom training, against Keras 3 on torch: loops with GradientTape and
``optimizer.apply_gradients`` / ``apply``, ``train_step`` / ``test_step`` overrides with
``compute_loss`` and metrics kept as attributes, and a GAN written as a subclassed Model
(Keras's DCGAN example) trained with ``fit(x)``.

The two libraries get gradients differently (glassnet's tape, torch's ``backward``), so
each step is written twice; everything else is the same code."""

from __future__ import annotations

import numpy as np

import glassnet
from tests.models.twins import build_pair


def regressor(K, L):
    x = K.Input(shape=(5,), name="x")
    h = L.Dense(8, activation="tanh")(x)
    return K.Model(x, L.Dense(2)(h))


def _data(seed=0, n=16):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 5)).astype(np.float32),
            rng.normal(size=(n, 2)).astype(np.float32))


def test_gradient_tape_loop_matches_keras(keras, torch):
    ours, theirs = build_pair(keras, regressor)
    x, y = _data()
    ours_opt = glassnet.optimizers.Adam(learning_rate=0.01)
    theirs_opt = keras.optimizers.Adam(learning_rate=0.01)
    loss_fn, keras_loss_fn = glassnet.losses.MeanSquaredError(), keras.losses.MeanSquaredError()
    for step in range(4):
        batch = slice(4 * step, 4 * step + 4)
        with glassnet.GradientTape() as tape:
            loss = loss_fn(y[batch], ours(x[batch], training=True))
        grads = tape.gradient(loss, ours.trainable_weights)
        if step % 2:
            ours_opt.apply(grads, ours.trainable_weights)
        else:
            ours_opt.apply_gradients(zip(grads, ours.trainable_weights))

        theirs.zero_grad()
        keras_loss = keras_loss_fn(torch.tensor(y[batch]), theirs(torch.tensor(x[batch]),
                                                                 training=True))
        keras_loss.backward()
        with torch.no_grad():
            theirs_opt.apply([v.value.grad for v in theirs.trainable_weights],
                             theirs.trainable_weights)
        np.testing.assert_allclose(float(loss), float(keras_loss.detach()), rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def _custom_model_class(K, torch=None):
    """Keras's "customizing fit()" model: a loss tracker and an MAE kept as attributes,
    the metrics property listing them, train_step and test_step overridden."""

    class CustomModel(K.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = K.metrics.Mean(name="loss")
            self.mae_metric = K.metrics.MeanAbsoluteError(name="mae")

        def train_step(self, data):
            x, y = data[0], data[1]  # Keras on torch adds a None weight when shuffle=False
            if torch is None:
                with K.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(y=y, y_pred=y_pred)
                gradients = tape.gradient(loss, self.trainable_variables)
            else:
                self.zero_grad()
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
                loss.backward()
                gradients = [v.value.grad for v in self.trainable_variables]
            if torch is None:
                self.optimizer.apply(gradients, self.trainable_variables)
            else:
                with torch.no_grad():
                    self.optimizer.apply(gradients, self.trainable_variables)
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        def test_step(self, data):
            x, y = data[0], data[1]
            y_pred = self(x, training=False)
            self.loss_tracker.update_state(self.compute_loss(y=y, y_pred=y_pred))
            self.mae_metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    return CustomModel


def custom_regressor(torch):
    def build(K, L):
        x = K.Input(shape=(5,), name="x")
        out = L.Dense(2)(L.Dense(8, activation="relu")(x))
        return _custom_model_class(K, None if K is glassnet else torch)(x, out)
    return build


def test_train_step_override_matches_keras(keras, torch):
    ours, theirs = build_pair(keras, custom_regressor(torch))
    assert ours.name == theirs.name == "custom_model"
    x, y = _data(1, n=20)
    for model in (ours, theirs):
        model.compile(optimizer="adam", loss="mse")
    got = ours.fit(x, y, batch_size=6, epochs=3, shuffle=False, verbose=0,
                   validation_data=(x, y))
    want = theirs.fit(x, y, batch_size=6, epochs=3, shuffle=False, verbose=0,
                      validation_data=(x, y))
    assert sorted(got.history) == sorted(want.history) == ["loss", "mae", "val_loss",
                                                           "val_mae"]
    for key in want.history:
        np.testing.assert_allclose(got.history[key], want.history[key], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0),
                               rtol=1e-5)
    np.testing.assert_allclose(ours.train_on_batch(x, y), theirs.train_on_batch(x, y),
                               rtol=1e-5)


def test_attribute_metrics_are_reported_and_reset():
    class Tracked(glassnet.Model):
        def __init__(self):
            super().__init__()
            self.dense = glassnet.layers.Dense(1)
            self.calls = glassnet.metrics.Sum(name="samples_seen")

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            logs = super().train_step(data)
            self.calls.update_state(float(len(data[0])))
            return {**logs, "samples_seen": self.calls.result()}

    model = Tracked()
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((10, 3), np.float32), np.zeros((10, 1), np.float32)
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert model.metrics[-1] is model.calls
    assert history.history["samples_seen"] == [10.0, 10.0]  # reset at each epoch
    assert set(history.history) == {"loss", "samples_seen"}


def _gan_class(K, torch=None):
    """A GAN as a subclassed Model (Keras's DCGAN example): compile() takes two optimizers,
    the metrics property lists d_loss and g_loss, and fit(images) gives train_step the
    images alone.  The latent vectors come from the images so both libraries draw the same
    ones."""

    class GAN(K.Model):
        def __init__(self, discriminator, generator, latent_dim):
            super().__init__()
            self.discriminator = discriminator
            self.generator = generator
            self.latent_dim = latent_dim
            self.d_loss_metric = K.metrics.Mean(name="d_loss")
            self.g_loss_metric = K.metrics.Mean(name="g_loss")
            self.built = True  # Keras would otherwise try to call() it before fit

        def compile(self, d_optimizer, g_optimizer, loss_fn):
            super().compile()
            self.d_optimizer = d_optimizer
            self.g_optimizer = g_optimizer
            self.loss_fn = loss_fn

        @property
        def metrics(self):
            return [self.d_loss_metric, self.g_loss_metric]

        def _update(self, loss_of, model, optimizer):
            if torch is None:
                with K.GradientTape() as tape:
                    loss = loss_of()
                grads = tape.gradient(loss, model.trainable_weights)
                optimizer.apply_gradients(zip(grads, model.trainable_weights))
                return loss
            for v in self.trainable_weights:
                v.value.grad = None
            loss = loss_of()
            loss.backward()
            with torch.no_grad():
                optimizer.apply([v.value.grad for v in model.trainable_weights],
                                model.trainable_weights)
            return loss

        def train_step(self, real_images):
            if isinstance(real_images, tuple):  # Keras on torch with shuffle=False
                real_images = real_images[0]
            real = np.asarray(real_images.cpu() if torch is not None else real_images)
            batch_size = real.shape[0]
            latent = real.reshape(batch_size, -1)[:, :self.latent_dim] * 2.0 - 1.0
            generated = self.generator(latent)
            generated = generated.detach().cpu().numpy() if torch is not None else \
                generated.numpy()
            combined = np.concatenate([generated, real], axis=0)
            labels = np.concatenate([np.ones((batch_size, 1)), np.zeros((batch_size, 1))]
                                    ).astype("float32")
            d_loss = self._update(lambda: self.loss_fn(labels, self.discriminator(combined)),
                                  self.discriminator, self.d_optimizer)
            misleading = np.zeros((batch_size, 1), dtype="float32")
            g_loss = self._update(
                lambda: self.loss_fn(misleading, self.discriminator(self.generator(latent))),
                self.generator, self.g_optimizer)
            self.d_loss_metric.update_state(d_loss)
            self.g_loss_metric.update_state(g_loss)
            return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}

    return GAN


def gan_builder(torch):
    def build(K, L):
        latent_dim = 6
        discriminator = K.Sequential([K.Input(shape=(4, 4, 1)), L.Flatten(),
                                      L.Dense(8), L.LeakyReLU(negative_slope=0.2),
                                      L.Dense(1, activation="sigmoid")], name="discriminator")
        generator = K.Sequential([K.Input(shape=(latent_dim,)), L.Dense(16, activation="tanh"),
                                  L.Reshape((4, 4, 1))], name="generator")
        return _gan_class(K, None if K is glassnet else torch)(discriminator, generator,
                                                                latent_dim)
    return build


def test_gan_subclass_trained_with_fit_matches_keras(keras, torch):
    ours, theirs = build_pair(keras, gan_builder(torch))
    images = np.random.default_rng(2).random((12, 4, 4, 1)).astype(np.float32)
    for model, K in ((ours, glassnet), (theirs, keras)):
        model.compile(d_optimizer=K.optimizers.Adam(learning_rate=0.003),
                      g_optimizer=K.optimizers.Adam(learning_rate=0.003),
                      loss_fn=K.losses.BinaryCrossentropy())
    got = ours.fit(images, batch_size=4, epochs=3, shuffle=False, verbose=0)
    want = theirs.fit(images, batch_size=4, epochs=3, shuffle=False, verbose=0)
    assert list(got.history) == list(want.history) == ["d_loss", "g_loss"]
    for key in want.history:
        np.testing.assert_allclose(got.history[key], want.history[key], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
