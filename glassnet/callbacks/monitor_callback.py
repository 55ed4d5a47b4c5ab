"""MonitorCallback: the shared part of callbacks that watch one logged quantity
(EarlyStopping, ModelCheckpoint, ReduceLROnPlateau): which direction is better and
whether a value improves on the best one.

With ``mode='auto'`` the direction comes from the quantity's name as in Keras 3: a loss
is minimized; a metric is maximized or minimized according to its kind (accuracy, AUC,
precision ... up; errors, crossentropies, hinge ... down); any other name is an error
asking for ``mode='max'`` or ``mode='min'``.

Example:
    >>> class Watch(MonitorCallback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         if self.monitor_op is None:
    ...             self._set_monitor_op()
    ...         if self._is_improvement(logs[self.monitor], self.best):
    ...             self.best = logs[self.monitor]
"""

from __future__ import annotations

import operator
import warnings

from glassnet.callbacks.callback import Callback

#: Metric classes whose value grows as the model improves (Keras's ``_direction = 'up'``).
_UP = {"Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
       "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "AUC", "Precision",
       "Recall", "PrecisionAtRecall", "RecallAtPrecision", "SensitivityAtSpecificity",
       "SpecificityAtSensitivity", "FBetaScore", "F1Score", "R2Score", "CosineSimilarity",
       "PearsonCorrelation", "ConcordanceCorrelation", "IoU", "MeanIoU", "OneHotIoU",
       "OneHotMeanIoU", "BinaryIoU"}
#: ... and those whose value falls (``_direction = 'down'``).
_DOWN = {"MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
         "MeanSquaredLogarithmicError", "RootMeanSquaredError", "LogCoshError", "Hinge",
         "SquaredHinge", "CategoricalHinge", "BinaryCrossentropy", "CategoricalCrossentropy",
         "SparseCategoricalCrossentropy"}


def metric_direction(metric) -> str | None:
    """'up', 'down' or None (unknown) for a metric object, as Keras 3 decides.

    Example:
        >>> metric_direction(BinaryAccuracy()), metric_direction(MeanSquaredError())
        ('up', 'down')
    """
    direction = getattr(metric, "_direction", None)
    if direction in ("up", "down"):
        return direction
    for cls in type(metric).__mro__:
        if cls.__name__ in _UP:
            return "up"
        if cls.__name__ in _DOWN:
            return "down"
        if cls.__name__ in ("MeanMetricWrapper", "Metric"):
            break
    function = getattr(metric, "_fn", None)
    if function is not None:
        from glassnet import losses
        if any(function is obj for obj in losses.ALL_OBJECTS_DICT.values()):
            return "down"
    return None


class MonitorCallback(Callback):
    """Base of callbacks that compare a monitored value with the best one so far.

    Example:
        >>> MonitorCallback(monitor="val_accuracy", mode="max")
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", baseline=None,
                 min_delta: float = 0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto "
                          "mode.", stacklevel=2)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self) -> None:
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = operator.lt
            for metric in getattr(self.model, "metrics", None) or []:
                if getattr(metric, "name", None) == name:
                    direction = metric_direction(metric)
                    if direction is not None:
                        self.monitor_op = operator.gt if direction == "up" else operator.lt
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but "
                    "glassnet isn't able to automatically determine whether that metric "
                    "should be maximized or minimized. Pass `mode='max'` in order to monitor "
                    "based on the highest metric value, or pass `mode='min'` in order to use "
                    "the lowest value.")
        if self.monitor_op is operator.lt:
            self.min_delta *= -1

    def _is_improvement(self, monitor_value, reference_value) -> bool:
        if reference_value is None:
            return True
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
