"""Learning-rate schedules, as in ``keras.optimizers.schedules``.

Example:
    >>> from glassnet.optimizers import schedules, SGD
    >>> opt = SGD(learning_rate=schedules.ExponentialDecay(0.1, decay_steps=100,
    ...                                                    decay_rate=0.96))
"""

from glassnet.optimizers.schedules.learning_rate_schedule import (
    CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, LearningRateSchedule,
    PiecewiseConstantDecay, PolynomialDecay, deserialize, serialize)

__all__ = ["LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay",
           "InverseTimeDecay", "PolynomialDecay", "CosineDecay", "CosineDecayRestarts",
           "serialize", "deserialize"]
