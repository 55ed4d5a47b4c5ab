"""confusion_matrix(): how often each true class was predicted as each class.

Row i, column j counts the samples of true class i that the model called j: the diagonal
holds the right answers, every other cell a kind of mistake ("4 taken for 9").
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from glassnet.plot._matplotlib import finish, pyplot, to_numpy

NORMALIZE = {False: None, None: None, True: "true", "true": "true", "pred": "pred", "all": "all"}


def confusion_matrix(y_true, y_pred, labels: Sequence | None = None,
                     normalize: bool | str = False, path=None):
    """Plot the confusion matrix of true against predicted classes, each cell written out.

    Args:
        y_true: the true classes: integer ids ``(n,)``, or one-hot rows ``(n, classes)``.
        y_pred: the predicted classes: integer ids, or ``model.predict`` output (probabilities
            or scores, one row per sample; the largest is the predicted class).
        labels: names (strings) for the class ids ``0, 1, ...``, e.g. Fashion-MNIST's
            ``"T-shirt/top"``...; or the classes themselves (ids, or the values of string
            classes) to show, in that order, leaving other samples out, as scikit-learn.
            Default: ids ``0`` to the largest found, or the sorted classes found.
        normalize: ``False`` (counts), ``True`` or ``"true"`` (each row sums to 1: the share
            of each true class), ``"pred"`` (each column sums to 1) or ``"all"``.
        path: a file to save the figure to.

    Returns:
        The matplotlib Figure; its image holds the matrix
        (``figure.axes[0].images[0].get_array()``).

    Example:
        >>> figure = glassnet.plot.confusion_matrix([0, 1, 1], [0, 1, 0])  # doctest: +SKIP
        >>> figure.axes[0].images[0].get_array().tolist()  # doctest: +SKIP
        [[1, 0], [1, 1]]
    """
    mode = _normalize_mode(normalize)
    y_true = _class_ids(y_true, "y_true")
    y_pred = _class_ids(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError("plot.confusion_matrix: y_true and y_pred must hold one class per "
                         f"sample each. Received: y_true.shape={y_true.shape}, "
                         f"y_pred.shape={y_pred.shape}")
    classes, names = _classes(y_true, y_pred, labels)
    matrix = count_matrix(y_true, y_pred, classes)
    shown = matrix if mode is None else _normalized(matrix, mode)

    plt = pyplot()
    size = max(4.0, 0.55 * len(classes) + 2.0)
    figure, axes = plt.subplots(figsize=(size + 1.0, size), layout="constrained")
    image = axes.imshow(shown, cmap="Blues", interpolation="nearest",
                        vmin=0, vmax=max(float(shown.max()), 1e-12))
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
    threshold = float(shown.max()) / 2.0
    for (row, column), value in np.ndenumerate(shown):
        text = f"{value:d}" if mode is None else f"{value:.2f}"
        axes.text(column, row, text, ha="center", va="center", fontsize=8,
                  color="white" if value > threshold else "black")
    positions = np.arange(len(classes))
    axes.set_xticks(positions, names, rotation=45 if max(map(len, names)) > 2 else 0,
                    ha="right" if max(map(len, names)) > 2 else "center")
    axes.set_yticks(positions, names)
    axes.set_xlabel("Predicted label")
    axes.set_ylabel("True label")
    title = "Confusion matrix"
    if mode is not None:
        title += {"true": " (each row sums to 1)", "pred": " (each column sums to 1)",
                  "all": " (all cells sum to 1)"}[mode]
    axes.set_title(title)
    return finish(figure, path)


def count_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: Sequence) -> np.ndarray:
    """The (classes x classes) counts: row = true class, column = predicted class; samples
    of classes not listed are left out.

    Example:
        >>> count_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), [0, 1]).tolist()
        [[1, 0], [1, 1]]
    """
    index = {value: position for position, value in enumerate(classes)}
    rows = np.array([index.get(value, -1) for value in y_true.tolist()], dtype=np.int64)
    columns = np.array([index.get(value, -1) for value in y_pred.tolist()], dtype=np.int64)
    keep = (rows >= 0) & (columns >= 0)
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    np.add.at(matrix, (rows[keep], columns[keep]), 1)
    return matrix


def _normalize_mode(normalize):
    try:
        return NORMALIZE[normalize]
    except (KeyError, TypeError):
        raise ValueError("plot.confusion_matrix: `normalize` must be False, True, 'true', "
                         f"'pred' or 'all'. Received: normalize={normalize!r}") from None


def _class_ids(values, name: str) -> np.ndarray:
    array = to_numpy(values)
    if array.ndim == 2 and array.shape[1] > 1:
        return array.argmax(axis=1)  # one-hot labels or per-class scores
    if array.ndim == 2:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"plot.confusion_matrix: {name} must be class ids (n,) or one row "
                         f"of class scores per sample (n, classes). Received: "
                         f"{name}.shape={array.shape}")
    if array.dtype.kind == "f" and np.all(array == np.round(array)):
        array = array.astype(np.int64)  # float labels such as 3.0
    return array


def _classes(y_true, y_pred, labels) -> tuple[list, list[str]]:
    ids = y_true.dtype.kind in "iub" and y_pred.dtype.kind in "iub"
    found = np.unique(np.concatenate([y_true, y_pred]))
    if labels is not None:
        labels = list(labels)
        if ids and not all(isinstance(value, (int, np.integer)) for value in labels):
            # Names for the class ids 0, 1, ... (the Keras datasets' convention).
            if found.size and (found.min() < 0 or found.max() >= len(labels)):
                raise ValueError(f"plot.confusion_matrix: labels names {len(labels)} classes "
                                 f"(ids 0 to {len(labels) - 1}) but the data has class "
                                 f"{found.max() if found.max() >= 0 else found.min()}. "
                                 f"Received: labels={labels!r}")
            return list(range(len(labels))), [str(name) for name in labels]
        return labels, [str(value) for value in labels]
    if ids and found.size and found.min() >= 0:
        # Every id up to the largest, so a class never seen still gets its row.
        classes = list(range(int(found.max()) + 1))
    else:
        classes = found.tolist()
    return classes, [str(value) for value in classes]


def _normalized(matrix: np.ndarray, mode: str) -> np.ndarray:
    matrix = matrix.astype(np.float64)
    if mode == "true":
        totals = matrix.sum(axis=1, keepdims=True)
    elif mode == "pred":
        totals = matrix.sum(axis=0, keepdims=True)
    else:
        totals = matrix.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        # A class that never occurs has no share to show: 0, not NaN.
        return np.nan_to_num(matrix / totals)
