"""Adamax: Adam with the infinity norm, as ``keras.optimizers.Adamax``.

``m += (g - m) * (1 - beta_1)``, ``u = max(beta_2 * u, |g|)`` and
``w -= learning_rate * m / ((1 - beta_1**t) * (u + epsilon))``.

Example:
    >>> model.compile(optimizer=Adamax(learning_rate=0.002), loss="mse")
"""

from __future__ import annotations

import numpy as np

from glassnet.optimizers.optimizer import Optimizer
from glassnet.optimizers.values import float32


class Adamax(Optimizer):
    """Adamax (defaults as Keras: 0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7).

    Example:
        >>> Adamax().beta_2
        0.999
    """

    scratch_count = 1

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = 1e-7 if epsilon is None else epsilon  # Keras 2 allowed None

    def slot_groups(self) -> list:
        return [("momentum", "norm")]

    def update_coefficients(self, learning_rate, step):
        beta_1_power = float32(float32(self.beta_1) ** step)  # float32, as Keras
        return (learning_rate / (1.0 - beta_1_power), 1.0 - self.beta_1, self.beta_2,
                self.epsilon)

    def update_rule(self, param, grad, slots, scratch, coefficients) -> None:
        step_size, one_minus_beta_1, beta_2, epsilon = coefficients
        m, u, spare = slots["momentum"], slots["norm"], scratch[0]
        np.subtract(grad, m, out=spare)
        spare *= one_minus_beta_1
        m += spare
        np.abs(grad, out=grad)
        u *= beta_2
        np.maximum(u, grad, out=u)
        np.add(u, epsilon, out=spare)
        np.divide(m, spare, out=spare)
        spare *= step_size
        param -= spare

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
