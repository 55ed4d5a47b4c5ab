"""TerminateOnNaN: stop training as soon as a batch's loss is NaN or infinite.

``fit`` already stops on a non-finite loss by itself (with a diagnosis, see
``glassnet.training.numerics``); this callback adds Keras's message, or an exception with
``raise_error=True``.

Example:
    >>> model.fit(x, y, callbacks=[TerminateOnNaN()])
    Batch 3: Invalid loss, terminating training
"""

from __future__ import annotations

import math

from glassnet.callbacks.callback import Callback
from glassnet.utils.progbar import write


class TerminateOnNaN(Callback):
    """Set ``model.stop_training`` (or raise RuntimeError with ``raise_error=True``) when
    the batch logs show a NaN or infinite loss.

    Example:
        >>> model.fit(x, y, callbacks=[TerminateOnNaN(raise_error=True)])
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: "
                               f"{loss}. Terminating training immediately.")
        write(f"Batch {batch}: Invalid loss, terminating training\n")
        self.model.stop_training = True
