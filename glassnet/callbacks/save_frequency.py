"""``save_freq=N``: the batch counting that ModelCheckpoint and BackupAndRestore share.

Batches are counted across epochs (a batch index not above the last one seen starts a new
epoch), and a save is due every ``N`` batches.

Example:
    >>> counter = BatchCounter(2)
    >>> [counter.due(batch) for batch in (0, 1, 2, 0, 1)]
    [False, True, False, True, False]
"""

from __future__ import annotations


class BatchCounter:
    """Says when ``save_freq`` batches have passed since the last save."""

    def __init__(self, save_freq: int):
        self.save_freq = save_freq
        self.since_last_save = 0
        self.last_batch = None

    def due(self, batch: int) -> bool:
        if self.last_batch is None or batch <= self.last_batch:
            added = batch + 1  # a new epoch started
        else:
            added = batch - self.last_batch
        self.since_last_save += added
        self.last_batch = batch
        if self.since_last_save >= self.save_freq:
            self.since_last_save = 0
            return True
        return False
