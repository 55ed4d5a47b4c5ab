"""examples/gan.py: the book's GAN.

- Freezing: after ``discriminator.trainable = False`` and compiling the combined model,
  ``gan.train_on_batch`` leaves the discriminator bit-for-bit unchanged and trains the
  generator, while ``discriminator.train_on_batch`` still trains the discriminator (the
  weights to train are fixed at compile, as the books rely on).
- The alternating loop matches Keras 3 step by step.  Keras 3 reads ``trainable`` at every
  step instead, so there the discriminator is unfrozen around its own updates to get the
  behaviour the books were written for.
- Training on MNIST: neither side collapses and the digits are recognisable to a glassnet
  MNIST classifier.  The book's convolutional generator and discriminator take about a
  second a step on two cores, and need thousands of steps, so this test trains a dense
  variant (the same layer kinds without the convolutions, about 0.03 s a step) for five
  epochs with the example's own loop.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest

import glassnet
from glassnet.layers import Activation, Dense, Dropout, Flatten, LeakyReLU, Reshape
from glassnet.layers.normalization import BatchNormalization
from glassnet.models import Sequential

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load_example(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gan_example():
    return load_example("gan")


def _changed(before, after) -> list:
    return [not np.array_equal(a, b) for a, b in zip(before, after)]


def test_frozen_discriminator_trains_only_through_its_own_compile(gan_example):
    generator = gan_example.build_generator(filters=(8, 4))
    discriminator = gan_example.build_discriminator(filters=(4, 8))
    gan = gan_example.build_gan(generator, discriminator)
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(8, 100))
    images = rng.uniform(-1, 1, size=(8, 28, 28, 1)).astype(np.float32)
    true, fake = np.ones((8, 1)), np.zeros((8, 1))
    assert discriminator.trainable_weights == []
    assert [id(v) for v in gan.trainable_weights] == [id(v) for v in generator.trainable_weights]

    for _ in range(2):
        d_before, g_before = discriminator.get_weights(), generator.get_weights()
        d_loss = discriminator.train_on_batch(images, true)
        assert all(_changed(d_before, discriminator.get_weights()))
        assert generator.get_weights()[0].tobytes() == g_before[0].tobytes()
        discriminator.train_on_batch(generator.predict(noise, verbose=0), fake)

        d_before, g_before = discriminator.get_weights(), generator.get_weights()
        g_loss = gan.train_on_batch(noise, true)
        for a, b in zip(d_before, discriminator.get_weights()):
            assert a.tobytes() == b.tobytes()  # bit for bit
        g_changed = _changed(g_before, generator.get_weights())
        # Every weight of the generator moves: kernels, biases, BatchNorm's gamma and beta
        # (trained) and its moving mean and variance (updated by the training-mode pass).
        assert all(g_changed), [v.path for v, c in zip(generator.weights, g_changed) if not c]
        assert np.isfinite(d_loss) and np.isfinite(g_loss)


def book_gan(K, L):
    """The book's GAN, smaller and without Dropout (whose masks cannot be shared with
    Keras), built by the same code in both libraries."""
    generator = K.Sequential([
        L.Dense(4 * 7 * 7, input_dim=10, activation=L.LeakyReLU(0.2)),
        L.BatchNormalization(),
        L.Reshape((7, 7, 4)),
        L.UpSampling2D(),
        L.Conv2D(3, kernel_size=5, padding="same"),
        L.BatchNormalization(),
        L.Activation(L.LeakyReLU(0.2)),
        L.UpSampling2D(),
        L.Conv2D(1, kernel_size=5, padding="same", activation="tanh")])
    discriminator = K.Sequential([
        L.Conv2D(4, kernel_size=5, strides=2, input_shape=(28, 28, 1), padding="same"),
        L.Activation(L.LeakyReLU(0.2)),
        L.Conv2D(8, kernel_size=5, strides=2, padding="same"),
        L.Activation(L.LeakyReLU(0.2)),
        L.Flatten(),
        L.Dense(1, activation="sigmoid")])
    discriminator.compile(loss="binary_crossentropy", optimizer="adam")
    discriminator.trainable = False
    ginput = K.Input(shape=(10,))
    gan = K.Model(ginput, discriminator(generator(ginput)))
    gan.compile(loss="binary_crossentropy", optimizer="adam")
    return gan, generator, discriminator


def test_book_loop_matches_keras_step_by_step(keras):
    from tests.models.twins import glassnet_layers

    glassnet.backend.clear_session()
    ours = book_gan(glassnet, glassnet_layers())
    keras.backend.clear_session()
    theirs = book_gan(keras, keras.layers)
    rng = np.random.default_rng(0)
    for mine, reference in zip(ours[1:], theirs[1:]):
        weights = [w if "moving" in v.path else rng.normal(0, 0.1, size=w.shape)
                   for w, v in zip(reference.get_weights(), reference.weights)]
        reference.set_weights([np.asarray(w, np.float32) for w in weights])
        mine.set_weights([np.asarray(w, np.float32) for w in weights])
    batch = 6
    true, fake = np.ones((batch, 1)), np.zeros((batch, 1))
    for step in range(4):
        imgs = rng.uniform(-1, 1, size=(batch, 28, 28, 1)).astype(np.float32)
        noise = rng.normal(0, 1, (batch, 10)).astype(np.float32)
        losses = []
        for gan, generator, discriminator in (ours, theirs):
            if gan is theirs[0]:
                discriminator.trainable = True
            d_loss_real = discriminator.train_on_batch(imgs, true)
            gen_imgs = generator.predict(noise, verbose=0)
            d_loss_fake = discriminator.train_on_batch(gen_imgs, fake)
            if gan is theirs[0]:
                discriminator.trainable = False
            g_loss = gan.train_on_batch(noise, true)
            losses.append([d_loss_real, d_loss_fake, g_loss])
        # Adam divides by the root of tiny squared gradients, so float32 rounding grows a
        # little from step to step: 1e-3 still tells any real difference apart.
        np.testing.assert_allclose(losses[0], losses[1], rtol=1e-3, err_msg=f"step {step}")
    # Weights near zero carry the same float32 drift in absolute terms (Adam's step is about
    # the learning rate, 2e-4, per update): 1e-4 is half a step.
    for mine, reference in zip(ours[0].get_weights(), theirs[0].get_weights()):
        np.testing.assert_allclose(mine, reference, rtol=1e-3, atol=1e-4)


def dense_generator(latent_dim: int) -> Sequential:
    """The book's generator with Dense layers in place of the upsampling convolutions."""
    return Sequential([
        Dense(256, input_dim=latent_dim, activation=LeakyReLU(0.2)),
        BatchNormalization(momentum=0.8),
        Dense(512, activation=LeakyReLU(0.2)),
        BatchNormalization(momentum=0.8),
        Dense(28 * 28, activation="tanh"),
        Reshape((28, 28, 1))])


