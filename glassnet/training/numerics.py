"""What ``fit`` does when a batch gives a NaN or infinite loss.

The training step checks its loss (one scalar) before back-propagating.  When it is not
finite the step stops there: no gradients, no update, so the weights and the optimizer
are still those from before the batch (layer state a forward pass changes, such as
BatchNormalization's moving statistics, is put back too).  ``fit`` then

1. finds where the first non-finite value comes from: the targets, a layer's weights, or
   the first layer (in forward order) whose output is not finite, by running the batch
   through the model again with every layer watched;
2. stops training (``model.stop_training``), still calling ``on_epoch_end`` and
   ``on_train_end`` so that callbacks finish and ``fit`` returns the History;
3. issues a :class:`NonFiniteLossWarning` naming the epoch, the batch and the layer, and
   keeps the details as ``history.numerical_fault`` (and ``model.numerical_fault``).

To get an exception instead, turn the warning into an error:
``warnings.simplefilter("error", NonFiniteLossWarning)``.

Example:
    >>> history = model.fit(x, y, epochs=5)    # doctest: +SKIP
    NonFiniteLossWarning: Training stopped in epoch 2, batch 7: the loss is nan. The first
    non-finite values appear in the output of layer 'dense_1' (Dense) ...
    >>> history.numerical_fault.layer
    'dense_1'
"""

from __future__ import annotations

import dataclasses

import numpy as np

from glassnet.core import random as glassnet_random
from glassnet.core.symbolic import flatten_structure
from glassnet.core.tape import no_grad
from glassnet.core.tensor import Tensor


class NonFiniteLossWarning(RuntimeWarning):
    """``fit`` stopped because a batch gave a NaN or infinite loss (see the module doc).

    Example:
        >>> warnings.simplefilter("error", NonFiniteLossWarning)   # fit raises instead
    """


class NonFiniteLoss(Exception):
    """Raised inside a training step whose loss is not finite; ``fit`` handles it.

    Example:
        >>> raise NonFiniteLoss(float("nan"))
        Traceback (most recent call last):
        NonFiniteLoss: non-finite loss nan
    """

    def __init__(self, loss: float):
        super().__init__(f"non-finite loss {loss}")
        self.loss = loss


@dataclasses.dataclass
class NumericalFault:
    """Where training broke down: ``epoch`` and ``batch`` are 0-based as in callbacks;
    ``source`` is 'output', 'weights', 'targets', 'sample_weight' or 'loss'; ``layer`` is
    the name of the first layer involved (None when no layer is to blame).

    Example:
        >>> history.numerical_fault.source, history.numerical_fault.layer
        ('output', 'dense_1')
    """

    epoch: int
    batch: int
    loss: float
    source: str
    layer: str | None
    message: str

    def __str__(self) -> str:
        return self.message


def _bad_count(array) -> tuple:
    array = np.asarray(array)
    if array.dtype.kind not in "fc":
        return 0, array.size
    return int(array.size - np.count_nonzero(np.isfinite(array))), array.size


def _describe(array) -> str:
    array = np.asarray(array)
    bad, total = _bad_count(array)
    nans = int(np.count_nonzero(np.isnan(array)))
    return f"{bad} of {total} values are not finite ({nans} NaN, {bad - nans} inf)"


class _Watch:
    """Wraps every layer's ``call`` to note the first one whose output is not finite."""

    def __init__(self, layers):
        self.layers = layers
        self.first = None

    def __enter__(self):
        for layer in self.layers:
            original = layer.call

            def watched(*args, _layer=layer, _call=original, **kwargs):
                outputs = _call(*args, **kwargs)
                if self.first is None:
                    for out in flatten_structure(outputs):
                        data = out.data if isinstance(out, Tensor) else out
                        if isinstance(data, np.ndarray) and _bad_count(data)[0]:
                            self.first = (_layer, data)
                            break
                return outputs

            object.__setattr__(layer, "call", watched)
        return self

    def __exit__(self, *exc):
        for layer in self.layers:
            layer.__dict__.pop("call", None)


def _rerun(model, x):
    """Run the batch forward again (training mode) with every layer watched; the random
    generator and layer state are restored afterwards."""
    layers = [layer for layer in model._flatten_layers() if layer is not model]
    state = [(v, v.numpy()) for v in model.weights if not v.trainable]
    rng = glassnet_random.get_state()
    try:
        with _Watch(layers) as watch, no_grad():
            model(x, training=True)
        return watch.first
    finally:
        glassnet_random.set_state(rng)
        for variable, value in state:
            variable.assign(value)


def diagnose(model, batch_data, epoch: int, batch: int, loss: float,
             after_update: bool = False) -> NumericalFault:
    """Find the first source of non-finite values for this batch (see the module doc).

    Example:
        >>> diagnose(model, (x, y, None), epoch=0, batch=3, loss=float("nan")).layer
        'dense_1'
    """
    x, y, sample_weight = batch_data
    head = f"Training stopped in epoch {epoch + 1}, batch {batch}: the loss is {loss}."
    restored = ("The weights are those from before this batch." if not after_update else
                "This model's own train_step already applied the update, so the weights may "
                "hold non-finite values.")
    source, layer_name, detail = "loss", None, None
    for name, values in (("targets", y), ("sample_weight", sample_weight)):
        for array in flatten_structure(values) if values is not None else []:
            if isinstance(array, np.ndarray) and _bad_count(array)[0]:
                source, detail = name, f"The {name} of this batch hold non-finite values: " \
                                       f"{_describe(array)}. Clean the data."
                break
        if detail:
            break
    if detail is None:
        for layer in model._flatten_layers(include_self=False):
            broken = [v for v in layer._own_variables if _bad_count(v.data)[0]]
            if broken:
                source, layer_name = "weights", layer.name
                detail = (f"The weights of layer '{layer.name}' ({type(layer).__name__}) were "
                          f"already non-finite before this batch: '{broken[0].path}': "
                          f"{_describe(broken[0].data)}. An earlier update overflowed.")
                break
    if detail is None:
        try:
            first = _rerun(model, x)
        except Exception as error:  # the diagnosis must never hide the fault itself
            first, detail = None, f"Running the batch again to locate it failed: {error!r}."
        if first is not None:
            layer, data = first
            source, layer_name = "output", layer.name
            detail = (f"The first non-finite values appear in the output of layer "
                      f"'{layer.name}' ({type(layer).__name__}): {_describe(data)}.")
        elif detail is None:
            detail = ("Every layer output is finite for this batch, so the loss function "
                      "itself overflowed (check the targets' range and the loss).")
    hints = "Common causes: a learning rate that is too high, unscaled inputs, or log(0)."
    message = " ".join([head, detail, restored, hints])
    return NumericalFault(epoch=epoch, batch=batch, loss=loss, source=source,
                          layer=layer_name, message=message)
