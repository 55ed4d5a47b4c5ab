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

import math
import warnings

import numpy as np

from glassnet.callbacks.callback_list import CallbackList
from glassnet.core.tape import no_grad, run_backward
from glassnet.training import data_adapter as data
from glassnet.training.data_adapter import num_samples
from glassnet.training.fit_loop import FitLoop, resolve_verbose
from glassnet.training.numerics import NonFiniteLoss
from glassnet.training.step_data import (arrays as _arrays, concatenate_batches,
                                         pack_x_y_sample_weight, pythonify_logs,
                                         unpack_x_y_sample_weight)

#: compile() keywords from TensorFlow / Keras 2 that glassnet accepts and ignores.
IGNORED_COMPILE_KWARGS = {"jit_compile", "experimental_run_tf_function", "sample_weight_mode",
                          "target_tensors", "distribute", "options", "run_eagerly",
                          "steps_per_execution", "auto_scale_loss", "pss_evaluation_shards"}


def _warn_ignored(method: str, names) -> None:
    for name in sorted(names):
        warnings.warn(f"{method}({name}=...) has no effect in glassnet and is ignored.",
                      stacklevel=3)


class Trainer(FitLoop):
    """Mixin giving models their training API (see the module docstring)."""

    _distribution = None  # the data-parallel strategy compile() attached, if any

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
        self._completed_epochs = 0
        self.numerical_fault = None

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
        from glassnet.distribute.strategy import current_strategy
        strategy = current_strategy()
        if strategy is not None:  # compiled inside MPIDataParallel().scope()
            strategy.attach(self)
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
        """The loss tracker, the compiled metrics, then metrics kept as model attributes."""
        result = [] if self._loss_tracker is None else [self._loss_tracker]
        if self._compile_metrics is not None:
            result.extend(self._compile_metrics.metrics)
        if self._compile_loss is not None:
            result.extend(self._compile_loss.metrics)
        result.extend(m for m in self.__dict__.get("_metrics", ()) if
                      not any(m is r for r in result))
        return result

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self) -> dict:
        """Current values of the loss and metrics, sorted by name as Keras logs them.

        A model that overrides the ``metrics`` property reports exactly those metrics."""
        if type(self).metrics is not Trainer.metrics:
            return dict(sorted(pythonify_logs(
                {m.name: m.result() for m in self.metrics}).items()))
        logs = {} if self._loss_tracker is None else {
            "loss": float(self._loss_tracker.result())}
        if self._compile_metrics is not None:
            logs.update(self._compile_metrics.result())
        if self._compile_loss is not None:
            logs.update({m.name: float(m.result()) for m in self._compile_loss.metrics})
        logs.update(pythonify_logs({m.name: m.result() for m in self.__dict__.get("_metrics", ())}))
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

    def train_step(self, data):
        """Forward, loss, gradients, one optimizer update, metrics.  Returns the logs.

        ``data`` is x, ``(x, y)`` or ``(x, y, sample_weight)`` as Keras packs it."""
        self._train_step_arrays(unpack_x_y_sample_weight(data))
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
            self._loss_tracker.update_state(loss.data, sample_weight=num_samples(x))
            bad = not math.isfinite(loss.data)
            if self._distribution is not None:  # all ranks skip the update together
                bad = self._distribution.any(bad)
            if bad:
                # Stop before back-propagation: the weights and the optimizer stay as they
                # were before this batch (see training/numerics.py).
                raise NonFiniteLoss(float(loss.data))
            found = run_backward([loss], [np.ones_like(loss.data)])
        finally:
            for v in frozen:
                v.requires_grad = False
        grads = [found.get(id(v)) for v in variables]
        self.optimizer.apply(grads, variables)
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, _arrays(y_pred), sample_weight)

    def test_step(self, data):
        """Forward and loss without training; updates the metrics."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with no_grad():
            y_pred = self(x, training=False)
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss.data, sample_weight=num_samples(x))
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, _arrays(y_pred), sample_weight)
        return None

    def predict_step(self, data):
        """The model's outputs for one batch, as NumPy."""
        x, _, _ = unpack_x_y_sample_weight(data)
        with no_grad():
            return _arrays(self(x, training=False))

    def _run_train_step(self, batch):
        """One step; returns the logs if a custom train_step made them, else None."""
        if not self._compile_loss_built:
            self._build_compiled(batch)
        if type(self).train_step is Trainer.train_step:
            self._train_step_arrays(batch)
            return None
        return self.train_step(pack_x_y_sample_weight(*batch))

    # --- data preparation -----------------------------------------------------------------
    def _prepare(self, x, y=None, sample_weight=None, class_weight=None):
        x = data.to_array(x, "x", self._reads_text())
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

    def _reads_text(self) -> bool:
        """True when an input is declared ``Input(..., dtype='string')``."""
        graph = getattr(self, "_graph", None)
        return graph is not None and any(t.dtype == "string" for t in graph.flat_inputs)

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

    # --- evaluate / predict ---------------------------------------------------------------
    def _build_compiled(self, batch) -> None:
        """Resolve losses/metrics that depend on shapes, using the first batch."""
        x, y, _ = batch
        needs_outputs = self._compile_loss is not None or (
            self._compile_metrics is not None and y is not None and
            self._compile_metrics.metrics_requested())
        if needs_outputs:  # a model without compiled losses (a custom GAN) is not called
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
        logs = None
        for step, batch in enumerate(dataset.batches(shuffle=False)):
            if not self._compile_loss_built:
                self._build_compiled(batch)
            if callback_list is not None:
                callback_list.on_test_batch_begin(step)
            logs = self.test_step(pack_x_y_sample_weight(*batch))
            if callback_list is not None and callback_list.wants_test_batch_logs:
                callback_list.on_test_batch_end(step, self._step_logs(logs))
        return self._step_logs(logs)

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict: bool = False, **kwargs):
        """Loss and metrics on (x, y): a float, ``[loss, metric, ...]`` or a dict."""
        self._assert_compiled("evaluate")
        verbose = resolve_verbose(verbose)
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
        verbose = resolve_verbose(verbose)
        if data.is_generator_like(x):
            dataset = data.GeneratorData(x, steps)
        else:
            x = data.to_array(x, "x", self._reads_text())
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
            batch_out = self.predict_step(pack_x_y_sample_weight(*batch))
            outputs.append(batch_out)
            callback_list.on_predict_batch_end(step, {"outputs": batch_out})
        callback_list.on_predict_end()
        return concatenate_batches(outputs)

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
        logs = None
        try:
            logs = self._run_train_step((x, y, sample_weight))
        except NonFiniteLoss:
            pass  # no update from a non-finite loss; the returned loss shows it
        logs = self._step_logs(logs)
        return logs if return_dict else self._flatten_in_metric_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict: bool = False):
        """Loss (and metrics) on one batch, without training."""
        self._assert_compiled("test_on_batch")
        x, y, sample_weight = self._prepare(x, y, sample_weight)
        self.reset_metrics()
        batch = (x, y, sample_weight)
        if not self._compile_loss_built:
            self._build_compiled(batch)
        logs = self._step_logs(self.test_step(pack_x_y_sample_weight(*batch)))
        return logs if return_dict else self._flatten_in_metric_order(logs)

    def predict_on_batch(self, x):
        """Model outputs for one batch, as NumPy."""
        x = data.expand_rank1(data.to_array(x, "x", self._reads_text()), self._expected_input_ndim())
        return self.predict_step(pack_x_y_sample_weight(x))

