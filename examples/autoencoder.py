"""An autoencoder that squeezes MNIST digits into 32 numbers and draws them back, written
with the functional API the way the books write it.

The encoder maps a 784-pixel image to a code of 32 values; the decoder maps the code back
to 784 pixels.  ``autoencoder`` is trained to reproduce its input (``fit(x, x)``); the
``encoder`` and ``decoder`` models share its layers, so after training they compress and
restore digits on their own.

Run it:

    python examples/autoencoder.py --epochs 20 --output autoencoder_digits.png

The figure shows ten test digits (top row) and their reconstructions (bottom row).
"""

from __future__ import annotations

import argparse

import numpy as np

from glassnet.datasets import mnist
from glassnet.layers import Dense, Input
from glassnet.models import Model
from glassnet.utils import set_random_seed

ENCODING_DIM = 32


def build_autoencoder(encoding_dim: int = ENCODING_DIM):
    """Returns (autoencoder, encoder, decoder), the last two sharing the first's layers."""
    input_img = Input(shape=(784,))
    encoded = Dense(128, activation="relu")(input_img)
    encoded = Dense(encoding_dim, activation="relu")(encoded)
    decoded = Dense(128, activation="relu")(encoded)
    decoded = Dense(784, activation="sigmoid")(decoded)
    autoencoder = Model(input_img, decoded, name="autoencoder")

    encoder = Model(input_img, encoded, name="encoder")
    encoded_input = Input(shape=(encoding_dim,))
    decoder_layers = autoencoder.layers[-2:]
    decoder = Model(encoded_input, decoder_layers[1](decoder_layers[0](encoded_input)),
                    name="decoder")
    return autoencoder, encoder, decoder


def load_digits():
    """MNIST as (N, 784) float32 pixels in [0, 1]: (x_train, x_test)."""
    (x_train, _), (x_test, _) = mnist.load_data()
    x_train = x_train.astype("float32") / 255.0
    x_test = x_test.astype("float32") / 255.0
    return x_train.reshape(len(x_train), 784), x_test.reshape(len(x_test), 784)


def save_figure(originals: np.ndarray, reconstructed: np.ndarray, path: str, n: int = 10):
    """Test digits above their reconstructions, saved as a PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(20, 4))
    for i in range(n):
        ax = plt.subplot(2, n, i + 1)
        plt.imshow(originals[i].reshape(28, 28), cmap="gray")
        ax.axis("off")
        ax = plt.subplot(2, n, i + 1 + n)
        plt.imshow(reconstructed[i].reshape(28, 28), cmap="gray")
        ax.axis("off")
    fig.savefig(path)
    plt.close(fig)


def main(argv=None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--output", default="autoencoder_digits.png",
                        help="PNG of test digits and their reconstructions")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", type=int, default=2)
    args = parser.parse_args(argv)

    set_random_seed(args.seed)
    autoencoder, encoder, decoder = build_autoencoder()
    autoencoder.summary()
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
    x_train, x_test = load_digits()
    autoencoder.fit(x_train, x_train, epochs=args.epochs, batch_size=args.batch_size,
                    shuffle=True, validation_data=(x_test, x_test), verbose=args.verbose)

    encoded_imgs = encoder.predict(x_test, verbose=0)
    decoded_imgs = decoder.predict(encoded_imgs, verbose=0)
    mse = float(np.mean((decoded_imgs - x_test) ** 2))
    print(f"codes of {encoded_imgs.shape[1]} values; test reconstruction MSE: {mse:.4f}")
    save_figure(x_test, decoded_imgs, args.output)
    print(f"saved {args.output}")
    return mse


if __name__ == "__main__":
    main()
