"""Lion ("EvoLved Sign Momentum"): steps of fixed size in the sign of a momentum blend.

As ``keras.optimizers.Lion``: ``w -= learning_rate * sign(beta_1 * m + (1 - beta_1) * g)``,
then ``m = beta_2 * m + (1 - beta_2) * g``.

Example:
    >>> model.compile(optimizer=Lion(learning_rate=1e-4), loss="mse")
"""

from __future__ import annotations

import numpy as np

from glassnet.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Lion (defaults as Keras: 0.001, beta_1=0.9, beta_2=0.99).

    Example:
        >>> Lion().beta_2
        0.99
    """

    scratch_count = 2

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the (0, 1] range; otherwise Lion "
                             f"degenerates to sign SGD. Received: beta_1={beta_1}.")
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def slot_groups(self) -> list:
        return [("momentum",)]

    def update_coefficients(self, learning_rate, step):
        return learning_rate, self.beta_1, 1.0 - self.beta_1, self.beta_2, 1.0 - self.beta_2

    def update_rule(self, param, grad, slots, scratch, coefficients) -> None:
        learning_rate, beta_1, one_minus_beta_1, beta_2, one_minus_beta_2 = coefficients
        m = slots["momentum"]
        blend, spare = scratch
        np.multiply(m, beta_1, out=blend)
        np.multiply(grad, one_minus_beta_1, out=spare)
        blend += spare
        np.sign(blend, out=blend)
        blend *= learning_rate
        param -= blend
        m *= beta_2
        grad *= one_minus_beta_2
        m += grad

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
