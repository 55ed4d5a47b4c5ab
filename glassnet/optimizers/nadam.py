"""Nadam: Adam with Nesterov momentum, as ``keras.optimizers.Nadam``.

The momentum schedule is ``u_t = beta_1 * (1 - 0.5 * 0.96**t)`` and its running product
``u_product`` is part of the optimizer state.  With ``m`` and ``v`` updated as in Adam:
``m_hat = u_{t+1} * m / (1 - u_product * u_{t+1}) + (1 - u_t) * g / (1 - u_product)``,
``v_hat = v / (1 - beta_2**t)`` and ``w -= learning_rate * m_hat / (sqrt(v_hat) + epsilon)``.

Example:
    >>> model.compile(optimizer=Nadam(), loss="mse")
"""

from __future__ import annotations

import numpy as np

from glassnet.optimizers.optimizer import Optimizer
from glassnet.optimizers.values import float32


class Nadam(Optimizer):
    """Nadam (defaults as Keras: 0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7).

    Example:
        >>> Nadam().beta_1
        0.9
    """

    scratch_count = 1

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = 1e-7 if epsilon is None else epsilon  # Keras 2 allowed None
        self._u_product = None

    def build(self, variables) -> None:
        if self.built:
            return
        variables = list(variables)
        super().build(variables)
        dtype = variables[0].dtype if variables else np.float32
        # Keras leaves this variable unnamed ('variable', 'variable_1', ... by session).
        self._u_product = self.add_variable((), initializer=1.0, dtype=dtype, name="u_product")

    def slot_groups(self) -> list:
        return [("momentum", "velocity")]

    def update_coefficients(self, learning_rate, step):
        # Each scalar op rounded to float32 as Keras computes them: 1 - u_product and
        # 1 - beta_2**t magnify any difference in the last bits.
        beta_1 = float32(self.beta_1)
        decay = float32(0.96)
        u_t = float32(beta_1 * float32(1.0 - float32(0.5 * float32(decay ** step))))
        u_next = float32(beta_1 * float32(1.0 - float32(0.5 * float32(decay ** (step + 1)))))
        u_product = float32(float(self._u_product.data) * u_t)
        self._u_product.data[()] = u_product  # advances once per update step
        u_product_next = float32(u_product * u_next)
        beta_2_power = float32(float32(self.beta_2) ** step)
        return (learning_rate, 1.0 - self.beta_1, 1.0 - self.beta_2,
                u_next / (1.0 - u_product_next), (1.0 - u_t) / (1.0 - u_product),
                1.0 - beta_2_power, self.epsilon)

    def update_rule(self, param, grad, slots, scratch, coefficients) -> None:
        (learning_rate, one_minus_beta_1, one_minus_beta_2, momentum_weight, grad_weight,
         velocity_correction, epsilon) = coefficients
        m, v, spare = slots["momentum"], slots["velocity"], scratch[0]
        np.multiply(grad, grad, out=spare)
        spare -= v
        spare *= one_minus_beta_2
        v += spare
        np.subtract(grad, m, out=spare)
        spare *= one_minus_beta_1
        m += spare
        grad *= grad_weight
        np.multiply(m, momentum_weight, out=spare)
        grad += spare  # grad is now m_hat
        np.divide(v, velocity_correction, out=spare)
        np.sqrt(spare, out=spare)
        spare += epsilon
        grad /= spare
        grad *= learning_rate
        param -= grad

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
