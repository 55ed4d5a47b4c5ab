"""feature_maps(): what each convolution layer makes of one image.

A model is cut after each chosen layer with ``Model(model.inputs, layer.output)`` (all the
cuts in one model, so the image goes through the network once), and every channel of each
layer's output is drawn as an image: early layers keep the digit's shape and pick out its
edges, later ones are smaller and more abstract.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from glassnet.plot._matplotlib import blank_axes, finish, grid_shape, pyplot, to_numpy


def feature_maps(model, x, layer_names: Sequence[str] | None = None, max_maps: int = 16,
                 ncols: int = 8, cmap: str = "viridis", path=None):
    """Draw one image's feature maps, a block of panels per layer.

    Args:
        model: a model built on an input (``Sequential`` with ``Input``/``input_shape`` or
            a functional ``Model``).
        x: one image, ``(height, width)``, ``(height, width, channels)`` or with a batch
            axis of 1.
        layer_names: the layers to show. Default: every convolution layer (a layer whose
            ``kernel`` is 4-D).  Any layer with an image-shaped output may be named, e.g.
            pooling layers.
        max_maps: channels drawn per layer (the first ones).
        ncols: panels per row.
        cmap: the colormap.
        path: a file to save the figure to.

    Returns:
        The matplotlib Figure, one subfigure per layer titled with the layer's name and
        output shape; its axes hold ``output[0, :, :, channel]`` as images.

    Example:
        >>> figure = glassnet.plot.feature_maps(model, x_test[0])  # doctest: +SKIP
        >>> [sub.get_suptitle() for sub in figure.subfigs]  # doctest: +SKIP
        ['conv2d (26, 26, 32)', 'conv2d_1 (11, 11, 64)']
    """
    from glassnet.models import Model

    try:
        inputs = model.inputs
    except AttributeError as error:
        raise ValueError("plot.feature_maps needs a model built on an input: start a "
                         "Sequential with Input(shape) or give its first layer input_shape. "
                         f"Received: model {getattr(model, 'name', model)!r} ({error})") from None
    layers = _chosen_layers(model, layer_names)
    image = _one_image(to_numpy(x), inputs[0].shape)
    outputs = Model(inputs, [layer.output for layer in layers]).predict(image, verbose=0)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]

    plt = pyplot()
    shown = [min(max_maps, output.shape[-1]) for output in outputs]
    rows = [grid_shape(count, ncols)[0] for count in shown]
    columns = min(ncols, max(shown))
    figure = plt.figure(layout="constrained",
                        figsize=(1.15 * columns, sum(1.2 * r + 0.45 for r in rows)))
    subfigures = np.atleast_1d(figure.subfigures(len(layers), 1, height_ratios=rows))
    for subfigure, layer, output, count, row_count in zip(subfigures, layers, outputs, shown,
                                                         rows):
        maps = np.asarray(output)[0]
        subfigure.suptitle(f"{layer.name} {tuple(maps.shape)}", fontsize=10)
        grid = subfigure.subplots(row_count, columns, squeeze=False)
        for index, axes in enumerate(grid.flat):
            if index >= count:
                axes.set_visible(False)
                continue
            axes.imshow(maps[:, :, index], cmap=cmap, interpolation="nearest")
            axes.set_title(f"{index}", fontsize=7)
            blank_axes(axes)
    return finish(figure, path)


def _chosen_layers(model, layer_names) -> list:
    if layer_names is not None:
        names = [layer_names] if isinstance(layer_names, str) else list(layer_names)
        layers = [model.get_layer(name) for name in names]
    else:
        layers = [layer for layer in model.layers
                  if len(getattr(getattr(layer, "kernel", None), "shape", ())) == 4]
        if not layers:
            raise ValueError("plot.feature_maps: the model has no convolution layer (a layer "
                             "with a 4-D kernel); name the layers to show with layer_names=. "
                             f"Received: layers {[layer.name for layer in model.layers]}")
    for layer in layers:
        rank = len(layer.output.shape)
        if rank != 4:
            raise ValueError(f"plot.feature_maps: layer {layer.name!r} does not output "
                             "images (batch, height, width, channels). Received: output "
                             f"shape {tuple(layer.output.shape)}")
    return layers


def _one_image(image: np.ndarray, input_shape) -> np.ndarray:
    expected = len(input_shape)  # including the batch axis
    if image.ndim == expected - 1:
        image = image[None]
    elif image.ndim == expected - 2 and expected == 4:
        image = image[None, ..., None]  # (h, w) for a one-channel input
    if image.ndim != expected or image.shape[0] != 1:
        raise ValueError("plot.feature_maps draws one image: expected a shape like "
                         f"{tuple(input_shape)[1:]} (or with a batch axis of 1). Received: "
                         f"x.shape={image.shape}")
    return image.astype(np.float32, copy=False)
