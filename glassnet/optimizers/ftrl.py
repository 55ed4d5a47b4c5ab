"""FTRL-Proximal ("Follow The Regularized Leader"), as ``keras.optimizers.Ftrl``.

With ``p = -learning_rate_power`` and ``n`` the accumulated squared gradients:
``n_new = n + g**2``,
``linear += g + 2 * l2_shrinkage * w - (n_new**p - n**p) / learning_rate * w``,
``quadratic = n_new**p / learning_rate + 2 * (l2 + beta / (2 * learning_rate))`` and
``w = (clip(linear, -l1, l1) - linear) / quadratic``.

Example:
    >>> opt = Ftrl(learning_rate=0.1, l1_regularization_strength=0.01)
"""

from __future__ import annotations

import numpy as np

from glassnet.optimizers.optimizer import Optimizer


class Ftrl(Optimizer):
    """FTRL (defaults as Keras: 0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
    all regularization strengths 0.0, beta=0.0).

    Example:
        >>> Ftrl().learning_rate_power
        -0.5
    """

    scratch_count = 2

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        checks = (("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
                  ("l1_regularization_strength", l1_regularization_strength, "positive or zero"),
                  ("l2_regularization_strength", l2_regularization_strength, "positive or zero"),
                  ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength,
                   "positive or zero"))
        for name, value, expected in checks:
            if value < 0.0:
                raise ValueError(f"`{name}` needs to be {expected}. Received: {name}={value}.")
        if learning_rate_power > 0.0:
            raise ValueError("`learning_rate_power` needs to be negative or zero. "
                             f"Received: learning_rate_power={learning_rate_power}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def slot_groups(self) -> list:
        return [("accumulator", "linear")]

    def slot_initial_value(self, slot_name: str) -> float:
        return self.initial_accumulator_value if slot_name == "accumulator" else 0.0

    def update_coefficients(self, learning_rate, step):
        l2 = self.l2_regularization_strength + self.beta / (2.0 * learning_rate)
        return (learning_rate, -self.learning_rate_power, 2.0 * l2,
                self.l1_regularization_strength, 2.0 * self.l2_shrinkage_regularization_strength)

    def update_rule(self, param, grad, slots, scratch, coefficients) -> None:
        learning_rate, power, two_l2, l1, two_shrinkage = coefficients
        accumulator, linear = slots["accumulator"], slots["linear"]
        old_power, new_power = scratch

        def raise_to_power(array, out):
            if power == 0.5:  # the default; sqrt is far cheaper than np.power
                np.sqrt(array, out=out)
            else:
                np.power(array, power, out=out)

        raise_to_power(accumulator, old_power)
        np.multiply(grad, grad, out=new_power)
        accumulator += new_power  # the new accumulator
        raise_to_power(accumulator, new_power)
        np.subtract(new_power, old_power, out=old_power)
        old_power /= learning_rate
        old_power *= param
        linear += grad
        linear -= old_power
        if two_shrinkage:
            np.multiply(param, two_shrinkage, out=grad)
            linear += grad
        new_power /= learning_rate
        new_power += two_l2  # the quadratic term
        if l1 > 0:
            np.minimum(linear, l1, out=old_power)
            np.maximum(old_power, -l1, out=old_power)
            old_power -= linear
            np.divide(old_power, new_power, out=param)
        else:
            np.divide(linear, new_power, out=param)
            np.negative(param, out=param)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta})
        return config
