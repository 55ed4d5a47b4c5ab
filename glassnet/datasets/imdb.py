"""IMDB movie reviews, as ``keras.datasets.imdb``: 25,000 training and 25,000 test reviews
labelled positive (1) or negative (0), each a list of word indices ranked by frequency.

Read from Keras's ``imdb.npz`` (its ragged sequences are object arrays, read with the safe
unpickler of ``safe_pickle``) and prepared exactly as Keras prepares it: both splits shuffled
with ``seed``, indices shifted by ``index_from`` behind ``start_char``, sequences of
``maxlen`` or more dropped, and words outside ``[skip_top, num_words)`` turned into
``oov_char``.

Example:
    >>> from glassnet.datasets import imdb
    >>> (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=10000)  # doctest: +SKIP
    >>> x_train.dtype, max(max(x) for x in x_train) < 10000  # doctest: +SKIP
    (dtype('O'), True)
"""

from __future__ import annotations

import json

import numpy as np

from glassnet.datasets import download
from glassnet.datasets.safe_pickle import load_npz
from glassnet.datasets.sequences import (as_object_array, drop_long, legacy_num_words,
                                         limit_vocabulary, mark, shuffled)


def load_data(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, seed: int = 113, start_char: int | None = 1,
              oov_char: int | None = 2, index_from: int = 3,
              **kwargs) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load IMDB: ``(x_train, y_train), (x_test, y_test)``.

    Args:
        path: file name inside the cache folder (or an absolute path) for ``imdb.npz``.
        num_words: keep the ``num_words`` most frequent words; the others become
            ``oov_char``.  None keeps all.
        skip_top: the most frequent ``skip_top`` words also become ``oov_char``.
        maxlen: drop sequences of ``maxlen`` or more indices (start mark included).
        seed: seed of the shuffle of each split.
        start_char: index put at the start of every sequence (None: none).
        oov_char: index for removed words (None: they are dropped).
        index_from: amount added to every stored word index.

    Returns:
        ``x_train``, ``x_test``: object arrays of lists of int; ``y_train``, ``y_test``:
        integer arrays of labels 0 / 1.

    Example:
        >>> (x_train, y_train), _ = load_data(num_words=5000, maxlen=200)  # doctest: +SKIP
    """
    num_words = legacy_num_words("imdb.load_data", num_words, kwargs)
    arrays = load_npz(download.fetch("imdb.npz", path))
    rng = np.random.RandomState(seed)
    x_train, labels_train = shuffled(rng, arrays["x_train"], arrays["y_train"])
    x_test, labels_test = shuffled(rng, arrays["x_test"], arrays["y_test"])
    x_train = mark(x_train, start_char, index_from)
    x_test = mark(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(f"imdb.load_data: with maxlen={maxlen} no sequence of the "
                             f"{'training' if not x_train else 'test'} split is left (only "
                             "sequences shorter than maxlen are kept). Increase maxlen.")
    # The vocabulary limit sees both splits at once, as in Keras (it matters for the default
    # num_words, the largest index of either split).
    sequences = limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    split = len(x_train)
    return ((as_object_array(sequences[:split]), labels[:split]),
            (as_object_array(sequences[split:]), labels[split:]))


def get_word_index(path: str = "imdb_word_index.json") -> dict[str, int]:
    """The word -> index dictionary of IMDB (indices from 1, before ``index_from``).

    Example:
        >>> index = get_word_index()  # doctest: +SKIP
        >>> words = {i + 3: w for w, i in index.items()}  # doctest: +SKIP
    """
    with open(download.fetch("imdb_word_index.json", path), encoding="utf-8") as stream:
        return json.load(stream)
