"""examples/autoencoder.py on full MNIST: a code of 32 values is enough to reconstruct the
test set with a mean squared error below 0.02 (pixels in [0, 1]), and the encoder and
decoder models share the autoencoder's trained layers."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load_example(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def mnist_home(tmp_path, monkeypatch, shared_datasets):
    """A glassnet home whose dataset cache holds the shared copy of full MNIST."""
    target = tmp_path / "home" / "datasets" / "mnist"
    target.mkdir(parents=True)
    for path in (shared_datasets / "mnist").glob("*.gz"):
        shutil.copy(path, target / path.name)
    monkeypatch.setenv("GLASSNET_HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.mark.slow
def test_autoencoder_reconstructs_mnist_from_32_values(mnist_home, capsys):
    example = load_example("autoencoder")
    figure = mnist_home / "reconstructions.png"
    mse = example.main(["--epochs", "4", "--output", str(figure), "--verbose", "0"])
    printed = capsys.readouterr().out
    assert 'Model: "autoencoder"' in printed and "codes of 32 values" in printed
    assert mse < 0.02

    import matplotlib.pyplot as plt
    image = plt.imread(figure)
    assert image.shape[:2] == (400, 2000) and image.std() > 0.1  # digits, not a blank page


def test_encoder_and_decoder_share_the_autoencoders_layers():
    example = load_example("autoencoder")
    autoencoder, encoder, decoder = example.build_autoencoder()
    x = np.random.default_rng(0).random((5, 784)).astype(np.float32)
    codes = encoder.predict(x, verbose=0)
    assert codes.shape == (5, 32)
    np.testing.assert_allclose(decoder.predict(codes, verbose=0),
                               autoencoder.predict(x, verbose=0), rtol=1e-6)
    assert decoder.layers[1] is autoencoder.layers[3] and encoder.layers[2] is \
        autoencoder.layers[2]
    assert autoencoder.count_params() == encoder.count_params() + decoder.count_params()
