"""Adam: momentum plus per-weight step sizes from a running mean of squared gradients.

As ``keras.optimizers.Adam``:
``m += (g - m) * (1 - beta_1)``, ``v += (g**2 - v) * (1 - beta_2)`` and
``w -= alpha * m / (sqrt(v) + epsilon)`` with the bias-corrected step
``alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)`` (epsilon outside the
square root, as in Keras).  ``amsgrad=True`` divides by the running maximum of ``v``.

The update is 12 in-place ufunc passes over one flat buffer (see ``update_rule``).

Example:
    >>> model.compile(optimizer=Adam(learning_rate=2e-4), loss="binary_crossentropy")
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.optimizers.optimizer import Optimizer
from glassnet.optimizers.values import float32


class Adam(Optimizer):
    """Adam (defaults as Keras: 0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False).

    Example:
        >>> opt = Adam()
        >>> opt.apply([np.ones(3)], [Variable(np.zeros(3))])
        >>> [v.name for v in opt.variables][:4]
        ['iteration', 'learning_rate', 'variable_momentum', 'variable_velocity']
    """

    scratch_count = 1

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = 1e-7 if epsilon is None else epsilon  # Keras 2 allowed None
        self.amsgrad = amsgrad

    def slot_groups(self) -> list:
        groups = [("momentum", "velocity")]
        if self.amsgrad:
            groups.append(("velocity_hat",))
        return groups

    def update_coefficients(self, learning_rate, step):
        # Keras raises the float32 betas to the step in float32; 1 - beta**t magnifies that
        # rounding (~1e-5 relative), so the powers are rounded the same way here.
        beta_1_power = float32(float32(self.beta_1) ** step)
        beta_2_power = float32(float32(self.beta_2) ** step)
        alpha = learning_rate * math.sqrt(1.0 - beta_2_power) / (1.0 - beta_1_power)
        one_minus_beta_1 = 1.0 - self.beta_1
        rescale = (1.0 - self.beta_2) / one_minus_beta_1 ** 2 if one_minus_beta_1 else 0.0
        return (alpha, self.beta_1, one_minus_beta_1, self.beta_2, 1.0 - self.beta_2, rescale,
                self.epsilon)

    def update_rule(self, param, grad, slots, scratch, coefficients) -> None:
        alpha, beta_1, one_minus_beta_1, beta_2, one_minus_beta_2, rescale, epsilon = coefficients
        m, v, spare = slots["momentum"], slots["velocity"], scratch[0]
        if one_minus_beta_1 >= 0.01:
            # Every pass writes into one of its inputs: on 40K float32 that costs about half
            # of writing into a third array.  Keras's textbook form m += (g - m)(1 - beta_1)
            # overwrites g, which then forces an out-of-place g*g; this form (the order of
            # Keras's torch backend) keeps g recoverable: grad becomes (1 - beta_1) g, and its
            # square times (1 - beta_2) / (1 - beta_1)**2 is (1 - beta_2) g**2.  Rounding stays
            # within a few float32 ulps of Keras; (1 - beta_1) >= 0.01 keeps the square away
            # from float32 underflow for any gradient above 1e-17.
            grad *= one_minus_beta_1
            m *= beta_1
            m += grad
            grad *= grad
            grad *= rescale
            v *= beta_2
            v += grad
        else:
            np.multiply(grad, grad, out=spare)
            spare -= v
            spare *= one_minus_beta_2
            v += spare
            grad -= m
            grad *= one_minus_beta_1
            m += grad
        if self.amsgrad:
            v_hat = slots["velocity_hat"]
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        np.sqrt(v, out=spare)
        spare += epsilon
        np.divide(m, spare, out=spare)
        spare *= alpha
        param -= spare

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "amsgrad": self.amsgrad})
        return config
