"""A GAN that learns to draw handwritten digits, written the way the books write it.

A generator turns 100 random numbers into a 28x28 image; a discriminator tells MNIST
digits from generated ones.  They train in turns: the discriminator on a batch of real
images (label 1) and one of generated images (label 0), then the generator through the
combined model ``gan``, in which the discriminator is frozen, to make the discriminator
answer 1.  ``discriminator.trainable = False`` is set after compiling the discriminator
and before compiling ``gan``: the discriminator's own ``train_on_batch`` still trains it,
``gan.train_on_batch`` trains only the generator.

Run it (one epoch of 60,000 images is 1,875 steps of 32, about an hour on two cores):

    python examples/gan.py --epochs 1 --output gan_digits.png
    python examples/gan.py --samples 6000 --epochs 2      # a quicker look

The figure shows 25 generated digits.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from glassnet.datasets import mnist
from glassnet.layers import Activation, Dense, Dropout, Flatten, Input, LeakyReLU, Reshape
from glassnet.layers.convolutional import Conv2D
from glassnet.layers.normalization import BatchNormalization
from glassnet.layers.reshaping.upsampling import UpSampling2D
from glassnet.models import Model, Sequential
from glassnet.utils import set_random_seed

LATENT_DIM = 100


def build_generator(latent_dim: int = LATENT_DIM, filters: tuple = (128, 64)) -> Sequential:
    """100 numbers -> 7x7 feature maps -> 14x14 -> 28x28x1 image in [-1, 1] (tanh)."""
    wide, narrow = filters
    generator = Sequential(name="generator")
    generator.add(Dense(wide * 7 * 7, input_dim=latent_dim, activation=LeakyReLU(0.2)))
    generator.add(BatchNormalization())
    generator.add(Reshape((7, 7, wide)))
    generator.add(UpSampling2D())
    generator.add(Conv2D(narrow, kernel_size=5, padding="same"))
    generator.add(BatchNormalization())
    generator.add(Activation(LeakyReLU(0.2)))
    generator.add(UpSampling2D())
    generator.add(Conv2D(1, kernel_size=5, padding="same", activation="tanh"))
    return generator


def build_discriminator(filters: tuple = (64, 128)) -> Sequential:
    """28x28x1 image -> probability that it is a real digit."""
    first, second = filters
    discriminator = Sequential(name="discriminator")
    discriminator.add(Conv2D(first, kernel_size=5, strides=2, input_shape=(28, 28, 1),
                             padding="same"))
    discriminator.add(Activation(LeakyReLU(0.2)))
    discriminator.add(Dropout(0.3))
    discriminator.add(Conv2D(second, kernel_size=5, strides=2, padding="same"))
    discriminator.add(Activation(LeakyReLU(0.2)))
    discriminator.add(Dropout(0.3))
    discriminator.add(Flatten())
    discriminator.add(Dense(1, activation="sigmoid"))
    return discriminator


def build_gan(generator: Sequential, discriminator: Sequential,
              latent_dim: int = LATENT_DIM, optimizer="adam") -> Model:
    """Compile the discriminator, freeze it, and compile the combined model.

    ``optimizer`` is a name, or a function making a new optimizer (each model needs its
    own)."""
    make = optimizer if callable(optimizer) else (lambda: optimizer)
    discriminator.compile(loss="binary_crossentropy", optimizer=make())
    discriminator.trainable = False
    ginput = Input(shape=(latent_dim,))
    dis_output = discriminator(generator(ginput))
    gan = Model(ginput, dis_output)
    gan.compile(loss="binary_crossentropy", optimizer=make())
    return gan


def load_images(samples: int | None = None) -> np.ndarray:
    """MNIST training images as (N, 28, 28, 1) float32 scaled to [-1, 1] (tanh's range)."""
    (x_train, _), _ = mnist.load_data()
    if samples is not None:
        x_train = x_train[:samples]
    x_train = x_train.reshape(x_train.shape[0], 28, 28, 1).astype("float32")
    return (x_train - 127.5) / 127.5


def train(generator, discriminator, gan, images: np.ndarray, epochs: int = 1,
          batch_size: int = 32, latent_dim: int = LATENT_DIM, rng=None,
          log_every: int = 100, log=print) -> list:
    """Alternate the discriminator's and the generator's updates for ``epochs`` passes over
    ``images``.  Returns one ``(step, d_loss, g_loss)`` per step."""
    rng = rng or np.random.default_rng()
    true = np.ones((batch_size, 1))
    fake = np.zeros((batch_size, 1))
    steps_per_epoch = len(images) // batch_size
    history = []
    started = time.time()
    for epoch in range(epochs):
        order = rng.permutation(len(images))
        for i in range(steps_per_epoch):
            imgs = images[order[i * batch_size:(i + 1) * batch_size]]
            d_loss_real = discriminator.train_on_batch(imgs, true)
            noise = rng.normal(0, 1, (batch_size, latent_dim))
            gen_imgs = generator.predict(noise, verbose=0)
            d_loss_fake = discriminator.train_on_batch(gen_imgs, fake)
            d_loss = 0.5 * np.add(d_loss_real, d_loss_fake)
            g_loss = gan.train_on_batch(noise, true)
            step = epoch * steps_per_epoch + i
            history.append((step, float(d_loss), float(g_loss)))
            if log is not None and log_every and step % log_every == 0:
                log(f"epoch {epoch + 1} step {step}  d_loss:{d_loss:.4f}  g_loss:{g_loss:.4f}"
                    f"  ({time.time() - started:.0f}s)")
    return history


def discriminator_accuracy(generator, discriminator, images: np.ndarray, rng=None,
                           latent_dim: int = LATENT_DIM) -> float:
    """How often the discriminator tells ``images`` (real) from as many generated ones."""
    rng = rng or np.random.default_rng()
    noise = rng.normal(0, 1, (len(images), latent_dim))
    generated = generator.predict(noise, verbose=0)
    real_right = discriminator.predict(images, verbose=0) > 0.5
    fake_right = discriminator.predict(generated, verbose=0) <= 0.5
    return float(np.mean(np.concatenate([real_right, fake_right])))


def save_figure(generator, path: str, rng=None, latent_dim: int = LATENT_DIM) -> None:
    """A 5x5 grid of generated digits, saved as a PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rng = rng or np.random.default_rng()
    noise = rng.normal(0, 1, (25, latent_dim))
    gen_imgs = generator.predict(noise, verbose=0)
    gen_imgs = 0.5 * gen_imgs + 0.5
    fig, axs = plt.subplots(5, 5, figsize=(5, 5))
    count = 0
    for j in range(5):
        for k in range(5):
            axs[j, k].imshow(gen_imgs[count, :, :, 0], cmap="gray")
            axs[j, k].axis("off")
            count += 1
    fig.savefig(path)
    plt.close(fig)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1, help="passes over the images")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--samples", type=int, default=None,
                        help="train on the first N MNIST images (default: all)")
    parser.add_argument("--output", default="gan_digits.png", help="PNG of generated digits")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    set_random_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    generator = build_generator()
    discriminator = build_discriminator()
    gan = build_gan(generator, discriminator)
    gan.summary()
    images = load_images(args.samples)
    train(generator, discriminator, gan, images, epochs=args.epochs,
          batch_size=args.batch_size, rng=rng)
    accuracy = discriminator_accuracy(generator, discriminator, images[:500], rng=rng)
    print(f"discriminator accuracy on 500 real and 500 generated images: {accuracy:.3f}")
    save_figure(generator, args.output, rng=rng)
    print(f"saved {args.output}")


if __name__ == "__main__":
    main()
