"""The ``fit`` loop: epochs of batches, callbacks at every hook, validation at the end of each
epoch, a non-finite loss stopped before it changes the weights, and the data-parallel
hooks (a shard of each global batch per rank, logs reduced over the ranks).

Example:
    >>> history = model.fit(x, y, batch_size=32, epochs=10, validation_split=0.2)
    >>> history.history["val_loss"]
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from glassnet.callbacks.callback_list import CallbackList
from glassnet.training import data_adapter as data
from glassnet.training.numerics import NonFiniteLoss, NonFiniteLossWarning, diagnose
from glassnet.training.step_data import pythonify_logs

#: fit() keywords from Keras 2 that have no meaning here (threads, queues).
IGNORED_FIT_KWARGS = {"workers", "use_multiprocessing", "max_queue_size"}


def resolve_verbose(verbose) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"verbose must be 0, 1, 2 or 'auto'; received verbose={verbose!r}.")
    return int(verbose)


class FitLoop:
    """Mixin with ``fit`` (the models get it through Trainer)."""

    def fit(self, x=None, y=None, batch_size=None, epochs: int = 1, verbose="auto",
            callbacks=None, validation_split: float = 0.0, validation_data=None,
            shuffle=True, class_weight=None, sample_weight=None, initial_epoch: int = 0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None,
            validation_freq: int = 1, **kwargs):
        """Train for ``epochs`` epochs; returns the History (``history.history['loss']``)."""
        self._assert_compiled("fit")
        if "nb_epoch" in kwargs:
            epochs = kwargs.pop("nb_epoch")
        unknown = set(kwargs) - IGNORED_FIT_KWARGS
        if unknown:
            raise TypeError(f"fit() got unexpected keyword arguments: {sorted(unknown)}.")
        for name in sorted(kwargs):
            warnings.warn(f"fit({name}=...) has no effect in glassnet and is ignored.",
                          stacklevel=2)
        verbose = resolve_verbose(verbose)
        if not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer; received epochs={epochs!r}.")
        train, val_data = self._fit_data(x, y, batch_size, validation_split, validation_data,
                                         shuffle, class_weight, sample_weight, steps_per_epoch,
                                         validation_steps, validation_batch_size)
        strategy = self._distribution
        if strategy is not None:
            verbose = strategy.on_fit_begin(self, verbose)
            train = strategy.shard(train)
            val_data = None if val_data is None else strategy.shard(val_data)

        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                     model=self, verbose=verbose, epochs=epochs,
                                     steps=train.steps)
        self.stop_training = False
        self.numerical_fault = None
        want_batch_logs = callback_list.wants_batch_logs
        if strategy is not None:  # every rank joins the same log reductions
            want_batch_logs = strategy.agree(want_batch_logs)
        state_backup = self._forward_state_backup()
        callback_list.on_train_begin()
        # BackupAndRestore may have restored a run that had reached a later epoch.
        resumed, self._initial_epoch = getattr(self, "_initial_epoch", None), None
        initial_epoch = resumed or initial_epoch
        epoch_logs, logs = {}, None
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            finished = True
            for step, batch in enumerate(train.batches(shuffle=bool(shuffle))):
                callback_list.on_train_batch_begin(step)
                if state_backup:
                    for variable, saved in state_backup:
                        np.copyto(saved, variable.data)
                fault = None
                try:
                    logs = self._run_train_step(batch)
                except NonFiniteLoss as signal:
                    for variable, saved in state_backup or ():
                        variable.assign(saved)
                    logs = None
                    fault = diagnose(self, batch, epoch, step, signal.loss)
                else:
                    if logs is not None and _nonfinite_loss(logs):
                        fault = diagnose(self, batch, epoch, step, float(logs["loss"]),
                                         after_update=True)
                    if state_backup is None:  # the model was built by this first batch
                        state_backup = self._forward_state_backup()
                if want_batch_logs:
                    callback_list.on_train_batch_end(step, self._step_logs(logs, strategy))
                if fault is not None:
                    self.numerical_fault = callback_list.history.numerical_fault = fault
                    self.stop_training = True
                    warnings.warn(fault.message, NonFiniteLossWarning, stacklevel=2)
                if strategy is not None and want_batch_logs:
                    self.stop_training = strategy.any(self.stop_training)
                if self.stop_training:
                    finished = step + 1 == train.steps
                    break
            if finished:
                self._completed_epochs = epoch + 1
            epoch_logs = self._step_logs(logs, strategy)
            if val_data is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_data(val_data)
                if strategy is not None:
                    val_logs = strategy.reduce_logs(self)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            if strategy is not None:
                self.stop_training = strategy.any(self.stop_training)
            if self.stop_training:
                break
        callback_list.on_train_end(epoch_logs)
        return callback_list.history

    def _fit_data(self, x, y, batch_size, validation_split, validation_data, shuffle,
                  class_weight, sample_weight, steps_per_epoch, validation_steps,
                  validation_batch_size):
        """The training data and the validation data (or None) as batch sources."""
        val_batch_size = validation_batch_size or batch_size
        val_data = None
        if data.is_generator_like(x):
            train = self._make_data(x, y, sample_weight, batch_size, steps_per_epoch)
        else:
            x, y, sample_weight = self._prepare(x, y, sample_weight, class_weight)
            if validation_split and validation_data is None:
                (x, y, sample_weight), (vx, vy, vw) = data.split_validation(
                    x, y, sample_weight, validation_split)
                val_data = self._make_data(vx, vy, vw, val_batch_size, validation_steps,
                                           prepared=True)
            train = self._make_data(x, y, sample_weight, batch_size, steps_per_epoch,
                                    prepared=True)
        if validation_data is not None:
            val_data = self._validation_data(validation_data, val_batch_size, validation_steps)
        return train, val_data

    def _step_logs(self, logs, strategy=None) -> dict:
        """The logs callbacks see: the metrics' running values, or what a custom step returned
        when its keys differ (Keras's rule); summed over the ranks when data-parallel."""
        if strategy is not None:
            return strategy.reduce_logs(self)
        metric_logs = self.get_metrics_result()
        if isinstance(logs, dict) and set(logs) != set(metric_logs):
            return pythonify_logs(logs)
        return metric_logs

    def _forward_state_backup(self):
        """Buffers for the layer state a forward pass changes (BatchNormalization's moving
        statistics), copied before each batch so that a batch with a non-finite loss
        changes nothing; None while the model has no weights yet."""
        if not self.built:
            return None
        return [(v, np.empty_like(v.data)) for v in self.weights if not v._created_trainable]

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1,
                      callbacks=None, validation_data=None, validation_steps=None, **kwargs):
        """Old Keras name: ``fit`` on a generator."""
        warnings.warn("fit_generator is deprecated; use fit, which accepts generators.",
                      DeprecationWarning, stacklevel=2)
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs,
                        verbose=verbose, callbacks=callbacks, validation_data=validation_data,
                        validation_steps=validation_steps, **kwargs)

    def _validation_data(self, val, batch_size, steps):
        if data.is_generator_like(val):
            return data.GeneratorData(val, steps)
        if not isinstance(val, (tuple, list)) or len(val) not in (2, 3):
            length = len(val) if hasattr(val, "__len__") else "?"
            raise ValueError("validation_data must be a tuple (x_val, y_val) or "
                             "(x_val, y_val, sample_weight) or a generator; received "
                             f"{type(val).__name__} of length {length}.")
        vx, vy = val[0], val[1]
        vw = val[2] if len(val) == 3 else None
        return self._make_data(vx, vy, vw, batch_size, steps)


def _nonfinite_loss(logs) -> bool:
    """True when a custom train_step's logs report a NaN or infinite loss."""
    loss = logs.get("loss") if isinstance(logs, dict) else None
    try:
        return loss is not None and not math.isfinite(float(loss))
    except (TypeError, ValueError):
        return False