def dense_discriminator() -> Sequential:
    """The book's discriminator with Dense layers in place of the strided convolutions."""
    return Sequential([
        Flatten(input_shape=(28, 28, 1)),
        Dense(512), Activation(LeakyReLU(0.2)), Dropout(0.3),
        Dense(256), Activation(LeakyReLU(0.2)), Dropout(0.3),
        Dense(1, activation="sigmoid")])


@pytest.fixture
def mnist_home(tmp_path, monkeypatch, shared_datasets):
    target = tmp_path / "home" / "datasets" / "mnist"
    target.mkdir(parents=True)
    for path in (shared_datasets / "mnist").glob("*.gz"):
        shutil.copy(path, target / path.name)
    monkeypatch.setenv("GLASSNET_HOME", str(tmp_path / "home"))
    return tmp_path


def mnist_classifier(images, labels):
    classifier = Sequential([glassnet.layers.Flatten(input_shape=(28, 28, 1)),
                             Dense(512, activation="relu"), glassnet.layers.Dropout(0.3),
                             Dense(10, activation="softmax")])
    classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                       metrics=["accuracy"])
    classifier.fit(images, labels, epochs=8, batch_size=128, verbose=0)
    return classifier


@pytest.mark.slow
def test_gan_learns_recognisable_digits(gan_example, mnist_home):
    glassnet.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    latent_dim = 64
    generator, discriminator = dense_generator(latent_dim), dense_discriminator()
    gan = gan_example.build_gan(generator, discriminator, latent_dim=latent_dim,
                                optimizer=lambda: glassnet.optimizers.Adam(0.0004, beta_1=0.5))
    images = gan_example.load_images()
    assert images.shape == (60000, 28, 28, 1)
    history = gan_example.train(generator, discriminator, gan, images, epochs=5,
                                batch_size=64, latent_dim=latent_dim, rng=rng, log=None)
    assert len(history) == 5 * 937 and np.all(np.isfinite(np.array(history)))

    accuracy = gan_example.discriminator_accuracy(generator, discriminator, images[-500:],
                                                  rng=rng, latent_dim=latent_dim)
    assert 0.2 <= accuracy <= 0.95  # neither side has won

    (x_train, y_train), (x_test, y_test) = glassnet.datasets.mnist.load_data()
    classifier = mnist_classifier(x_train.reshape(-1, 28, 28, 1) / 255.0, y_train)
    assert classifier.evaluate(x_test.reshape(-1, 28, 28, 1) / 255.0, y_test, verbose=0)[1] > 0.97
    samples = generator.predict(rng.normal(0, 1, (100, latent_dim)), verbose=0) * 0.5 + 0.5
    probabilities = classifier.predict(samples, verbose=0)
    confident = probabilities.max(axis=1) >= 0.9
    print(f"discriminator accuracy {accuracy:.3f}; confidently classified {confident.mean():.2f}"
          f"; digits {np.bincount(probabilities.argmax(axis=1)[confident], minlength=10)}")
    assert confident.mean() >= 0.5
    assert len(np.unique(probabilities.argmax(axis=1)[confident])) >= 5  # not one digit only

    figure = mnist_home / "generated.png"
    gan_example.save_figure(generator, str(figure), rng=rng, latent_dim=latent_dim)
    assert figure.stat().st_size > 10_000
