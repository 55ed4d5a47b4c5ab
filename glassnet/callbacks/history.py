"""History: the object ``fit`` returns; ``history.history['loss']`` is the loss per epoch.

Example:
    >>> history = model.fit(x, y, epochs=3, verbose=0)
    >>> len(history.history["loss"])
    3
"""

from __future__ import annotations

import warnings

from glassnet.callbacks.callback import Callback


class HistoryDict(dict):
    """The per-epoch logs.  Looking up 'acc' finds 'accuracy' (and 'val_acc' finds
    'val_accuracy') with a warning, for code written against old Keras versions."""

    _ALIASES = {"acc": "accuracy", "val_acc": "val_accuracy",
                "accuracy": "acc", "val_accuracy": "val_acc"}

    def __missing__(self, key):
        alias = self._ALIASES.get(key)
        if alias is not None and alias in self:
            warnings.warn(f"history.history[{key!r}] is an old Keras name; this run logged "
                          f"{alias!r}. Use history.history[{alias!r}].", DeprecationWarning,
                          stacklevel=2)
            return dict.__getitem__(self, alias)
        raise KeyError(f"{key!r} is not in the history; it has {list(self)}.")


class History(Callback):
    """Records every epoch's logs in ``history`` (a dict of lists) and the epoch numbers.

    When ``fit`` stopped because a batch gave a NaN or infinite loss, ``numerical_fault``
    says where (see ``glassnet.training.numerics``); it is None otherwise.  It is kept
    outside ``history`` so that the dict holds only per-epoch metrics.
    """

    def __init__(self):
        super().__init__()
        self.history = HistoryDict()
        self.epoch: list = []
        self.numerical_fault = None

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self
