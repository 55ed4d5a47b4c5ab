"""LeakyReLU, ReLU, ELU and Softmax as layers (with Keras 3's defaults).

Example:
    >>> LeakyReLU(0.2)(np.array([-1.0, 2.0])).numpy()
    array([-0.2,  2. ], dtype=float32)
"""

from __future__ import annotations

import warnings

from glassnet.layers.layer import Layer
from glassnet.ops import activations as activation_ops


class _Elementwise(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def compute_output_shape(self, input_shape):
        return input_shape


class LeakyReLU(_Elementwise):
    """x for x > 0, ``negative_slope * x`` otherwise (default 0.3; ``alpha`` is the old name)."""

    def __init__(self, negative_slope: float = 0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.",
                          stacklevel=2)
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or "
                             f"negative; received negative_slope={negative_slope}.")
        self.negative_slope = float(negative_slope)

    def call(self, inputs):
        return activation_ops.LeakyReLU(self.negative_slope)(inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class ReLU(_Elementwise):
    """max(x, 0), optionally capped at ``max_value``, leaky and thresholded."""

    def __init__(self, max_value=None, negative_slope: float = 0.0, threshold: float = 0.0,
                 **kwargs):
        super().__init__(**kwargs)
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs):
        return activation_ops.ReLU(self.negative_slope, self.max_value, self.threshold)(inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class ELU(_Elementwise):
    """x for x > 0, ``alpha * (exp(x) - 1)`` otherwise."""

    def __init__(self, alpha: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha

    def call(self, inputs):
        return activation_ops.ELU(self.alpha)(inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


class Softmax(_Elementwise):
    """Softmax along ``axis`` (default the last)."""

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs, mask=None):
        if mask is not None:
            import numpy as np
            from glassnet.ops.elementwise import add
            penalty = np.where(np.asarray(mask.data if hasattr(mask, "data") else mask), 0.0,
                               -1e9).astype(inputs.dtype)
            inputs = add(inputs, penalty)
        return activation_ops.Softmax(self.axis)(inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
