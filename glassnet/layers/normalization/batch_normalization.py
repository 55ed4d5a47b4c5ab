"""BatchNormalization: normalize each feature with the batch's statistics while training and
with moving averages of them afterwards, then scale by ``gamma`` and shift by ``beta``.

Weights, in Keras's order: gamma and beta (trainable), moving_mean and moving_variance
(non-trainable).  Each training call updates the moving statistics in place::

    moving_mean = moving_mean * momentum + batch_mean * (1 - momentum)   (likewise variance)

As in Keras 3, a layer with ``trainable = False`` always runs in inference mode (the
usual way to fine-tune a model that contains batch normalization).

Example:
    >>> layer = BatchNormalization()
    >>> y = layer(np.random.rand(32, 4), training=True)
    >>> [w.name for w in layer.weights]
    ['gamma', 'beta', 'moving_mean', 'moving_variance']
"""

from __future__ import annotations

from glassnet import initializers, regularizers
from glassnet.layers.layer import Layer
from glassnet.ops.normalization import BatchNorm, BatchNormInference


class BatchNormalization(Layer):
    """Batch normalization over ``axis`` (default -1, the channels of channels_last data)
    with Keras's defaults: momentum 0.99, epsilon 1e-3, ``center`` and ``scale`` on."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center: bool = True,
                 scale: bool = True, beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm: bool = False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized: bool = False, **kwargs):
        super().__init__(**kwargs)
        if synchronized:
            raise ValueError("Argument synchronized=True is only supported with the "
                             "TensorFlow backend.")
        if renorm:
            raise ValueError("BatchNormalization(renorm=True) is not supported by glassnet; "
                             "use renorm=False.")
        self.axis = int(axis)
        self.momentum, self.epsilon = float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.synchronized, self.renorm = False, False
        self.renorm_clipping, self.renorm_momentum = renorm_clipping, renorm_momentum
        self.supports_masking = True
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def _check_axis(self, shape) -> int:
        if not -len(shape) <= self.axis < len(shape):
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                             f"{tuple(shape)}. Received: axis={self.axis}")
        return self.axis % len(shape)

    def build(self, input_shape) -> None:
        features = input_shape[self._check_axis(input_shape)]
        if features is None:
            raise ValueError(f"BatchNormalization '{self.name}' needs the size of axis "
                             f"{self.axis} to be known; received input shape "
                             f"{tuple(input_shape)}.")
        shape = (features,)
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, dtype="float32")
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, dtype="float32")
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False, dtype="float32")
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False, dtype="float32")
        self.built = True

    def call(self, inputs, training=None):
        axis = self._check_axis(inputs.shape)
        expected = self.moving_mean.shape[0]
        if inputs.shape[axis] != expected:
            raise ValueError(f"BatchNormalization '{self.name}' expects inputs with {expected} "
                             f"features on axis {self.axis}, received shape "
                             f"{tuple(inputs.shape)}.")
        if training and self.trainable:
            op = BatchNorm(axis=axis, epsilon=self.epsilon)
            outputs = op(inputs, self.gamma, self.beta)
            keep = self.momentum
            self.moving_mean.assign(self.moving_mean.data * keep + op.mean * (1.0 - keep))
            self.moving_variance.assign(self.moving_variance.data * keep +
                                        op.variance * (1.0 - keep))
            return outputs
        return BatchNormInference(axis=axis, epsilon=self.epsilon)(
            inputs, self.moving_mean, self.moving_variance, self.gamma, self.beta)

    def compute_output_shape(self, input_shape):
        self._check_axis(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        def optional(regularizer):
            return None if regularizer is None else regularizers.serialize(regularizer)

        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(
                    self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(
                    self.moving_variance_initializer),
                "beta_regularizer": optional(self.beta_regularizer),
                "gamma_regularizer": optional(self.gamma_regularizer),
                "beta_constraint": None, "gamma_constraint": None,
                "synchronized": self.synchronized, "renorm": self.renorm,
                "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum}
