"""BackupAndRestore: survive an interrupted ``fit`` by resuming from the last backup.

At the end of every epoch (or every ``save_freq`` batches) the whole training state is
written to ``backup_dir``: weights, optimizer state, random generators and the epoch.
When ``fit`` starts again with the same callback after a crash, it restores that state
and continues from the next epoch, with the same result as an uninterrupted run.  The
backup is deleted when training ends normally (unless ``delete_checkpoint=False``).

Example:
    >>> backup = BackupAndRestore(backup_dir="/tmp/backup")
    >>> model.fit(x, y, epochs=10, callbacks=[backup])   # killed during epoch 6 ...
    >>> model.fit(x, y, epochs=10, callbacks=[backup])   # ... resumes at epoch 6
"""

from __future__ import annotations

import os
import shutil

from glassnet.callbacks.callback import Callback
from glassnet.callbacks.save_frequency import BatchCounter


class BackupAndRestore(Callback):
    """Back up the training state to ``backup_dir`` and restore it when ``fit`` restarts.

    Args:
        backup_dir: the folder for the backup (created if needed).
        save_freq: 'epoch', or an integer number of batches between backups.
        double_checkpoint: keep the previous backup too, used if the latest is damaged.
        delete_checkpoint: delete the backup when training ends normally.

    Example:
        >>> model.fit(x, y, epochs=10, callbacks=[BackupAndRestore("/tmp/backup")])
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint: bool = False,
                 delete_checkpoint: bool = True):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError("Invalid value for argument `save_freq`. Received: "
                             f"save_freq={save_freq}. Expected either 'epoch' or an integer "
                             "value.")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._state_path = os.path.join(self.backup_dir, "latest.keras")
        self._previous_path = self._state_path + ".bkp"
        self._batches = BatchCounter(save_freq)
        self._current_epoch = 0

    def on_train_begin(self, logs=None):
        from glassnet.saving.errors import ModelFileError
        from glassnet.saving.model_io import restore_into

        if not self.model.built:
            raise ValueError("To use the BackupAndRestore callback, your model must be built "
                             f"before you call `fit()`. Model {self.model} is unbuilt. You "
                             "can build it beforehand by calling it on a batch of data.")
        if not os.path.exists(self._state_path):
            return
        try:
            state = restore_into(self.model, self._state_path)
        except ModelFileError:
            if not os.path.exists(self._previous_path):
                raise
            state = restore_into(self.model, self._previous_path)
        # The epoch comes from the backup itself, so it always matches the weights.
        self._current_epoch = state.get("completed_epochs", 0)
        self.model._initial_epoch = self._current_epoch

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        if self.save_freq == "epoch":
            self._save()

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch" and self._batches.due(batch):
            self._save()

    def _save(self) -> None:
        from glassnet.distribute import is_chief
        if not is_chief():  # in a data-parallel job only rank 0 writes
            return
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._state_path):
            shutil.copyfile(self._state_path, self._previous_path)
        self.model.save(self._state_path, overwrite=True)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
