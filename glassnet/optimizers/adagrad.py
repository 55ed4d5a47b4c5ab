"""Adagrad: per-weight step sizes that shrink with the sum of all past squared gradients.

As ``keras.optimizers.Adagrad``: ``accumulator += g**2`` (starting at
``initial_accumulator_value``) and ``w -= learning_rate * g / sqrt(accumulator + epsilon)``.

Example:
    >>> model.compile(optimizer=Adagrad(learning_rate=0.01), loss="mse")
"""

from __future__ import annotations

import numpy as np

from glassnet.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad (defaults as Keras: 0.001, initial_accumulator_value=0.1, epsilon=1e-7).

    Example:
        >>> Adagrad().initial_accumulator_value
        0.1
    """

    scratch_count = 1

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = 1e-7 if epsilon is None else epsilon  # Keras 2 allowed None

    def slot_groups(self) -> list:
        return [("accumulator",)]

    def slot_initial_value(self, slot_name: str) -> float:
        return self.initial_accumulator_value

    def update_coefficients(self, learning_rate, step):
        return learning_rate, self.epsilon

    def update_rule(self, param, grad, slots, scratch, coefficients) -> None:
        learning_rate, epsilon = coefficients
        accumulator, spare = slots["accumulator"], scratch[0]
        np.multiply(grad, grad, out=spare)
        accumulator += spare
        np.add(accumulator, epsilon, out=spare)
        np.sqrt(spare, out=spare)
        grad *= learning_rate
        grad /= spare
        param -= grad

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value,
                       "epsilon": self.epsilon})
        return config
