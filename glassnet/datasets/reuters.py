"""Reuters newswires, as ``keras.datasets.reuters``: 11,228 newswires in 46 topics, each a
list of word indices ranked by frequency; Keras splits them into training and test parts.

Read from Keras's ``reuters.npz`` (object arrays, read with the safe unpickler) and prepared
as Keras prepares it: shuffled with ``seed``, indices shifted by ``index_from`` behind
``start_char``, sequences of ``maxlen`` or more dropped, words outside
``[skip_top, num_words)`` turned into ``oov_char``, then the last ``test_split`` of them
kept for testing.

Example:
    >>> from glassnet.datasets import reuters
    >>> (x_train, y_train), (x_test, y_test) = reuters.load_data(num_words=10000)  # doctest: +SKIP
    >>> len(x_train), len(x_test)  # doctest: +SKIP
    (8982, 2246)
"""

from __future__ import annotations

import json

import numpy as np

from glassnet.datasets import download
from glassnet.datasets.safe_pickle import load_npz
from glassnet.datasets.sequences import (as_object_array, drop_long, legacy_num_words,
                                         limit_vocabulary, mark, shuffled)

LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
)


def load_data(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, test_split: float = 0.2, seed: int = 113,
              start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
              **kwargs) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load Reuters: ``(x_train, y_train), (x_test, y_test)``.

    Args:
        path: file name inside the cache folder (or an absolute path) for ``reuters.npz``.
        num_words, skip_top, maxlen, seed, start_char, oov_char, index_from: as in
            ``imdb.load_data``.
        test_split: fraction of the (shuffled, filtered) newswires kept for testing.

    Returns:
        ``x_train``, ``x_test``: object arrays of lists of int; ``y_train``, ``y_test``:
        integer arrays of topic labels 0-45.

    Example:
        >>> (x_train, y_train), _ = load_data(num_words=1000, test_split=0.2)  # doctest: +SKIP
    """
    num_words = legacy_num_words("reuters.load_data", num_words, kwargs)
    arrays = load_npz(download.fetch("reuters.npz", path))
    sequences, labels = shuffled(np.random.RandomState(seed), arrays["x"], arrays["y"])
    sequences = mark(sequences, start_char, index_from)
    if maxlen:
        sequences, labels = drop_long(maxlen, sequences, labels)
        if not sequences:
            raise ValueError(f"reuters.load_data: with maxlen={maxlen} no newswire is left "
                             "(only sequences shorter than maxlen are kept). Increase maxlen.")
    sequences = limit_vocabulary(sequences, num_words, skip_top, oov_char)
    split = int(len(sequences) * (1 - test_split))
    return ((as_object_array(sequences[:split]), np.array(labels[:split])),
            (as_object_array(sequences[split:]), np.array(labels[split:])))


def get_word_index(path: str = "reuters_word_index.json") -> dict[str, int]:
    """The word -> index dictionary of Reuters (indices from 1, before ``index_from``).

    Example:
        >>> index = get_word_index()  # doctest: +SKIP
    """
    with open(download.fetch("reuters_word_index.json", path), encoding="utf-8") as stream:
        return json.load(stream)


def get_label_names() -> tuple[str, ...]:
    """The 46 topic names, by label.

    Example:
        >>> get_label_names()[3]
        'earn'
    """
    return LABEL_NAMES
