"""images(): a grid of images with their true and predicted labels; mistakes in red.

Each panel shows one image as it is stored (no rescaling of the data), titled with its label,
or with the prediction and the truth when both are given.  A wrong prediction gets a red title
and a red frame so the mistakes stand out in a grid of right answers.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from glassnet.plot._matplotlib import blank_axes, finish, grid_shape, panel_grid, to_numpy

WRONG_COLOR = "tab:red"


def images(x, labels=None, predictions=None, ncols: int = 10, class_names: Sequence | None = None,
           max_images: int = 100, cmap: str = "binary", path=None):
    """Draw images in a grid, titled with their labels and predictions.

    Args:
        x: images ``(n, height, width)``, ``(n, height, width, 1 or 3)``, or flattened
            square images ``(n, height * width)`` such as MNIST's 784-long rows.
        labels: the true classes (ids, or one-hot rows), one per image.
        predictions: the predicted classes (ids, or ``model.predict`` probabilities).
            With ``labels``, each title reads ``"pred 2 / true 7"`` and wrong ones are red.
        ncols: images per row.
        class_names: names for the class ids, e.g. ``["T-shirt/top", "Trouser", ...]``.
        max_images: draw at most this many (the first ones).
        cmap: the colormap for one-channel images (``"binary"``: dark ink on white).
        path: a file to save the figure to.

    Returns:
        The matplotlib Figure, one axes per image; ``axes.images[0].get_array()`` is the image.

    Example:
        >>> figure = glassnet.plot.images(x_test[:20], y_test[:20],
        ...                               model.predict(x_test[:20]))  # doctest: +SKIP
    """
    pictures = _as_images(to_numpy(x))[:max_images]
    count = len(pictures)
    true = _ids(labels, "labels", count)
    predicted = _ids(predictions, "predictions", count)
    rows, columns = grid_shape(count, ncols)

    titled = true is not None or predicted is not None
    figure, grid = panel_grid(rows, columns, size=0.9, gap=0.15, title=0.3 if titled else 0.0)
    for index, axes in enumerate(grid.flat):
        if index >= count:
            axes.set_visible(False)
            continue
        picture = pictures[index]
        axes.imshow(picture, cmap=cmap if picture.ndim == 2 else None, interpolation="nearest")
        blank_axes(axes)
        title, wrong = _title(index, true, predicted, class_names)
        if title:
            axes.set_title(title, fontsize=8, color=WRONG_COLOR if wrong else "black")
        if wrong:
            for spine in axes.spines.values():
                spine.set_visible(True)
                spine.set_color(WRONG_COLOR)
                spine.set_linewidth(2.0)
    return finish(figure, path)


def _as_images(array: np.ndarray) -> np.ndarray:
    if array.ndim == 2:
        side = int(round(np.sqrt(array.shape[1])))
        if side * side != array.shape[1]:
            raise ValueError("plot.images: flattened images must be square (e.g. 784 = 28 x "
                             "28); reshape them to (n, height, width) first. Received: "
                             f"x.shape={array.shape}")
        return array.reshape(len(array), side, side)
    if array.ndim == 4 and array.shape[-1] == 1:
        return array[..., 0]
    if array.ndim == 3 or (array.ndim == 4 and array.shape[-1] in (3, 4)):
        return array
    raise ValueError("plot.images: expected images (n, height, width), (n, height, width, 1 "
                     f"or 3) or (n, height * width). Received: x.shape={array.shape}")


def _ids(values, name: str, count: int) -> np.ndarray | None:
    if values is None:
        return None
    array = to_numpy(values)
    if array.ndim == 2 and array.shape[1] > 1:
        array = array.argmax(axis=1)
    array = array.reshape(-1) if array.ndim == 2 else array
    if array.ndim != 1 or len(array) < count:
        raise ValueError(f"plot.images: {name} must hold one class per image ({count}). "
                         f"Received: {name}.shape={array.shape}")
    return array[:count]


def _title(index: int, true, predicted, class_names) -> tuple[str, bool]:
    def name(value):
        value = value.item() if hasattr(value, "item") else value
        if class_names is not None and isinstance(value, (int, float)) and \
                float(value).is_integer() and 0 <= int(value) < len(class_names):
            return str(class_names[int(value)])
        return str(value)

    if true is not None and predicted is not None:
        wrong = bool(true[index] != predicted[index])
        return f"pred {name(predicted[index])} / true {name(true[index])}", wrong
    if predicted is not None:
        return f"pred {name(predicted[index])}", False
    if true is not None:
        return name(true[index]), False
    return "", False
