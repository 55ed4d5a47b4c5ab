"""Trainer: ``compile``, ``fit``, ``evaluate``, ``predict`` and the ``*_on_batch`` methods,
with Keras 3's arguments, defaults, logs and return values.

One training step is: forward (``model(x, training=True)``), the compiled loss plus any
weight penalties, back-propagation to the trainable weights fixed at ``compile`` time, one
optimizer update, and the running metrics.  Override ``train_step`` to change it.

Example:
    >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
    ...               metrics=["accuracy"])
    >>> history = model.fit(x_train, y_train, epochs=10, validation_split=0.2)
    >>> loss, accuracy = model.evaluate(x_test, y_test, verbose=2)
"""

from __future__ import annotations

import warnings

import numpy as np

from glassnet.callbacks.callback_list import CallbackList
from glassnet.core.symbolic import flatten_structure
from glassnet.core.tape import no_grad, run_backward
from glassnet.core.tensor import Tensor
from glassnet.training import data_adapter as data

#: compile() keywords from TensorFlow / Keras 2 that glassnet accepts and ignores.
IGNORED_COMPILE_KWARGS = {"jit_compile", "experimental_run_tf_function", "sample_weight_mode",
                          "target_tensors", "distribute", "options", "run_eagerly",
                          "steps_per_execution", "auto_scale_loss", "pss_evaluation_shards"}
#: fit() keywords from Keras 2 that have no meaning here (threads, queues).
IGNORED_FIT_KWARGS = {"workers", "use_multiprocessing", "max_queue_size"}


def _warn_ignored(method: str, names) -> None:
    for name in sorted(names):
        warnings.warn(f"{method}({name}=...) has no effect in glassnet and is ignored.",
                      stacklevel=3)


def _resolve_verbose(verbose) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"verbose must be 0, 1, 2 or 'auto'; received verbose={verbose!r}.")
    return int(verbose)


