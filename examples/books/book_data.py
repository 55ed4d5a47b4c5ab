"""Where the book examples find their data, and stand-ins for data that cannot ship.

* ``DATA``: the folder of the books' CSV files, ``$BOOKS_DATA`` or ``../shared/datasets``
  beside the project checkout.
* ``epochs(n)`` / ``train_samples(x, y)`` / ``test_samples(x, y)``: the book's numbers
  unless ``$BOOKS_EPOCHS`` / ``$BOOKS_TRAIN_SAMPLES`` / ``$BOOKS_TEST_SAMPLES`` ask for a
  quicker run (the tests do).
* ``load(imdb, num_words=...)``: ``imdb.load_data(...)``; IMDB and Reuters cannot be
  redistributed, so when they cannot be downloaded (or ``$BOOKS_OFFLINE=1``) the examples
  use data generated in the same format: object arrays of word-index lists that start with
  1, use 2 for words beyond ``num_words`` and count words from 4, with integer labels
  (``reuters_like()``, ``imdb_like()``).  The numbers printed on it are not the book's.
* ``draw_shape_images()``: a small folder of PNG images in two classes (horizontal and
  vertical bars) for the ``flow_from_directory`` lessons, whose photos are not
  redistributable.
"""

from __future__ import annotations

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("BOOKS_DATA",
                      os.path.join(HERE, "..", "..", "..", "shared", "datasets"))


def path(*parts: str) -> str:
    """A file of the shared datasets folder: ``path('iris', 'iris3.csv')``."""
    return os.path.join(DATA, *parts)


def epochs(book_value: int) -> int:
    """The book's number of epochs, or ``$BOOKS_EPOCHS`` for a quick run."""
    return int(os.environ.get("BOOKS_EPOCHS", book_value))


def _first(variable: str, arrays):
    limit = os.environ.get(variable)
    cut = arrays if limit is None else tuple(a[:int(limit)] for a in arrays)
    return cut if len(cut) > 1 else cut[0]


def train_samples(*arrays):
    """The first ``$BOOKS_TRAIN_SAMPLES`` rows of each array (all of them by default)."""
    return _first("BOOKS_TRAIN_SAMPLES", arrays)


def test_samples(*arrays):
    """The first ``$BOOKS_TEST_SAMPLES`` rows of each array (all of them by default)."""
    return _first("BOOKS_TEST_SAMPLES", arrays)


def offline() -> bool:
    return os.environ.get("BOOKS_OFFLINE") == "1"


def load(dataset, **kwargs):
    """``dataset.load_data(**kwargs)`` (IMDB or Reuters), or data generated in the same format
    when it cannot be downloaded or ``$BOOKS_OFFLINE=1``."""
    name = dataset.__name__.rsplit(".", 1)[-1]
    if not offline():
        try:
            return dataset.load_data(**kwargs)
        except Exception as error:  # no network, no cached copy
            print(f"({name}.load_data failed: {error})", file=sys.stderr)
    kwargs.pop("skip_top", None)
    kwargs.pop("maxlen", None)
    return {"reuters": reuters_like, "imdb": imdb_like}[name](**kwargs)


def _notice(name: str) -> None:
    print(f"({name} is not available offline: using generated data in the same format; "
          "the accuracy printed is not the book's.)", file=sys.stderr)


def _documents(rng, labels, num_words, topic_words, length_range, topic_share):
    """Word-index lists: topic words of the label mixed with common words (Keras's format:
    1 starts a sequence, 2 replaces words at or beyond num_words, real words from 4)."""
    docs = []
    for label in labels:
        length = int(rng.integers(*length_range))
        from_topic = rng.random(length) < topic_share
        common = rng.zipf(1.3, length) + 3          # frequent words get small indices
        topical = rng.choice(topic_words[label], length)
        words = np.where(from_topic, topical, common)
        words = np.where(words >= num_words, 2, words)
        docs.append([1] + words.tolist())
    out = np.empty(len(docs), dtype=object)
    out[:] = docs
    return out


def reuters_like(num_words: int = 10000, test_split: float = 0.2, samples: int = 3000,
                 seed: int = 113):
    """``reuters.load_data`` in format: 46 topics (unevenly common, as in Reuters)."""
    _notice("Reuters")
    rng = np.random.default_rng(seed)
    weights = rng.pareto(1.2, 46) + 0.05
    weights /= weights.sum()
    labels = rng.choice(46, samples, p=weights).astype(np.int64)
    cut = int(samples * (1 - test_split))
    labels[:46] = labels[cut:cut + 46] = np.arange(46)  # every topic in both splits, as Reuters
    vocabulary = np.arange(100, max(num_words, 200))
    topic_words = [rng.choice(vocabulary, 25, replace=False) for _ in range(46)]
    x = _documents(rng, labels, num_words, topic_words, (20, 200), 0.12)
    return (x[:cut], labels[:cut]), (x[cut:], labels[cut:])


def imdb_like(num_words: int = 10000, samples: int = 2000, seed: int = 113):
    """``imdb.load_data`` in format: positive (1) and negative (0) reviews, half each."""
    _notice("IMDB")
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(2 * samples) % 2).astype(np.int64)
    vocabulary = np.arange(50, max(num_words, 200))
    topic_words = [rng.choice(vocabulary, 60, replace=False) for _ in range(2)]
    x = _documents(rng, labels, num_words, topic_words, (30, 250), 0.06)
    return (x[:samples], labels[:samples]), (x[samples:], labels[samples:])


def draw_shape_images(folder: str, per_class: int = 40, size: int = 64, seed: int = 0,
                      classes=("horizontal", "vertical")) -> None:
    """PNG images of light bars lying flat ('horizontal') or standing up ('vertical') on
    noisy dark backgrounds, one subfolder per class."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    for name in classes:
        os.makedirs(os.path.join(folder, name), exist_ok=True)
        for i in range(per_class):
            background = (rng.random((size, size, 3)) * 90).astype(np.uint8)
            img = Image.fromarray(background, "RGB")
            long_side = int(rng.integers(size // 2, size * 3 // 4))
            short_side = int(rng.integers(size // 10, size // 6))
            width, height = (long_side, short_side) if name == "horizontal" else \
                (short_side, long_side)
            left = int(rng.integers(0, size - width))
            top = int(rng.integers(0, size - height))
            colour = tuple(int(c) for c in rng.integers(170, 256, 3))
            ImageDraw.Draw(img).rectangle([left, top, left + width, top + height], fill=colour)
            img.save(os.path.join(folder, name, f"{name}_{i:03d}.png"))
