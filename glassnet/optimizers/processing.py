"""What happens around the update rule: gradient clipping, weight decay, moving averages.

Everything works in place on the optimizer's own buffers: the whole flat buffer when the
step covers every built variable, otherwise the per-variable views.  Formulas are Keras 3's:

- ``clipnorm``: each gradient ``g * clipnorm / max(||g||, clipnorm)``;
- ``global_clipnorm``: all gradients ``* clipnorm / max(global_norm, clipnorm)`` (NaN if the
  norm is not finite);
- ``clipvalue``: each element clipped to ``[-clipvalue, clipvalue]``;
- weight decay (decoupled, before the update): ``var *= 1 - weight_decay * learning_rate``;
- EMA (after the update): ``average = m * average + (1 - m) * var``, ``m = 0`` at step 0.

Example:
    >>> arrays = [np.array([3.0, 4.0], np.float32)]
    >>> clip_by_norm_(arrays, 1.0)
    >>> arrays[0]
    array([0.6, 0.8], dtype=float32)
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.optimizers.values import float32


def gradient_arrays(state, indices) -> list:
    """The gradient storage this step touches: [flat buffer] or one view per variable.

    Example:
        >>> [g.shape for g in gradient_arrays(adam._state, [1])]
        [(50,)]
    """
    if indices is None and state.grad_flat is not None:
        return [state.grad_flat]
    views = state.grad_views
    return [views[i] for i in (range(len(views)) if indices is None else indices)]


def slot_arrays(state, name: str, indices) -> list:
    """A slot's storage laid out like :func:`gradient_arrays`.

    Example:
        >>> [m.shape for m in slot_arrays(adam._state, "momentum", None)]
        [(39760,)]
    """
    flat = state.slot_flat[name]
    if indices is None and flat is not None:
        return [flat]
    views = state.slot_views[name]
    return [views[i] for i in (range(len(views)) if indices is None else indices)]


def clip_by_norm_(arrays, clipnorm: float) -> None:
    """Scale each array whose L2 norm exceeds ``clipnorm`` down to that norm (see above)."""
    for array in arrays:
        flat = array.reshape(-1)
        norm = math.sqrt(float(np.dot(flat, flat)))
        if norm > clipnorm:
            array *= np.float32(clipnorm / norm)
        elif not norm <= clipnorm:  # NaN norm: Keras propagates NaN
            array *= np.float32("nan")


def clip_by_global_norm_(arrays, clipnorm: float) -> None:
    """Scale all arrays together so their joint L2 norm is at most ``clipnorm``.

    Example:
        >>> arrays = [np.array([3.0], np.float32), np.array([4.0], np.float32)]
        >>> clip_by_global_norm_(arrays, 1.0)
        >>> arrays
        [array([0.6], dtype=float32), array([0.8], dtype=float32)]
    """
    squared = 0.0
    for array in arrays:
        flat = array.reshape(-1)
        squared += float(np.dot(flat, flat))
    norm = math.sqrt(squared)
    if math.isfinite(norm):
        if norm <= clipnorm:
            return
        scale = np.float32(clipnorm / norm)
    else:
        scale = np.float32("nan")
    for array in arrays:
        array *= scale


def clip_by_value_(arrays, clipvalue: float) -> None:
    """Clip each element to [-clipvalue, clipvalue] (two in-place passes beat np.clip).

    Example:
        >>> arrays = [np.array([-2.0, 0.5, 3.0], np.float32)]
        >>> clip_by_value_(arrays, 1.0)
        >>> arrays[0]
        array([-1. ,  0.5,  1. ], dtype=float32)
    """
    high, low = np.float32(clipvalue), np.float32(-clipvalue)
    for array in arrays:
        np.minimum(array, high, out=array)
        np.maximum(array, low, out=array)


def clip_gradients(optimizer, state, indices) -> None:
    """Apply the optimizer's one clipping option (if any) to this step's gradients."""
    if optimizer.clipnorm and optimizer.clipnorm > 0:
        views = state.grad_views
        clip_by_norm_([views[i] for i in (range(len(views)) if indices is None else indices)],
                      optimizer.clipnorm)
    elif optimizer.global_clipnorm and optimizer.global_clipnorm > 0:
        clip_by_global_norm_(gradient_arrays(state, indices), optimizer.global_clipnorm)
    elif optimizer.clipvalue and optimizer.clipvalue > 0:
        clip_by_value_(gradient_arrays(state, indices), optimizer.clipvalue)


def decay_weights(optimizer, state, indices, learning_rate: float) -> None:
    """Decoupled weight decay: shrink the decayed variables before the update."""
    mask = optimizer._decay_mask
    if mask is None:
        mask = [optimizer._use_weight_decay(v) for v in state.variables]
        optimizer._decay_mask = mask
    factor = 1.0 - float32(float32(optimizer.weight_decay) * learning_rate)
    if indices is None and state.flat and all(mask):
        state.ensure_adopted()
        state.param_flat *= factor
        return
    variables = state.variables
    for i in range(len(variables)) if indices is None else indices:
        if mask[i]:
            variables[i].data *= factor


def average_arrays(state) -> list:
    """(param, moving average, spare) triples for the EMA update over every variable."""
    averages = state.slot_views["average"]
    if state.flat:
        state.ensure_adopted()
        return [(state.param_flat, state.slot_flat["average"], state.grad_flat)]
    return [(v.data, average, spare)
            for v, average, spare in zip(state.variables, averages, state.grad_views)]


def update_moving_average(optimizer, iterations: int) -> None:
    """The EMA of every built variable; every ``ema_overwrite_frequency`` steps, copy it back."""
    momentum = float32(optimizer.ema_momentum) if iterations != 0 else 0.0
    for param, average, spare in average_arrays(optimizer._state):
        average *= momentum
        np.multiply(param, 1.0 - momentum, out=spare)  # spare: the gradient buffer, now free
        average += spare
    frequency = optimizer.ema_overwrite_frequency
    if frequency and (iterations + 1) % frequency == 0:
        optimizer.finalize_variable_values(optimizer._state.variables)
