"""decision_boundary: what a classifier of 2-D points predicts everywhere on the plane.

The model is evaluated on a grid covering the data (plus a margin).  With one output unit
(a sigmoid), the filled contours show the predicted probability and a black line marks
where it crosses 0.5; with several outputs (softmax), each region is coloured by the
predicted class.  The data points are drawn on top, coloured by their true class.

Example:
    >>> x, y = xor_data()                   # any (N, 2) inputs with labels
    >>> model.fit(x, y, epochs=500, verbose=0)
    >>> fig = glassnet.plot.decision_boundary(model, x, y, path="xor.png")
"""

from __future__ import annotations

import numpy as np

from glassnet.plot._matplotlib import finish, pyplot


def prediction_grid(model, x, resolution: int = 200, margin: float = 0.1) -> tuple:
    """(xx, yy, predictions) on a ``resolution`` × ``resolution`` grid around the data.

    ``margin`` widens the box by that fraction of its size on every side.

    Example:
        >>> xx, yy, p = prediction_grid(model, x, resolution=50)
        >>> xx.shape, p.shape
        ((50, 50), (50, 50, 1))
    """
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError("decision_boundary draws models of 2-D inputs: x must have shape "
                         f"(samples, 2). Received: x.shape={x.shape}")
    low, high = x.min(axis=0).astype(float), x.max(axis=0).astype(float)
    pad = (high - low) * margin + 1e-9
    low, high = low - pad, high + pad
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], resolution),
                         np.linspace(low[1], high[1], resolution))
    points = np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)
    predictions = np.asarray(model.predict(points, batch_size=4096, verbose=0))
    return xx, yy, predictions.reshape(resolution, resolution, -1)


def decision_boundary(model, x, y=None, resolution: int = 200, margin: float = 0.1,
                      title: str | None = None, figsize=(5.5, 5), path=None):
    """Draw the model's predictions over the plane of its two inputs, with the data on top.

    Args:
        model: a trained model with 2 inputs and 1 (sigmoid) or several (softmax) outputs.
        x: the points, shape (N, 2); y: their labels (integers or one-hot), optional.
        resolution: grid points per side.
        margin: extra space around the data, as a fraction of its extent.
        path: save the figure there too (the format from the extension).

    Returns:
        The matplotlib Figure; ``fig.grid`` holds (xx, yy, predictions).

    Example:
        >>> fig = decision_boundary(model, x_moons, y_moons)
    """
    plt = pyplot()
    xx, yy, p = prediction_grid(model, x, resolution, margin)
    fig, ax = plt.subplots(figsize=figsize)
    if p.shape[-1] == 1:
        probability = p[..., 0]
        filled = ax.contourf(xx, yy, probability, levels=np.linspace(0, 1, 11), cmap="RdBu_r",
                             alpha=0.55)
        fig.colorbar(filled, ax=ax, label="predicted probability of class 1")
        if probability.min() < 0.5 < probability.max():
            ax.contour(xx, yy, probability, levels=[0.5], colors="black", linewidths=1.5)
    else:
        classes = p.argmax(axis=-1)
        k = p.shape[-1]
        ax.contourf(xx, yy, classes, levels=np.arange(k + 1) - 0.5, cmap="tab10", alpha=0.35,
                    vmin=0, vmax=9)
    x = np.asarray(x)
    if y is not None:
        labels = np.asarray(y)
        labels = labels.argmax(axis=-1) if labels.ndim == 2 and labels.shape[1] > 1 \
            else labels.reshape(-1)
        cmap = "RdBu_r" if p.shape[-1] == 1 else "tab10"
        # Full-strength colours with a white rim stand out on the paler regions.
        ax.scatter(x[:, 0], x[:, 1], c=labels.astype(float), cmap=cmap,
                   vmin=0, vmax=1 if p.shape[-1] == 1 else 9, edgecolors="white",
                   linewidths=0.6, s=28)
    else:
        ax.scatter(x[:, 0], x[:, 1], color="black", s=12)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title(title or f"decision boundary of '{model.name}'")
    fig.tight_layout()
    fig.grid = (xx, yy, p)
    return finish(fig, path)