class Trainer:
    """Mixin giving models their training API (see the module docstring)."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._compile_config = None
        self._train_variables = None
        self._penalized_variables = []

    # --- compile --------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, **kwargs) -> None:
        """Choose the optimizer (default 'rmsprop'), the loss and the metrics to report."""
        from glassnet import optimizers
        from glassnet.metrics import Mean
        from glassnet.training.compile_utils import CompileLoss, CompileMetrics

        unknown = set(kwargs) - IGNORED_COMPILE_KWARGS
        if unknown:
            raise TypeError(f"compile() got unexpected keyword arguments: {sorted(unknown)}.")
        _warn_ignored("compile", kwargs)
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        output_names = self._output_names()
        self._compile_loss = None if loss is None else CompileLoss(
            loss, loss_weights=loss_weights, output_names=output_names)
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics,
                                               output_names=output_names)
        self._loss_tracker = Mean(name="loss")
        self._compile_config = {"optimizer": optimizer if isinstance(optimizer, str) else None,
                                "loss": loss, "loss_weights": loss_weights, "metrics": metrics,
                                "weighted_metrics": weighted_metrics}
        self.compiled = True
        self.stop_training = False
        # Which weights train is decided now, as in Keras: `layer.trainable = False` after
        # compile takes effect at the next compile.
        self._train_variables = list(self.trainable_weights) if self.built else None

    def _output_names(self) -> list | None:
        graph = getattr(self, "_graph", None)
        if graph is None:
            return None
        return [t._keras_history[0].name for t in graph.flat_outputs]

    def _assert_compiled(self, method: str) -> None:
        if not self.compiled:
            raise RuntimeError(f"You must call compile() before calling {method}() on model "
                               f"'{self.name}'.")

    @property
    def metrics(self) -> list:
        result = [] if self._loss_tracker is None else [self._loss_tracker]
        if self._compile_metrics is not None:
            result.extend(self._compile_metrics.metrics)
        if self._compile_loss is not None:
            result.extend(self._compile_loss.metrics)
        return result

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self) -> dict:
        """Current values of the loss and metrics, sorted by name as Keras logs them."""
        logs = {"loss": float(self._loss_tracker.result())}
        if self._compile_metrics is not None:
            logs.update(self._compile_metrics.result())
        if self._compile_loss is not None:
            logs.update({m.name: float(m.result()) for m in self._compile_loss.metrics})
        return dict(sorted(logs.items()))

    # --- one step -------------------------------------------------------------------------
    def _variables_to_train(self) -> list:
        if self._train_variables is None:
            self._train_variables = list(self.trainable_weights)
        return self._train_variables

    def _weight_penalties(self):
        """Weight-regularizer penalties and losses added by layers during the last call."""
        total = None
        for layer in self._flatten_layers():
            for loss in layer._losses:
                total = loss if total is None else total + loss
        for variable in self._penalized_variables:
            penalty = variable.regularizer(variable)
            total = penalty if total is None else total + penalty
        return total

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss on this batch plus weight penalties and added losses."""
        if self._compile_loss is not None and y is not None:
            loss = self._compile_loss(y, y_pred, sample_weight)
        else:
            loss = None
        penalties = self._weight_penalties()
        if penalties is not None:
            loss = penalties if loss is None else loss + penalties
        if loss is None:
            raise ValueError(
                "No loss to optimize: compile() was called without a loss, y was not given "
                "and the model added no losses. Pass loss=... to compile() and y to fit().")
        return loss

    def compute_metrics(self, x, y, y_pred, sample_weight=None) -> dict:
        """Update the compiled metrics with this batch and return the running values."""
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, _arrays(y_pred), sample_weight)
        return self.get_metrics_result()

    def train_step(self, data_batch):
        """Forward, loss, gradients, one optimizer update, metrics.  Returns the logs."""
        self._train_step_arrays(data_batch)
        return self.get_metrics_result()

    def _train_step_arrays(self, data_batch) -> None:
        """The default step without building the logs dict (fit builds it only if read)."""
        x, y, sample_weight = data_batch
        variables = self._variables_to_train()
        # Weights frozen after compile still train until the next compile (Keras semantics).
        frozen = [v for v in variables if not v.requires_grad]
        for v in frozen:
            v.requires_grad = True
        try:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
            found = run_backward([loss], [np.ones_like(loss.data)])
        finally:
            for v in frozen:
                v.requires_grad = False
        self._loss_tracker.update_state(loss.data, sample_weight=_batch_size(x))
        grads = [found.get(id(v)) for v in variables]
        self.optimizer.apply(grads, variables)
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, _arrays(y_pred), sample_weight)

    def test_step(self, data_batch):
        x, y, sample_weight = data_batch
        with no_grad():
            y_pred = self(x, training=False)
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss.data, sample_weight=_batch_size(x))
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, _arrays(y_pred), sample_weight)
        return None

    def predict_step(self, data_batch):
        x = data_batch[0]
        with no_grad():
            return _arrays(self(x, training=False))

    def _run_train_step(self, batch):
        """One step; returns the logs if a custom train_step made them, else None."""
        if not self._compile_loss_built:
            self._build_compiled(batch)
        if type(self).train_step is Trainer.train_step:
            self._train_step_arrays(batch)
            return None
        return self.train_step(batch)

    # --- data preparation -----------------------------------------------------------------
    def _prepare(self, x, y=None, sample_weight=None, class_weight=None):
        x = data.to_array(x, "x")
        y = data.to_array(y, "y")
        if isinstance(x, list) and len(x) == 1 and self._num_inputs() == 1:
            x = x[0]
        x = data.expand_rank1(x, self._expected_input_ndim())
        sample_weight = data.to_array(sample_weight, "sample_weight")
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("Arguments sample_weight and class_weight cannot be given at "
                                 "the same time.")
            sample_weight = data.class_weight_to_sample_weight(y, class_weight)
        data.check_lengths(x, y, sample_weight)
        data.check_finite(x, "x")
        return x, y, sample_weight

    def _num_inputs(self) -> int:
        graph = getattr(self, "_graph", None)
        return 1 if graph is None else len(graph.flat_inputs)

    def _expected_input_ndim(self):
        graph = getattr(self, "_graph", None)
        if graph is None or len(graph.flat_inputs) != 1:
            return None
        return len(graph.flat_inputs[0].shape)

    def _make_data(self, x, y, sample_weight, batch_size, steps, class_weight=None,
                   prepared: bool = False):
        if data.is_generator_like(x):
            if y is not None:
                raise ValueError("When x is a generator or Sequence it must yield the targets "
                                 "too; do not pass y.")
            return data.GeneratorData(x, steps)
        if not prepared:
            x, y, sample_weight = self._prepare(x, y, sample_weight, class_weight)
        return data.ArrayData(x, y, sample_weight, batch_size, steps)

    # --- fit ------------------------------------------------------------------------------
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
        verbose = _resolve_verbose(verbose)
        if not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer; received epochs={epochs!r}.")
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

        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                     model=self, verbose=verbose, epochs=epochs,
                                     steps=train.steps)
        self.stop_training = False
        want_batch_logs = callback_list.wants_batch_logs
        callback_list.on_train_begin()
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            for step, batch in enumerate(train.batches(shuffle=bool(shuffle))):
                callback_list.on_train_batch_begin(step)
                logs = self._run_train_step(batch)
                if want_batch_logs:
                    callback_list.on_train_batch_end(step, logs or self.get_metrics_result())
                if self.stop_training:
                    break
            epoch_logs = self.get_metrics_result()
            if val_data is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_data(val_data)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        callback_list.on_train_end(epoch_logs)
        return callback_list.history

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
            raise ValueError("validation_data must be a tuple (x_val, y_val) or "
                             "(x_val, y_val, sample_weight) or a generator; received "
                             f"{type(val).__name__} of length {len(val) if hasattr(val, '__len__') else '?'}.")
        vx, vy = val[0], val[1]
        vw = val[2] if len(val) == 3 else None
        return self._make_data(vx, vy, vw, batch_size, steps)

    # --- evaluate / predict ---------------------------------------------------------------
    def _build_compiled(self, batch) -> None:
        """Resolve losses/metrics that depend on shapes, using the first batch."""
        x, y, _ = batch
        with no_grad():
            y_pred = self(x, training=False)
        if self._compile_loss is not None:
            self._compile_loss.build(y, y_pred)
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.build(y, _arrays(y_pred))
        self._compile_loss_built = True
        self._penalized_variables = [v for v in self.weights if v.regularizer is not None]

    _compile_loss_built = False

    def _evaluate_data(self, dataset, callback_list=None) -> dict:
        self.reset_metrics()
        for step, batch in enumerate(dataset.batches(shuffle=False)):
            if not self._compile_loss_built:
                self._build_compiled(batch)
            if callback_list is not None:
                callback_list.on_test_batch_begin(step)
            self.test_step(batch)
            if callback_list is not None and callback_list.wants_test_batch_logs:
                callback_list.on_test_batch_end(step, self.get_metrics_result())
        return self.get_metrics_result()

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict: bool = False, **kwargs):
        """Loss and metrics on (x, y): a float, ``[loss, metric, ...]`` or a dict."""
        self._assert_compiled("evaluate")
        verbose = _resolve_verbose(verbose)
        dataset = self._make_data(x, y, sample_weight, batch_size, steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1, steps=dataset.steps)
        callback_list.on_test_begin()
        logs = self._evaluate_data(dataset, callback_list)
        callback_list.on_test_end(logs)
        if return_dict:
            return logs
        return self._flatten_in_metric_order(logs)

    def evaluate_generator(self, generator, steps=None, **kwargs):
        """Old Keras name: ``evaluate`` on a generator."""
        warnings.warn("evaluate_generator is deprecated; use evaluate.", DeprecationWarning,
                      stacklevel=2)
        return self.evaluate(generator, steps=steps, **kwargs)

    def _flatten_in_metric_order(self, logs: dict):
        names = self.metrics_names
        values = [logs[n] for n in names if n in logs]
        values += [logs[k] for k in sorted(logs) if k not in names]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None,
                **kwargs):
        """Model outputs for x as NumPy arrays (batched, concatenated)."""
        verbose = _resolve_verbose(verbose)
        if data.is_generator_like(x):
            dataset = data.GeneratorData(x, steps)
        else:
            x = data.to_array(x, "x")
            if isinstance(x, list) and len(x) == 1 and self._num_inputs() == 1:
                x = x[0]
            x = data.expand_rank1(x, self._expected_input_ndim())
            data.check_lengths(x, None, None)
            dataset = data.ArrayData(x, None, None, batch_size, steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=1, steps=dataset.steps)
        callback_list.on_predict_begin()
        outputs = []
        for step, batch in enumerate(dataset.batches(shuffle=False)):
            callback_list.on_predict_batch_begin(step)
            batch_out = self.predict_step(batch)
            outputs.append(batch_out)
            callback_list.on_predict_batch_end(step, {"outputs": batch_out})
        callback_list.on_predict_end()
        return _concatenate(outputs)

    def predict_generator(self, generator, steps=None, **kwargs):
        """Old Keras name: ``predict`` on a generator."""
        warnings.warn("predict_generator is deprecated; use predict.", DeprecationWarning,
                      stacklevel=2)
        return self.predict(generator, steps=steps, **kwargs)

    # --- single batches -------------------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict: bool = False):
        """One update on one batch; returns that batch's loss (and metrics)."""
        self._assert_compiled("train_on_batch")
        x, y, sample_weight = self._prepare(x, y, sample_weight, class_weight)
        self.reset_metrics()
        self._run_train_step((x, y, sample_weight))
        logs = self.get_metrics_result()
        return logs if return_dict else self._flatten_in_metric_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict: bool = False):
        """Loss (and metrics) on one batch, without training."""
        self._assert_compiled("test_on_batch")
        x, y, sample_weight = self._prepare(x, y, sample_weight)
        self.reset_metrics()
        batch = (x, y, sample_weight)
        if not self._compile_loss_built:
            self._build_compiled(batch)
        self.test_step(batch)
        logs = self.get_metrics_result()
        return logs if return_dict else self._flatten_in_metric_order(logs)

    def predict_on_batch(self, x):
        """Model outputs for one batch, as NumPy."""
        x = data.expand_rank1(data.to_array(x, "x"), self._expected_input_ndim())
        return self.predict_step((x, None, None))


def _arrays(structure):
    """NumPy arrays from (nested) Tensors."""
    if isinstance(structure, Tensor):
        return structure.data
    if isinstance(structure, dict):
        return {k: _arrays(v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [_arrays(v) for v in structure]
    return structure


def _batch_size(x) -> int:
    return len(flatten_structure(x)[0]) if not isinstance(x, dict) else len(
        next(iter(x.values())))


def _concatenate(outputs: list):
    if not outputs:
        return np.zeros((0,), dtype=np.float32)
    first = outputs[0]
    if isinstance(first, dict):
        return {k: np.concatenate([o[k] for o in outputs]) for k in first}
    if isinstance(first, list):
        return [np.concatenate([o[i] for o in outputs]) for i in range(len(first))]
    return np.concatenate(outputs)
