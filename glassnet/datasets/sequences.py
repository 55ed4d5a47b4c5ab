"""The steps IMDB and Reuters share to turn stored word-index lists into model input, in
Keras's order and with Keras's rules, so the same arguments give the same arrays.

Stored sequences index words by frequency rank from 0.  ``mark`` shifts them by
``index_from`` and puts ``start_char`` in front; ``drop_long`` keeps the sequences strictly
shorter than ``maxlen`` (counting the start mark); ``limit_vocabulary`` maps every index
outside ``[skip_top, num_words)`` to ``oov_char`` (or drops it when ``oov_char`` is None).
Without ``num_words`` the bound is the largest index present, which is itself outside the
half-open range: Keras does the same.

Example:
    >>> limit_vocabulary(mark([[0, 5]], start_char=1, index_from=3), None, 0, 2)
    [[1, 3, 2]]
"""

from __future__ import annotations

import warnings

import numpy as np


def shuffled(rng: np.random.RandomState, x: np.ndarray, y: np.ndarray):
    """``x`` and ``y`` in one random order drawn from ``rng`` (Keras's shuffle before use).

    Example:
        >>> shuffled(np.random.RandomState(0), np.arange(3), np.arange(3))[0].tolist()
        [2, 1, 0]
    """
    indices = np.arange(len(x))
    rng.shuffle(indices)
    return x[indices], y[indices]


def mark(sequences, start_char: int | None, index_from: int) -> list[list[int]]:
    """Shift every index by ``index_from`` and put ``start_char`` (unless None) in front.

    Example:
        >>> mark([[0, 1]], start_char=1, index_from=3)
        [[1, 3, 4]]
    """
    head = [] if start_char is None else [start_char]
    return [head + [word + index_from for word in sequence] for sequence in sequences]


def drop_long(maxlen: int, sequences, labels) -> tuple[list, list]:
    """The sequences shorter than ``maxlen``, with their labels.

    Example:
        >>> drop_long(3, [[1, 2], [1, 2, 3]], [0, 1])
        ([[1, 2]], [0])
    """
    kept = [(sequence, label) for sequence, label in zip(sequences, labels)
            if len(sequence) < maxlen]
    return [sequence for sequence, _ in kept], [label for _, label in kept]


def limit_vocabulary(sequences, num_words: int | None, skip_top: int,
                     oov_char: int | None) -> list[list[int]]:
    """Replace (or drop) the indices outside ``[skip_top, num_words)``.

    Example:
        >>> limit_vocabulary([[1, 4, 9]], num_words=5, skip_top=2, oov_char=2)
        [[2, 4, 2]]
    """
    if not num_words:
        num_words = max((max(sequence) for sequence in sequences if sequence), default=0)
    if oov_char is None:
        return [[word for word in sequence if skip_top <= word < num_words]
                for sequence in sequences]
    return [[word if skip_top <= word < num_words else oov_char for word in sequence]
            for sequence in sequences]


def as_object_array(sequences: list) -> np.ndarray:
    """The ``dtype=object`` array Keras returns for lists of sequences.

    Example:
        >>> as_object_array([[1], [2, 3]]).shape
        (2,)
    """
    # np.array, as Keras calls it: sequences that all have one length give a 2-D array.
    return np.array(sequences, dtype="object")


def legacy_num_words(function: str, num_words, kwargs: dict):
    """Accept Keras 1's ``nb_words`` for ``num_words``; refuse any other unknown keyword.

    Example:
        >>> legacy_num_words("imdb.load_data", None, {})
    """
    if "nb_words" in kwargs:
        warnings.warn(f"{function}: the `nb_words` argument is now called `num_words`.",
                      stacklevel=3)
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"{function} got unexpected keyword arguments: {sorted(kwargs)}")
    return num_words
