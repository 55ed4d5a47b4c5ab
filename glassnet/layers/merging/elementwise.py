"""Element-wise merge layers and their function forms: ``Add`` / ``add``, ``Subtract`` /
``subtract``, ``Multiply`` / ``multiply``, ``Average`` / ``average``, ``Maximum`` /
``maximum``, ``Minimum`` / ``minimum``.  Each takes a list of tensors of the same (or
broadcastable) shape and returns one tensor of that shape.

Example:
    >>> x1 = Dense(8, activation="relu")(Input(shape=(16,)))
    >>> x2 = Dense(8, activation="relu")(Input(shape=(32,)))
    >>> add([x1, x2]).shape
    (None, 8)
"""

from __future__ import annotations

from glassnet import ops
from glassnet.layers.merging.base_merge import Merge, expand_mask


def _masks(inputs) -> list:
    return [getattr(x, "_keras_mask", None) for x in inputs]


class Add(Merge):
    """inputs[0] + inputs[1] + ...

    Example:
        >>> Add()([np.ones((2, 3)), np.ones((2, 3))]).numpy()[0]
        array([2., 2., 2.], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return output


class Subtract(Merge):
    """inputs[0] - inputs[1] (exactly two inputs).

    Example:
        >>> Subtract()([np.ones((2, 3)), np.ones((2, 3))]).numpy()[0]
        array([0., 0., 0.], dtype=float32)
    """

    def build(self, input_shape) -> None:
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={list(input_shape)}")

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: inputs={inputs}")
        return ops.subtract(inputs[0], inputs[1])


class Multiply(Merge):
    """inputs[0] * inputs[1] * ...; masked steps count as 1, and are 0 in the output where
    every input is masked (as Keras).

    Example:
        >>> Multiply()([np.full((1, 2), 2.0), np.full((1, 2), 3.0)]).numpy()
        array([[6., 6.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        masks = _masks(inputs)
        all_masked = all(m is not None for m in masks)
        output, output_mask = None, None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                keep = expand_mask(mask, x)
                x = ops.add(ops.multiply(x, keep), 1.0 - keep)  # masked entries become 1
                if all_masked:
                    output_mask = keep if output_mask is None else \
                        ((output_mask + keep) > 0).astype(keep.dtype)
            output = x if output is None else ops.multiply(output, x)
        if all_masked:
            output = ops.multiply(output, output_mask)
            output._keras_mask = output_mask.any(axis=-1)
        return output


class Average(Merge):
    """(inputs[0] + inputs[1] + ...) / len(inputs).

    Example:
        >>> Average()([np.zeros((1, 2)), np.full((1, 2), 4.0)]).numpy()
        array([[2., 2.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.add(output, x)
        return ops.divide(output, float(len(inputs)))


def _fold_with_masks(inputs, combine):
    """Combine inputs pairwise, skipping masked entries (Keras's rule for Maximum and
    Minimum, which have no neutral value): a masked entry takes the other side's value."""
    output, output_mask = None, None
    for x in inputs:
        mask = getattr(x, "_keras_mask", None)
        keep = None if mask is None else expand_mask(mask, x)
        if output is None:
            output, output_mask = x, keep
            continue
        if keep is not None:
            x = ops.add(ops.multiply(x, keep), ops.multiply(output, 1.0 - keep))
        if output_mask is not None:
            output = ops.add(ops.multiply(output, output_mask), ops.multiply(x, 1.0 - output_mask))
        if keep is not None and output_mask is not None:
            output_mask = ((output_mask + keep) > 0).astype(keep.dtype)
        else:
            output_mask = None
        output = combine(output, x)
    if output_mask is not None:
        output._keras_mask = output_mask.any(axis=-1)
    return output


class Maximum(Merge):
    """The element-wise maximum of the inputs.

    Example:
        >>> Maximum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).numpy()
        array([[3., 5.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        return _fold_with_masks(inputs, ops.maximum)


class Minimum(Merge):
    """The element-wise minimum of the inputs.

    Example:
        >>> Minimum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).numpy()
        array([[1., 2.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        return _fold_with_masks(inputs, ops.minimum)


def add(inputs, **kwargs):
    """Functional form of :class:`Add`: ``add([x, residual])``."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Functional form of :class:`Subtract`: ``subtract([x1, x2])``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Functional form of :class:`Multiply`: ``multiply([x1, x2])``."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Functional form of :class:`Average`: ``average([x1, x2])``."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Functional form of :class:`Maximum`: ``maximum([x1, x2])``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Functional form of :class:`Minimum`: ``minimum([x1, x2])``."""
    return Minimum(**kwargs)(inputs)
