"""``glassnet demo``: train the classic MNIST network and write a report about it.

    glassnet demo [--epochs 10] [--dataset auto|bundled|full] [--output glassnet_report]
                  [--batch-size 32] [--seed 0]

The network is the first one most books train: 784 pixels -> Dense(50, sigmoid) ->
Dense(10, softmax), Adam, sparse categorical cross-entropy, 10% of the training images held
out for validation.  The report folder gets the saved model, one PNG per figure and
``report.html``, a single page with every figure inside it.

``--dataset auto`` (the default) uses full MNIST when it is already in the dataset cache
and otherwise the 6,000 + 1,000 images bundled with glassnet, without touching the network,
so the demo runs the same offline; ``--dataset full`` downloads full MNIST when needed.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from glassnet.demo.report import Figure, write_html

DEFAULT_EPOCHS = 10  # about 0.92 test accuracy on the bundled subset, in a few seconds
MODEL_FILE = "mnist_mlp.keras"
REPORT_FILE = "report.html"
DIGITS_SHOWN = 40
MISTAKES_SHOWN = 20
VALIDATION_SPLIT = 0.1


def main(argv=None) -> int:
    """Run the demo; the exit status (0 when the report was written).

    Example:
        >>> main(["--epochs", "1", "--dataset", "bundled", "--output", "report"])  # doctest: +SKIP
        0
    """
    args = _parser().parse_args(argv)
    try:
        from glassnet.plot._matplotlib import pyplot
        plt = pyplot()
    except ImportError as error:
        print(f"glassnet demo: {error}", file=sys.stderr)
        return 1

    import glassnet
    from glassnet.datasets import download

    started = time.perf_counter()
    glassnet.utils.set_random_seed(args.seed)
    try:
        (x_train, y_train), (x_test, y_test), dataset = _load(args.dataset)
    except download.DownloadError as error:
        print(f"glassnet demo: {error}\nRun `glassnet demo --dataset bundled` to use the "
              "images bundled with glassnet instead.", file=sys.stderr)
        return 1
    output = Path(args.output)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"glassnet demo: cannot create the report folder {output}: {error}. Choose "
              "another with --output.", file=sys.stderr)
        return 1
    # The books' preprocessing: flatten each image and scale its pixels to [0, 1].
    x_train = x_train.reshape(len(x_train), 784).astype("float32") / 255.0
    x_test_flat = x_test.reshape(len(x_test), 784).astype("float32") / 255.0

    print(f"glassnet {glassnet.__version__} demo: the classic MNIST network, "
          "784 -> Dense(50, sigmoid) -> Dense(10, softmax)")
    print(f"Data: {dataset}: {len(x_train):,} training images (10% held out for "
          f"validation), {len(x_test):,} test images.")
    model = _model(glassnet)
    summary_lines: list[str] = []
    model.summary(print_fn=summary_lines.append)
    model_text = "\n".join(summary_lines)
    print(model_text)

    with _one_blas_thread():
        fit_started = time.perf_counter()
        history = model.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size,
                            validation_split=VALIDATION_SPLIT)
        fit_seconds = time.perf_counter() - fit_started
        test_loss, test_accuracy = model.evaluate(x_test_flat, y_test, verbose=0)
        predicted = model.predict(x_test_flat, verbose=0).argmax(axis=1)
    print(f"Test accuracy: {test_accuracy:.4f} (test loss: {test_loss:.4f})")

    model_path = _save(model, output / MODEL_FILE)

    figures = _figures(glassnet.plot, plt, output, history, model, x_test, y_test, predicted)
    total_seconds = time.perf_counter() - started
    # fit keeps the first part for training and validates on the last, as Keras splits.
    trained_on = math.ceil(len(x_train) * (1.0 - VALIDATION_SPLIT))
    summary = [
        ("Dataset", dataset),
        ("Training images", f"{len(x_train):,} ({trained_on:,} for training, "
                            f"{len(x_train) - trained_on:,} for validation)"),
        ("Test images", f"{len(x_test):,}"),
        ("Epochs", str(args.epochs)),
        ("Batch size", str(args.batch_size)),
        ("Seed", str(args.seed)),
        ("Test accuracy", f"{test_accuracy:.4f}"),
        ("Test loss", f"{test_loss:.4f}"),
        ("Final validation accuracy", f"{history.history['val_accuracy'][-1]:.4f}"),
        ("Training time", f"{fit_seconds:.1f} s"),
        ("Total time", f"{total_seconds:.1f} s"),
        ("Model file", model_path.name if model_path else "not saved"),
        ("glassnet", glassnet.__version__),
    ]
    intro = (f"A 784-50-10 network trained on {dataset} with glassnet "
             f"{glassnet.__version__}: {test_accuracy:.1%} of the {len(x_test):,} test "
             "digits classified correctly.")
    page = write_html(output / REPORT_FILE, "glassnet demo: MNIST digits", intro, summary,
                      figures, model_text)
    print(f"Report: {page} ({len(figures)} figures) in {total_seconds:.1f} s")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glassnet demo",
        description="Train the classic MNIST network (784 -> 50 sigmoid -> 10 softmax) "
                    "and write a report folder with figures and one HTML page.")
    parser.add_argument("--epochs", type=_positive, default=DEFAULT_EPOCHS,
                        help=f"training epochs (default {DEFAULT_EPOCHS})")
    parser.add_argument("--dataset", choices=("auto", "bundled", "full"), default="auto",
                        help="auto: full MNIST if cached, else the bundled subset, offline; "
                             "bundled: the 6,000 + 1,000 images shipped with glassnet; "
                             "full: all 70,000 images, downloaded when not cached")
    parser.add_argument("--output", default="glassnet_report",
                        help="the report folder (default glassnet_report)")
    parser.add_argument("--batch-size", type=_positive, default=32,
                        help="samples per gradient step (default 32)")
    parser.add_argument("--seed", type=int, default=0,
                        help="random seed for the weights and shuffling (default 0)")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, received {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, received {value}")
    return value


def _one_blas_thread():
    """Keep NumPy's BLAS on one thread while the demo trains, unless the user set a count.

    A 784 x 50 layer gains nothing from BLAS threads, and on a busy two-core machine their
    hand-offs made each training step about 20 times slower (1 s against 20 s for two
    epochs on the bundled subset).
    """
    if any(name in os.environ for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")):
        return contextlib.nullcontext()
    from glassnet.utils import blas
    return blas.threads(1)


def _load(choice: str):
    """The MNIST arrays and a description of which MNIST they are."""
    from glassnet.datasets import download, mnist

    if choice == "auto":
        if _full_mnist_cached():
            choice = "full"
        else:
            print(f"Full MNIST is not in the dataset cache ({download.cache_dir() / 'mnist'}); "
                  "using the subset bundled with glassnet. `glassnet demo --dataset full` "
                  "downloads full MNIST (11 MB).")
            choice = "bundled"
    (x_train, y_train), (x_test, y_test) = mnist.load_data(source=choice)
    name = "full MNIST" if choice == "full" else "the bundled MNIST subset"
    return (x_train, y_train), (x_test, y_test), name


def _full_mnist_cached() -> bool:
    from glassnet.datasets import download, mnist

    if download.cached("mnist.npz") is not None:
        return True
    return all(download.cached(f"mnist/{name}") is not None for name in mnist.IDX_FILES)


def _model(glassnet):
    layers = glassnet.layers
    model = glassnet.Sequential([
        layers.Input(shape=(784,)),
        layers.Dense(50, activation="sigmoid"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def _save(model, path: Path) -> Path | None:
    save = getattr(model, "save", None)
    if save is None:
        print("Model not saved: this glassnet version has no Model.save yet.")
        return None
    try:
        save(str(path))
    except (OSError, ValueError, TypeError) as error:
        # The report is still worth writing when the model file is not.
        print(f"glassnet demo: could not save the model to {path}: {error}", file=sys.stderr)
        return None
    print(f"Saved the model to {path} (glassnet.models.load_model reads it back)")
    return path


def _figures(plot, plt, output: Path, history, model, x_test, y_test, predicted) -> list:
    figures = []

    def add(figure, name: str, heading: str, caption: str) -> None:
        path = output / name
        figure.savefig(path, dpi=100)
        plt.close(figure)  # the demo draws many figures; pyplot would keep them all
        figures.append(Figure(path, heading, caption))

    add(plot.history(history), "training_curves.png", "Accuracy and loss",
        "Per epoch: training (solid line) against validation (dashed) on the held-out 10%. "
        "Curves that part show overfitting.")
    wrong = int((predicted != y_test).sum())
    add(plot.confusion_matrix(y_test, predicted), "confusion_matrix.png", "Confusion matrix",
        f"Rows: the true digit; columns: the model's answer. The diagonal holds the "
        f"{len(y_test) - wrong:,} right answers, every other cell one kind of mistake "
        f"({wrong:,} in all).")
    shown = min(DIGITS_SHOWN, len(x_test))
    add(plot.images(x_test[:shown], y_test[:shown], predicted[:shown]), "test_digits.png",
        "Test digits", f"The first {shown} test images with the predicted and the true "
        "digit; wrong answers are framed in red.")
    mistakes = np.flatnonzero(predicted != y_test)[:MISTAKES_SHOWN]
    if len(mistakes):
        add(plot.images(x_test[mistakes], y_test[mistakes], predicted[mistakes]),
            "mistakes.png", "Mistakes", f"The first {len(mistakes)} test images the model "
            "got wrong.")
    add(plot.weights(model.layers[0]), "first_layer_weights.png", "First-layer weights",
        "Each of the 50 hidden units has one weight per pixel, drawn as a 28x28 image: "
        "red pixels push the unit on, blue ones push it off.")
    return figures
