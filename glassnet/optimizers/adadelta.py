"""Adadelta: step sizes from running averages of squared gradients and squared updates.

As ``keras.optimizers.Adadelta``:
``G = rho * G + (1 - rho) * g**2``,
``delta = -sqrt(D + epsilon) * g / sqrt(G + epsilon)``,
``D = rho * D + (1 - rho) * delta**2`` and ``w += learning_rate * delta``.

Example:
    >>> model.compile(optimizer=Adadelta(learning_rate=1.0), loss="mse")
"""

from __future__ import annotations

import numpy as np

from glassnet.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta (defaults as Keras: learning_rate=0.001, rho=0.95, epsilon=1e-7).

    Example:
        >>> Adadelta().rho
        0.95
    """

    scratch_count = 1

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = 1e-7 if epsilon is None else epsilon  # Keras 2 allowed None

    def slot_groups(self) -> list:
        return [("accumulated_grad", "accumulated_delta_var")]

    def update_coefficients(self, learning_rate, step):
        return learning_rate, self.rho, 1.0 - self.rho, self.epsilon

    def update_rule(self, param, grad, slots, scratch, coefficients) -> None:
        learning_rate, rho, one_minus_rho, epsilon = coefficients
        grad_average = slots["accumulated_grad"]
        delta_average = slots["accumulated_delta_var"]
        spare = scratch[0]
        grad_average *= rho
        np.multiply(grad, grad, out=spare)
        spare *= one_minus_rho
        grad_average += spare
        np.add(delta_average, epsilon, out=spare)
        np.sqrt(spare, out=spare)
        grad *= spare
        np.add(grad_average, epsilon, out=spare)
        np.sqrt(spare, out=spare)
        grad /= spare  # grad is now -delta
        delta_average *= rho
        np.multiply(grad, grad, out=spare)
        spare *= one_minus_rho
        delta_average += spare
        grad *= learning_rate
        param -= grad

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
