"""Merge: the base of the layers that combine a list of tensors element by element (Add,
Subtract, Multiply, Average, Maximum, Minimum), with Keras's shape rules: the sizes after
the batch axis broadcast against each other, and inputs of lower rank get axes of size 1
inserted after the batch axis.

Example:
    >>> Add()([np.ones((2, 3)), np.ones((2, 3))]).shape
    (2, 3)
"""

from __future__ import annotations

import numpy as np

from glassnet.layers.layer import Layer
from glassnet.ops import reshape


def broadcast_shape(shape1, shape2):
    """The shape of an element-wise result of tensors of ``shape1`` and ``shape2`` (both
    without the batch axis); None where a size is unknown."""
    if shape1 is None or shape2 is None:
        return None
    if len(shape1) < len(shape2):
        return broadcast_shape(shape2, shape1)
    if not shape2:
        return tuple(shape1)
    result = list(shape1[:-len(shape2)])
    for i, j in zip(shape1[-len(shape2):], shape2):
        if i is None or j is None:
            result.append(None)
        elif i == 1:
            result.append(j)
        elif j == 1 or i == j:
            result.append(i)
        else:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes {tuple(shape1)} "
                             f"and {tuple(shape2)}")
    return tuple(result)


def _is_shape_list(input_shape) -> bool:
    return isinstance(input_shape, (list, tuple)) and bool(input_shape) and \
        isinstance(input_shape[0], (list, tuple))


def expand_mask(mask, like) -> np.ndarray:
    """A (batch, steps) mask as a float array broadcast to the shape of ``like``."""
    mask = np.asarray(mask, dtype=bool)
    mask = mask.reshape(mask.shape + (1,) * (len(like.shape) - mask.ndim))
    return np.broadcast_to(mask, like.shape).astype(like.dtype)


class Merge(Layer):
    """Base class: subclasses define ``_merge_function(inputs)`` on a list of Tensors."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs):
        raise NotImplementedError

    def build(self, input_shape) -> None:
        if not _is_shape_list(input_shape):
            raise ValueError("A merge layer should be called on a list of inputs. Received: "
                             f"input_shape={input_shape} (not a list of shapes)")
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError("Cannot merge tensors with different batch sizes. Received tensors "
                             f"with shapes {list(input_shape)}")
        self.compute_output_shape(input_shape)  # raises on shapes that do not broadcast
        self._reshape_required = len({len(s) for s in input_shape}) != 1
        self.built = True

    def compute_output_shape(self, input_shape):
        if not _is_shape_list(input_shape):
            raise ValueError("A merge layer should be called on a list of inputs. Received: "
                             f"input_shape={input_shape} (not a list of shapes)")
        output_shape = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            output_shape = broadcast_shape(output_shape, tuple(shape[1:]))
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        batch = next(iter(batch_sizes)) if len(batch_sizes) == 1 else None
        return (batch,) + output_shape

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("A merge layer should be called on a list of inputs. Received: "
                             f"inputs={inputs} (not a list of tensors)")
        inputs = list(inputs)
        ranks = [len(x.shape) for x in inputs]
        if len(set(ranks)) > 1:
            # Insert axes of size 1 after the batch axis until the ranks agree (as Keras).
            top = max(ranks)
            expanded = []
            for x in inputs:
                if len(x.shape) < top:
                    mask = x._keras_mask
                    shape = (x.shape[0],) + (1,) * (top - len(x.shape)) + tuple(x.shape[1:])
                    x = reshape(x, shape)
                    x._keras_mask = mask
                expanded.append(x)
            inputs = expanded
        return self._merge_function(inputs)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)):
            raise ValueError(f"`mask` should be a list. Received: mask={mask}")
        if any(m is None for m in mask):
            return None
        output = np.asarray(mask[0], dtype=bool)
        for m in mask[1:]:
            output = np.logical_or(output, np.asarray(m, dtype=bool))
        return output
