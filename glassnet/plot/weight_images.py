"""weights(): what a layer's units look for, drawn as images.

A Dense unit fed with pixels has one weight per pixel, so its kernel column reshaped to the
image (784 -> 28 x 28) shows the pattern that excites it (red) or inhibits it (blue).  A
Conv2D filter is already a small image: (kernel_h, kernel_w) per input channel.  Any layer
with a ``kernel`` of shape (inputs, units) or (kernel_h, kernel_w, in_channels, filters)
works, whichever library made it.
"""

from __future__ import annotations

import numpy as np

from glassnet.plot._matplotlib import (blank_axes, finish, grid_shape, panel_grid,
                                       side_colorbar, to_numpy)

CMAP = "RdBu_r"  # negative blue, zero white, positive red


def weights(layer, image_shape: tuple | None = None, ncols: int = 10,
            max_units: int | None = None, max_channels: int = 8, path=None):
    """Draw a Dense layer's kernel columns, or a Conv2D layer's filters, as images.

    Args:
        layer: a built layer whose ``kernel`` is ``(inputs, units)`` (Dense) or
            ``(kernel_h, kernel_w, in_channels, filters)`` (Conv2D).
        image_shape: Dense only: the image each column is reshaped to, ``(h, w)`` or
            ``(h, w, 3)``.  Default: square gray images (784 -> 28 x 28), else square RGB.
        ncols: images per row (Dense, and Conv2D with 1 or 3 input channels).
        max_units: draw at most this many units or filters (default 100; 16 for filters of
            many input channels, which take one row per channel).
        max_channels: Conv2D with other than 1 or 3 input channels: rows for at most this
            many input channels.
        path: a file to save the figure to.

    Returns:
        The matplotlib Figure: one image per unit (or per filter and input channel).
        Single-channel images share one color scale, symmetric around zero.

    Example:
        >>> figure = glassnet.plot.weights(model.layers[0])  # doctest: +SKIP
        >>> figure.axes[0].images[0].get_array().shape  # doctest: +SKIP
        (28, 28)
    """
    kernel = _kernel(layer)
    if kernel.ndim == 2:
        pictures = _dense_pictures(kernel, image_shape, layer)
        titles = [f"unit {unit}" for unit in range(len(pictures))]
        return _grid(pictures[:max_units or 100], titles, ncols, path,
                     f"{_name(layer)}: kernel columns as {pictures.shape[1]}x"
                     f"{pictures.shape[2]} images")
    if kernel.ndim == 4:
        height, width, channels, filters = kernel.shape
        if channels in (1, 3):
            pictures = np.moveaxis(kernel, 3, 0)  # (filters, kh, kw, channels)
            pictures = pictures[..., 0] if channels == 1 else _unit_range(pictures)
            titles = [f"filter {index}" for index in range(filters)]
            return _grid(pictures[:max_units or 100], titles, ncols, path,
                         f"{_name(layer)}: {filters} filters of {height}x{width}x{channels}")
        return _channel_grid(kernel, max_units or 16, max_channels, path, _name(layer))
    raise ValueError("plot.weights expects a layer with a kernel of shape (inputs, units) "
                     "(Dense) or (kernel_h, kernel_w, in_channels, filters) (Conv2D). "
                     f"Received: layer {_name(layer)!r} with kernel.shape={kernel.shape}")


def _kernel(layer) -> np.ndarray:
    kernel = getattr(layer, "kernel", None)
    if kernel is None:
        raise ValueError(f"plot.weights: layer {_name(layer)!r} has no kernel yet; build it "
                         "first (call it on data, or fit the model). Received: "
                         f"{type(layer).__name__} with kernel=None")
    return to_numpy(kernel).astype(np.float32, copy=False)


def _name(layer) -> str:
    return str(getattr(layer, "name", type(layer).__name__))


def _dense_pictures(kernel: np.ndarray, image_shape, layer) -> np.ndarray:
    inputs = kernel.shape[0]
    if image_shape is None:
        side = int(round(np.sqrt(inputs)))
        rgb_side = int(round(np.sqrt(inputs / 3)))
        if side * side == inputs:
            image_shape = (side, side)
        elif 3 * rgb_side * rgb_side == inputs:
            image_shape = (rgb_side, rgb_side, 3)
        else:
            raise ValueError(f"plot.weights: cannot tell what image the {inputs} inputs of "
                             f"layer {_name(layer)!r} form; pass image_shape=(height, width) "
                             f"or (height, width, 3). Received: kernel.shape={kernel.shape}")
    image_shape = tuple(int(d) for d in image_shape)
    if int(np.prod(image_shape)) != inputs or len(image_shape) not in (2, 3):
        raise ValueError(f"plot.weights: image_shape must be (h, w) or (h, w, c) with "
                         f"h * w * c == {inputs}, the inputs of layer {_name(layer)!r}. "
                         f"Received: image_shape={image_shape}")
    # Column j holds unit j's weights in the order Flatten lays pixels out (row-major).
    pictures = kernel.T.reshape((kernel.shape[1],) + image_shape)
    if pictures.ndim == 4:
        pictures = pictures[..., 0] if image_shape[2] == 1 else _unit_range(pictures)
    return pictures


def _unit_range(pictures: np.ndarray) -> np.ndarray:
    """Each RGB picture stretched to [0, 1], as imshow needs for color images."""
    low = pictures.min(axis=(1, 2, 3), keepdims=True)
    high = pictures.max(axis=(1, 2, 3), keepdims=True)
    return (pictures - low) / np.maximum(high - low, 1e-12)


def _grid(pictures, titles, ncols, path, suptitle):
    rows, columns = grid_shape(len(pictures), ncols)
    gray = pictures.ndim == 3
    figure, grid = panel_grid(rows, columns, size=0.95, gap=0.12, title=0.25, top=0.45,
                              right=1.1 if gray else 0.1)
    limit = float(np.abs(pictures).max()) or 1.0
    image = None
    for index, axes in enumerate(grid.flat):
        if index >= len(pictures):
            axes.set_visible(False)
            continue
        if gray:
            image = axes.imshow(pictures[index], cmap=CMAP, vmin=-limit, vmax=limit,
                                interpolation="nearest")
        else:
            axes.imshow(pictures[index], interpolation="nearest")
        axes.set_title(titles[index], fontsize=7)
        blank_axes(axes)
    if image is not None:
        side_colorbar(figure, image, 1.1, "weight")
    figure.suptitle(suptitle)
    return finish(figure, path)


def _channel_grid(kernel, max_filters, max_channels, path, name):
    height, width, channels, filters = kernel.shape
    shown_channels, shown_filters = min(channels, max_channels), min(filters, max_filters)
    figure, grid = panel_grid(shown_channels, shown_filters, size=0.6, gap=0.08, title=0.2,
                              top=0.45, right=1.1, left=0.35)
    limit = float(np.abs(kernel).max()) or 1.0
    for channel in range(shown_channels):
        for index in range(shown_filters):
            axes = grid[channel, index]
            image = axes.imshow(kernel[:, :, channel, index], cmap=CMAP, vmin=-limit,
                                vmax=limit, interpolation="nearest")
            blank_axes(axes)
            if channel == 0:
                axes.set_title(f"filter {index}", fontsize=6)
            if index == 0:
                axes.set_ylabel(f"in {channel}", fontsize=6)
    side_colorbar(figure, image, 1.1, "weight")
    figure.suptitle(f"{name}: {shown_filters} of {filters} filters ({height}x{width}), input "
                    f"channels 0-{shown_channels - 1} of {channels}", fontsize=10)
    return finish(figure, path)
