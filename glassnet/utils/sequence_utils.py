"""pad_sequences: turn a list of variable-length sequences into one 2-D (or n-D) array.

Example:
    >>> pad_sequences([[1], [2, 3], [4, 5, 6]])
    array([[0, 0, 1],
           [0, 2, 3],
           [4, 5, 6]], dtype=int32)
"""

from __future__ import annotations

import operator

import numpy as np

_SIDES = ("pre", "post")


def _check_side(argument: str, value) -> None:
    if value not in _SIDES:
        raise ValueError(
            f'pad_sequences: `{argument}` must be "pre" or "post". '
            f"Received: {argument}={value!r}"
        )


def _check_maxlen(maxlen) -> int:
    try:
        length = operator.index(maxlen)
    except TypeError:
        length = -1
    if length < 0:
        raise ValueError(
            "pad_sequences: `maxlen` must be a non-negative integer or None. "
            f"Received: maxlen={maxlen!r}"
        )
    return length


def _is_text_dtype(dtype) -> bool:
    try:
        return np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    except TypeError:
        return False


def pad_sequences(
    sequences,
    maxlen: int | None = None,
    dtype="int32",
    padding: str = "pre",
    truncating: str = "pre",
    value=0.0,
) -> np.ndarray:
    """Pad (or cut) every sequence to ``maxlen`` and stack them: shape ``(N, maxlen, ...)``.

    ``maxlen`` defaults to the longest sequence. ``padding`` says where ``value`` is added to
    short sequences and ``truncating`` where long ones lose steps: ``"pre"`` (the start, the
    default for both) or ``"post"`` (the end). Elements may themselves be arrays: every
    sequence must then share the shape of the first non-empty one's elements. Strings need
    ``dtype=object`` (or a string dtype).

    Example:
        >>> pad_sequences([[1, 2, 3], [4]], 2, padding="post")
        array([[2, 3],
               [4, 0]], dtype=int32)
        >>> pad_sequences([[1, 2, 3], [4]], maxlen=2, truncating="post", value=-1)
        array([[ 1,  2],
               [-1,  4]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(
            "pad_sequences: `sequences` must be a list of sequences (it needs a length; "
            f"convert a generator with list()). Received: {type(sequences).__name__}"
        )
    _check_side("padding", padding)
    _check_side("truncating", truncating)

    lengths = []
    element_shape = None
    for position, sequence in enumerate(sequences):
        try:
            lengths.append(len(sequence))
        except TypeError:
            raise ValueError(
                "pad_sequences: `sequences` must be a list of sequences (lists of integers). "
                f"Received: {sequence!r} at position {position}"
            ) from None
        # Elements may be vectors (e.g. (steps, features)); the first non-empty sequence
        # fixes their shape.
        if element_shape is None and len(sequence):
            element_shape = np.asarray(sequence).shape[1:]
    element_shape = element_shape or ()

    if maxlen is None:
        if not lengths:
            raise ValueError(
                "pad_sequences cannot infer `maxlen` from an empty list of sequences; "
                "pass maxlen. Received: sequences=[]"
            )
        maxlen = max(lengths)
    maxlen = _check_maxlen(maxlen)

    if isinstance(value, str) and dtype is not object and not _is_text_dtype(dtype):
        raise ValueError(
            f"pad_sequences: `dtype` {dtype} cannot hold the string padding value "
            f"{value!r}. Use dtype=object for strings of any length."
        )

    padded = np.full((len(sequences), maxlen) + element_shape, value, dtype=dtype)
    if maxlen == 0:
        return padded
    for position, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != element_shape:
            raise ValueError(
                f"pad_sequences: the elements of sequence {position} have shape "
                f"{kept.shape[1:]}, but earlier sequences have elements of shape "
                f"{element_shape}."
            )
        if padding == "pre":
            padded[position, maxlen - len(kept):] = kept
        else:
            padded[position, :len(kept)] = kept
    return padded
