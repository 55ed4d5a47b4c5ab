"""LayerNormalization: normalize each sample over its feature axis (or axes), then scale by
``gamma`` and shift by ``beta``; unlike BatchNormalization nothing depends on the batch.

Example:
    >>> layer = LayerNormalization()
    >>> y = layer(np.array([[1.0, 2.0, 3.0]]))
    >>> np.round(y.numpy(), 3)
    array([[-1.224,  0.   ,  1.224]], dtype=float32)
"""

from __future__ import annotations

import warnings

from glassnet import initializers, regularizers
from glassnet.layers.layer import Layer
from glassnet.ops.layer_norm import layer_norm


class LayerNormalization(Layer):
    """Layer normalization with Keras 3's arguments (epsilon 1e-3, center and scale on)."""

    def __init__(self, axis=-1, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer="zeros", gamma_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        if kwargs.pop("rms_scaling", False):
            warnings.warn("You passed `rms_scaling=True`, which is deprecated and ignored "
                          "here; use RMS normalization explicitly instead.", stacklevel=2)
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError("Expected an int or a list/tuple of ints for the argument 'axis', "
                            f"but received: {axis!r}")
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.supports_masking = True
        self.gamma = self.beta = None

    def _axes(self) -> list:
        return sorted(self.axis) if isinstance(self.axis, list) else [self.axis]

    def build(self, input_shape) -> None:
        rank = len(input_shape)
        for axis in self._axes():
            if not -rank <= axis < rank:
                raise ValueError(f"Axis {axis} is out of bounds for input shape "
                                 f"{tuple(input_shape)}. Received: axis={self.axis}")
        shape = tuple(input_shape[axis] for axis in self._axes())
        if self.scale:
            self.gamma = self.add_weight(name="gamma", shape=shape,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(name="beta", shape=shape,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.built = True

    def call(self, inputs):
        return layer_norm(inputs, self.gamma, self.beta, axes=tuple(self._axes()),
                          epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        def optional(item):
            return None if item is None else regularizers.serialize(item)

        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale, "rms_scaling": False,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": optional(self.beta_regularizer),
                "gamma_regularizer": optional(self.gamma_regularizer),
                "beta_constraint": None, "gamma_constraint": None}
