"""Concatenate / concatenate: join a list of tensors along one axis (the last by default).

Example:
    >>> a, b = Input(shape=(4,)), Input(shape=(6,))
    >>> concatenate([a, b]).shape
    (None, 10)
"""

from __future__ import annotations

import numpy as np

from glassnet import ops
from glassnet.layers.layer import Layer


class Concatenate(Layer):
    """Concatenates a list of inputs that agree in every size but the one along ``axis``.

    Args:
        axis: the axis to join along (default -1).

    Example:
        >>> Concatenate()([np.zeros((2, 3)), np.ones((2, 1))]).shape
        (2, 4)
    """

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def build(self, input_shape) -> None:
        if not isinstance(input_shape, (list, tuple)) or not input_shape or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError("A `Concatenate` layer should be called on a list of at least 1 "
                             f"input. Received: input_shape={input_shape}")
        ranks = {len(shape) for shape in input_shape}
        error = ValueError("A `Concatenate` layer requires inputs with matching shapes except "
                           f"for the concatenation axis. Received: input_shape={list(input_shape)}")
        if len(ranks) != 1:
            raise error
        axis = self.axis % next(iter(ranks))
        for position in range(1, next(iter(ranks))):
            if position == axis:
                continue
            sizes = {shape[position] for shape in input_shape} - {None}
            if len(sizes) > 1:
                raise error
        self.built = True

    def call(self, inputs):
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError("A `Concatenate` layer should be called on a list of inputs. "
                             f"Received: input_shape={input_shape}")
        output = list(input_shape[0])
        for shape in input_shape[1:]:
            if output[self.axis] is None or shape[self.axis] is None:
                output[self.axis] = None
                break
            output[self.axis] += shape[self.axis]
        return tuple(output)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError("The lists `inputs` and `mask` should have the same length. "
                             f"Received: inputs={inputs}, mask={mask}")
        if all(m is None for m in mask):
            return None
        # Unmasked inputs count as all present; a mask of lower rank covers its trailing axis.
        full = []
        for x, m in zip(inputs, mask):
            if m is None:
                full.append(np.ones(x.shape, dtype=bool))
            else:
                m = np.asarray(m, dtype=bool)
                if m.ndim < len(x.shape):
                    m = np.broadcast_to(m[..., None], x.shape)
                full.append(m)
        return np.concatenate(full, axis=self.axis).any(axis=-1)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis: int = -1, **kwargs):
    """Functional form of :class:`Concatenate`: ``concatenate([a, b], axis=-1)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)
