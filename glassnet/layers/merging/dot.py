"""Dot / dot: the dot product of two batches of samples along the given axes (Keras's
``batch_dot``), optionally of L2-normalised samples (cosine similarity).

Example:
    >>> a, b = Input(shape=(5, 3)), Input(shape=(5, 4))
    >>> Dot(axes=1)([a, b]).shape
    (None, 3, 4)
"""

from __future__ import annotations

from glassnet import ops
from glassnet.config import epsilon
from glassnet.layers.merging.base_merge import Merge


def _resolve_axes(axes, rank1: int, rank2: int) -> list:
    if isinstance(axes, int):
        return [axes % rank1, axes % rank2] if axes < 0 else [axes, axes]
    return [a % r if a < 0 else a for a, r in zip(axes, (rank1, rank2))]


def l2_normalize(x, axis: int):
    """x * min(1 / sqrt(sum(x ** 2)), 1 / epsilon) along ``axis`` (Keras's formula)."""
    inverse_norm = ops.power(ops.sum(ops.square(x), axis=axis, keepdims=True), -0.5)
    return ops.multiply(x, ops.minimum(inverse_norm, 1.0 / epsilon()))


def batch_dot(x, y, axes: list):
    """Per-sample dot product of ``x`` and ``y`` summing ``x``'s axis ``axes[0]`` against
    ``y``'s axis ``axes[1]``; the result keeps x's other axes, then y's (at least rank 2)."""
    x_rank, y_rank = len(x.shape), len(y.shape)
    a0, a1 = axes
    # Move the summed axis of x last and that of y to position 1, then one batched matmul.
    x_order = [i for i in range(x_rank) if i != a0] + [a0]
    y_order = [0, a1] + [i for i in range(1, y_rank) if i != a1]
    if x_order != list(range(x_rank)):
        x = ops.transpose(x, x_order)
    if y_order != list(range(y_rank)):
        y = ops.transpose(y, y_order)
    batch, x_mid, y_rest = x.shape[0], tuple(x.shape[1:-1]), tuple(y.shape[2:])
    x3 = ops.reshape(x, (batch, -1, x.shape[-1]))
    y3 = ops.reshape(y, (batch, y.shape[1], -1))
    result = ops.matmul(x3, y3)
    shape = (batch,) + x_mid + y_rest
    if len(shape) == 1:
        shape = (batch, 1)
    return ops.reshape(result, shape)


class Dot(Merge):
    """Dot product of two inputs along ``axes`` (an int, or one axis per input; never the
    batch axis 0).  With ``normalize=True`` the samples are L2-normalised first.

    Example:
        >>> Dot(axes=1)([np.ones((2, 3)), np.ones((2, 3))]).numpy()
        array([[3.], [3.]], dtype=float32)
    """

    def __init__(self, axes, normalize: bool = False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError("Invalid type for argument `axes`: it should be a list or an "
                                f"int. Received: axes={axes}")
            if len(axes) != 2:
                raise ValueError("Invalid format for argument `axes`: it should contain two "
                                 f"elements. Received: axes={axes}")
            if not all(isinstance(a, int) for a in axes):
                raise ValueError("Invalid format for argument `axes`: list elements should be "
                                 f"integers. Received: axes={axes}")
        self.axes = axes
        self.normalize = normalize

    def build(self, input_shape) -> None:
        if not isinstance(input_shape[0], (list, tuple)) or len(input_shape) != 2:
            raise ValueError("A `Dot` layer should be called on a list of 2 inputs. Received: "
                             f"input_shape={input_shape}")
        shape1, shape2 = input_shape
        axes = _resolve_axes(self.axes, len(shape1), len(shape2))
        if 0 in axes:
            raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not "
                             "batched, add a dummy batch dimension to your inputs.")
        if shape1[axes[0]] is not None and shape2[axes[1]] is not None and \
                shape1[axes[0]] != shape2[axes[1]]:
            raise ValueError(f"Incompatible input shapes: axis values {shape1[axes[0]]} (at axis "
                             f"{axes[0]}) != {shape2[axes[1]]} (at axis {axes[1]}). Full input "
                             f"shapes: {tuple(shape1)}, {tuple(shape2)}")
        self.built = True

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A `Dot` layer should be called on exactly 2 inputs. Received: "
                             f"inputs={inputs}")
        x1, x2 = inputs
        axes = _resolve_axes(self.axes, len(x1.shape), len(x2.shape))
        if self.normalize:
            x1, x2 = l2_normalize(x1, axes[0]), l2_normalize(x2, axes[1])
        return batch_dot(x1, x2, axes)

    def call(self, inputs):
        return self._merge_function(list(inputs))

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError("A `Dot` layer should be called on a list of 2 inputs. Received: "
                             f"input_shape={input_shape}")
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        axes = _resolve_axes(self.axes, len(shape1), len(shape2))
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        shape2.pop(0)
        output = shape1 + shape2
        if len(output) == 1:
            output += [1]
        return tuple(output)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs, axes=-1, normalize: bool = False, **kwargs):
    """Functional form of :class:`Dot`: ``dot([a, b], axes=1)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
