"""LearningRateScheduler: set the learning rate at the start of every epoch from a function.

Example:
    >>> def schedule(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> model.fit(x, y, epochs=15, callbacks=[LearningRateScheduler(schedule)])
"""

from __future__ import annotations

import numpy as np

from glassnet.callbacks.callback import Callback
from glassnet.callbacks.reduce_lr_on_plateau import _read_learning_rate
from glassnet.utils.progbar import write


class LearningRateScheduler(Callback):
    """``schedule(epoch, lr)`` (or the older ``schedule(epoch)``) gives each epoch's
    learning rate (a float); ``learning_rate`` is added to the epoch logs (Keras 3).

    Example:
        >>> LearningRateScheduler(lambda epoch: 0.01 * 0.9 ** epoch, verbose=1)
    """

    def __init__(self, schedule, verbose: int = 0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            learning_rate = self.schedule(epoch, _read_learning_rate(optimizer))
        except TypeError:  # schedule(epoch), the older signature
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError("The output of the `schedule` function should be a float. "
                             f"Got: {learning_rate}")
        optimizer.learning_rate = learning_rate
        if self.verbose > 0:
            write(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{learning_rate}.\n")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = _read_learning_rate(self.model.optimizer)
