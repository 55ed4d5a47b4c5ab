"""Label and vector helpers: one-hot encoding of class labels and Lp normalization.

Example:
    >>> to_categorical([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    >>> normalize(np.array([[3.0, 4.0]]))
    array([[0.6, 0.8]])
"""

from __future__ import annotations

import operator

import numpy as np


def _plain_array(x, dtype=None) -> np.ndarray:
    # A glassnet Tensor carries its values in `.data`; anything else goes through NumPy.
    data = getattr(x, "data", None)
    if isinstance(data, np.ndarray):
        x = data
    return np.array(x, dtype=dtype)


def _class_count(num_classes) -> int:
    if isinstance(num_classes, (float, np.floating)) and float(num_classes).is_integer():
        num_classes = int(num_classes)
    try:
        count = operator.index(num_classes)
    except TypeError:
        raise ValueError(
            "to_categorical: `num_classes` must be a positive integer or None. "
            f"Received: num_classes={num_classes!r}"
        ) from None
    if count < 0:
        raise ValueError(
            "to_categorical: `num_classes` must be a positive integer or None. "
            f"Received: num_classes={num_classes!r}"
        )
    return count


def to_categorical(x, num_classes: int | None = None, dtype="float32") -> np.ndarray:
    """One-hot encode integer class labels; the class axis is added last.

    Labels of shape ``(N,)`` give ``(N, C)``; a trailing axis of size 1 is dropped first, so
    ``(N, 1)`` also gives ``(N, C)``; ``(N, T)`` gives ``(N, T, C)``. ``num_classes`` defaults
    to ``max(x) + 1`` (as does ``0``). Float labels are cast to integers, as in Keras.

    Example:
        >>> to_categorical([[1], [0]], num_classes=3)
        array([[0., 1., 0.],
               [1., 0., 0.]], dtype=float32)
        >>> to_categorical([[0, 1], [1, 1]]).shape
        (2, 2, 2)
    """
    try:
        labels = _plain_array(x, dtype="int64")
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"to_categorical expects integer class labels. Received: x={x!r} ({error})"
        ) from None
    shape = labels.shape
    # Keras treats (..., 1) as a column of labels and squeezes that axis.
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = labels.reshape(-1)

    if flat.size and flat.min() < 0:
        raise ValueError(
            "to_categorical expects class labels >= 0. "
            f"Received: a label of {int(flat.min())}"
        )
    num_classes = 0 if num_classes is None else _class_count(num_classes)
    if not num_classes:
        if flat.size == 0:
            raise ValueError(
                "to_categorical cannot infer `num_classes` from empty labels; pass "
                f"num_classes. Received: x.shape={labels.shape}"
            )
        num_classes = int(flat.max()) + 1
    if flat.size and flat.max() >= num_classes:
        raise ValueError(
            f"to_categorical expects class labels in [0, {num_classes - 1}] for "
            f"num_classes={num_classes}. Received: a label of {int(flat.max())}"
        )

    categorical = np.zeros((flat.size, num_classes), dtype=dtype)
    categorical[np.arange(flat.size), flat] = 1
    return categorical.reshape(shape + (num_classes,))


def normalize(x, axis: int | None = -1, order=2) -> np.ndarray:
    """Divide ``x`` by its ``order``-norm along ``axis`` (zero norms are left as 1).

    With ``axis=None`` the whole array is divided by one norm of it.

    Example:
        >>> normalize(np.array([[1.0, 0.0], [0.0, 0.0]]))
        array([[1., 0.],
               [0., 0.]])
        >>> normalize(np.array([[3.0, 4.0]]), order=1)
        array([[0.42857143, 0.57142857]])
    """
    data = x if isinstance(x, np.ndarray) else _plain_array(x)
    if axis is None:
        norm = np.atleast_1d(np.linalg.norm(data, order))
    else:
        norm = np.linalg.norm(data, order, axis, keepdims=True)
    # A zero vector stays zero instead of turning into NaN.
    norm[norm == 0] = 1
    return data / norm
