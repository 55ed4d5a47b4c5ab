"""ModelCheckpoint: save the model (or its weights) during training.

The file path is a format string filled with ``epoch`` (1-based), ``batch`` when saving
every N batches, and any log key: ``'./model/{epoch:02d}-{val_loss:.4f}.keras'``.  Missing
folders are created.  Each save is atomic: an interrupted save leaves the previous file
whole.  Older books' ``.hdf5`` / ``.h5`` names are accepted (with a one-time warning) and
written in glassnet's format.  A checkpoint holds what exact resume needs, so
``load_model(path).fit(..., initial_epoch=k)`` continues the same run.

Example:
    >>> checkpoint = ModelCheckpoint("./model/{epoch:02d}-{val_loss:.4f}.keras",
    ...                              monitor="val_loss", verbose=1, save_best_only=True)
    >>> model.fit(x, y, validation_split=0.2, epochs=2, callbacks=[checkpoint], verbose=0)
    <BLANKLINE>
    Epoch 1: val_loss improved from None to 0.35566, saving model to ./model/01-0.3557.keras
    <BLANKLINE>
    Epoch 1: finished saving model to ./model/01-0.3557.keras
    <BLANKLINE>
    Epoch 2: val_loss did not improve from 0.35566
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from glassnet.callbacks.monitor_callback import MonitorCallback
from glassnet.callbacks.save_frequency import BatchCounter
from glassnet.distribute import is_chief
from glassnet.utils.progbar import write


class ModelCheckpoint(MonitorCallback):
    """Save the model or its weights every epoch or every ``save_freq`` batches, optionally
    only when ``monitor`` improves (Keras 3's arguments, behaviour and messages).

    Args:
        filepath: where to save; may contain ``{epoch}``, ``{batch}`` and log keys.
        monitor: the log key compared with ``save_best_only`` (default 'val_loss').
        verbose: 1 prints a line for each decision.
        save_best_only: save only when ``monitor`` improves on the best value so far.
        save_weights_only: write ``save_weights`` files instead of whole models.
        mode: 'auto', 'min' or 'max' (see ``MonitorCallback``).
        save_freq: 'epoch', or an integer number of batches between saves.
        initial_value_threshold: the value ``monitor`` must beat for the first save.

    Example:
        >>> ModelCheckpoint("ckpt/{epoch:02d}.weights.npz", save_weights_only=True,
        ...                 save_freq=100)
    """

    def __init__(self, filepath, monitor: str = "val_loss", verbose: int = 0,
                 save_best_only: bool = False, save_weights_only: bool = False,
                 mode: str = "auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches = BatchCounter(save_freq)
        self._current_epoch = 0
        if save_freq != "epoch" and not (isinstance(save_freq, int)
                                         and not isinstance(save_freq, bool)):
            raise ValueError(f"Unrecognized save_freq: {save_freq}. Expected save_freq are "
                             "'epoch' or integer values")

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch" and self._batches.due(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_model(self, epoch: int, logs, filepath: str) -> bool:
        logs = logs or {}
        if not self.save_best_only:
            if self.verbose > 0:
                write(f"\nEpoch {epoch + 1}: saving model to {filepath}\n")
            return True
        current = logs.get(self.monitor)
        if self.monitor_op is None:
            # Saving every N batches can come before the first epoch end (Keras fails here).
            self._set_monitor_op()
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.",
                          stacklevel=2)
            return True
        if isinstance(current, np.ndarray) and current.ndim > 0:
            warnings.warn("Can save best model only when `monitor` is a scalar value. "
                          f"Received: {current}. Falling back to `save_best_only=False`.",
                          stacklevel=2)
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                write(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                      f"{current:.5f}, saving model to {filepath}\n")
            self.best = current
            return True
        if self.verbose > 0:
            write(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}\n")
        return False

    def _save_model(self, epoch: int, batch, logs) -> None:
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, logs, filepath):
            return
        if not is_chief():  # in a data-parallel job only rank 0 writes
            return
        if os.path.isdir(filepath):
            raise IOError("Please specify a non-directory filepath for ModelCheckpoint. "
                          f"Filepath used is an existing directory: {filepath}")
        folder = os.path.dirname(filepath)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if self.verbose > 0:
            write(f"\nEpoch {epoch + 1}: finished saving model to {filepath}\n")

    def _get_file_path(self, epoch: int, batch, logs) -> str:
        logs = dict(logs or {})
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". '
                           f"Reason: {error}") from None
