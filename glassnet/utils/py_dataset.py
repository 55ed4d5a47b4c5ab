"""``PyDataset`` (Keras 3) and its old name ``Sequence``: batches by index, for data that
does not fit in memory or is made on the fly.

Example:
    >>> class Batches(glassnet.utils.Sequence):
    ...     def __init__(self, x, y, batch_size):
    ...         super().__init__()
    ...         self.x, self.y, self.batch_size = x, y, batch_size
    ...     def __len__(self):
    ...         return -(-len(self.x) // self.batch_size)
    ...     def __getitem__(self, index):
    ...         rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
    ...         return self.x[rows], self.y[rows]
    >>> model.fit(Batches(x, y, 32), epochs=3)
"""

from __future__ import annotations


class PyDataset:
    """Base class: define ``__len__`` (batches per epoch) and ``__getitem__(index)``
    (one batch: ``x``, ``(x, y)`` or ``(x, y, sample_weight)``); ``on_epoch_end`` runs after
    each epoch.  ``workers``, ``use_multiprocessing`` and ``max_queue_size`` are accepted
    for Keras compatibility; batches are made in this process, one at a time."""

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False,
                 max_queue_size: int = 10):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__ (the number of "
                                  "batches per epoch).")

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(index), "
                                  "returning one batch.")

    def on_epoch_end(self) -> None:
        """Called after each epoch (shuffle the order here if you like)."""

    @property
    def num_batches(self) -> int:
        return len(self)


#: The Keras 2 name.
Sequence = PyDataset
