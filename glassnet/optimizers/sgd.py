"""SGD: gradient descent, optionally with (Nesterov) momentum, as ``keras.optimizers.SGD``.

Without momentum ``w -= learning_rate * g``.  With momentum
``velocity = momentum * velocity - learning_rate * g`` and ``w += velocity``; Nesterov
momentum looks ahead: ``w += momentum * velocity - learning_rate * g``.

Example:
    >>> opt = SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    >>> model.compile(optimizer=opt, loss="mse")
"""

from __future__ import annotations

import numbers

import numpy as np

from glassnet.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with optional momentum (defaults as Keras: 0.01, 0.0, False).

    Example:
        >>> SGD(learning_rate=0.1, momentum=0.9).get_config()["momentum"]
        0.9
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if (isinstance(momentum, bool) or not isinstance(momentum, numbers.Real)
                or not 0 <= momentum <= 1):
            raise ValueError("`momentum` must be a float between [0, 1]. "
                             f"Received: momentum={momentum!r}")
        self.momentum = momentum
        self.nesterov = nesterov

    @property
    def scratch_count(self) -> int:
        return 1 if self.momentum != 0 and self.nesterov else 0

    def slot_groups(self) -> list:
        return [("momentum",)] if self.momentum != 0 else []

    def update_coefficients(self, learning_rate, step):
        return learning_rate, self.momentum

    def update_rule(self, param, grad, slots, scratch, coefficients) -> None:
        learning_rate, momentum = coefficients
        grad *= learning_rate  # grad is now the plain step learning_rate * g
        velocity = slots.get("momentum")
        if velocity is None:
            param -= grad
            return
        velocity *= momentum
        velocity -= grad
        if self.nesterov:
            param -= grad
            np.multiply(velocity, momentum, out=scratch[0])
            param += scratch[0]
        else:
            param += velocity

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
