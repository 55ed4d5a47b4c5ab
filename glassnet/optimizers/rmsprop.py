"""RMSprop: divide the gradient by a running root mean square, as ``keras.optimizers.RMSprop``.

``v = rho * v + (1 - rho) * g**2``; the step is ``learning_rate * g / sqrt(v + epsilon)``
(epsilon inside the square root, as in Keras).  ``centered=True`` also tracks the mean
gradient ``a`` and divides by ``sqrt(v - a**2 + epsilon)``; ``momentum`` accumulates steps.

Example:
    >>> model.compile(optimizer=RMSprop(learning_rate=1e-4), loss="binary_crossentropy")
"""

from __future__ import annotations

import numpy as np

from glassnet.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop (defaults as Keras: 0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False).

    Example:
        >>> RMSprop(lr=1e-4).learning_rate.numpy()  # the Keras 2 spelling works too
        array(0.0001, dtype=float32)
    """

    scratch_count = 1

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = 1e-7 if epsilon is None else epsilon  # Keras 2 allowed None
        self.centered = centered

    def slot_groups(self) -> list:
        groups = [("velocity",)]
        if self.momentum > 0:
            groups.append(("momentum",))
        if self.centered:
            groups.append(("average_gradient",))
        return groups

    def update_coefficients(self, learning_rate, step):
        return learning_rate, self.rho, 1.0 - self.rho, self.epsilon, self.momentum

    def update_rule(self, param, grad, slots, scratch, coefficients) -> None:
        learning_rate, rho, one_minus_rho, epsilon, momentum = coefficients
        velocity, spare = slots["velocity"], scratch[0]
        np.multiply(grad, grad, out=spare)
        spare *= one_minus_rho
        velocity *= rho
        velocity += spare
        if self.centered:
            average = slots["average_gradient"]
            average *= rho
            np.multiply(grad, one_minus_rho, out=spare)
            average += spare
            np.multiply(average, average, out=spare)
            np.subtract(velocity, spare, out=spare)
            spare += epsilon
        else:
            np.add(velocity, epsilon, out=spare)
        np.sqrt(spare, out=spare)
        grad *= learning_rate
        grad /= spare  # grad is now the increment learning_rate * g / sqrt(denominator)
        if self.momentum > 0:
            accumulated = slots["momentum"]
            accumulated *= momentum
            accumulated += grad
            param -= accumulated
        else:
            param -= grad

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                       "centered": self.centered})
        return config
