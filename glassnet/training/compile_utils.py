"""What ``model.compile(loss=..., metrics=..., loss_weights=..., weighted_metrics=...)``
becomes: one callable loss over all outputs and one set of running metrics, resolved
against the first batch's shapes exactly as Keras 3 does.

- 'accuracy' / 'acc' become BinaryAccuracy when y_pred has one unit,
  SparseCategoricalAccuracy when y_true has one value per sample, CategoricalAccuracy
  otherwise; the log key is the string given ('acc' stays 'acc').  'crossentropy' / 'ce'
  pick the loss the same way.
- With several outputs, logs are prefixed by the output name ('dense_1_accuracy') and
  each output's loss is tracked as '<output>_loss'.

Example:
    >>> compiled = CompileLoss("sparse_categorical_crossentropy")
    >>> loss = compiled(y_batch, model(x_batch))        # a scalar Tensor for backprop
    >>> tracked = CompileMetrics(["accuracy"])
    >>> tracked.update_state(y_batch, y_pred_array); tracked.result()
    {'accuracy': 0.53}
"""

from __future__ import annotations

import numpy as np

from glassnet import losses as losses_module
from glassnet import metrics as metrics_module
from glassnet.core.tensor import Tensor
from glassnet.utils.naming import to_snake_case


def _shape(value) -> tuple:
    return tuple(value.shape) if hasattr(value, "shape") else np.shape(value)


def is_binary_or_sparse_categorical(y_true, y_pred) -> tuple:
    """(is_binary, is_sparse_categorical) from the shapes, as Keras decides."""
    true_shape, pred_shape = _shape(y_true), _shape(y_pred)
    true_last = true_shape[-1] if true_shape else 1
    pred_last = pred_shape[-1] if pred_shape else 1
    is_binary = pred_last == 1
    is_sparse = len(true_shape) < len(pred_shape) or (true_last == 1 and pred_last > 1)
    return is_binary, is_sparse


def get_object_name(obj) -> str:
    if hasattr(obj, "name"):
        return obj.name
    if hasattr(obj, "__name__"):
        return to_snake_case(obj.__name__)
    return to_snake_case(type(obj).__name__)


def get_metric(identifier, y_true, y_pred):
    """A Metric object for one entry of ``metrics=[...]``, named as Keras names it."""
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if str(identifier).lower() in ("accuracy", "acc"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            metric = metrics_module.BinaryAccuracy(name=str(identifier))
        elif is_sparse:
            metric = metrics_module.SparseCategoricalAccuracy(name=str(identifier))
        else:
            metric = metrics_module.CategoricalAccuracy(name=str(identifier))
    else:
        metric = metrics_module.get(identifier)
    name = identifier if isinstance(identifier, str) else get_object_name(metric)
    if not isinstance(metric, metrics_module.Metric):
        metric = metrics_module.MeanMetricWrapper(metric)
    metric.name = name
    return metric


def get_loss(identifier, y_true, y_pred):
    """A Loss object for one output's ``loss=...`` entry (None for no loss)."""
    if identifier is None:
        return None
    if str(identifier).lower() in ("crossentropy", "ce"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            loss = losses_module.binary_crossentropy
        elif is_sparse:
            loss = losses_module.sparse_categorical_crossentropy
        else:
            loss = losses_module.categorical_crossentropy
    else:
        loss = losses_module.get(identifier)
    if not isinstance(loss, losses_module.Loss):
        name = identifier if isinstance(identifier, str) else get_object_name(loss)
        loss = losses_module.LossFunctionWrapper(loss, name=name)
    return loss


def _is_nested(value) -> bool:
    return isinstance(value, (list, tuple, dict))


def _output_keys(y_pred, output_names) -> list | None:
    """The names of the outputs, in order, or None for a single output."""
    if isinstance(y_pred, dict):
        if output_names and set(y_pred) == set(output_names):
            return list(output_names)
        return list(y_pred) if type(y_pred) is not dict else sorted(y_pred)
    if isinstance(y_pred, (list, tuple)):
        if len(y_pred) == 1:
            return None
        return list(output_names) if output_names and len(output_names) == len(y_pred) \
            else [None] * len(y_pred)
    return None


def _flatten(value, keys: list, output_names) -> list:
    """One entry per output: dicts by name, lists by position."""
    if isinstance(value, dict):
        if all(k in value for k in keys if k is not None):
            return [value[k] for k in keys]
        if output_names and set(value) == set(output_names):
            return [value[k] for k in output_names]
        raise ValueError(f"Expected keys {keys} in the dict of targets; received "
                         f"{sorted(value)}.")
    if isinstance(value, (list, tuple)):
        if len(value) != len(keys):
            raise ValueError(f"The model has {len(keys)} outputs but {len(value)} targets "
                             "were given. Pass one array per output (a list, or a dict "
                             "keyed by output name).")
        return list(value)
    return [value] * len(keys)


def _single(value):
    """The one entry of a single-output structure ([y] or {'name': y}), or the value."""
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return value[0]
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value.values()))
    return value


class CompileLoss:
    """The compiled loss: per-output losses, weighted and summed into one scalar Tensor.

    Args:
        loss: a loss name, Loss, function, or a list / dict of them (one per output).
        loss_weights: a float, or a list / dict with one weight per output.
        output_names: the model's output layer names (for dicts and log keys).
    """

    def __init__(self, loss, loss_weights=None, output_names=None):
        if loss_weights and not isinstance(loss_weights, (list, tuple, dict, float, int)):
            raise ValueError(
                "Expected `loss_weights` argument to be a float (single output case) or a "
                "list, tuple, or dict (multiple output case). Received instead: "
                f"loss_weights={loss_weights} of type {type(loss_weights)}")
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self.output_names = list(output_names) if output_names else None
        self.name = "compile_loss"
        self.built = False
        self._entries: list = []  # (output index or None, Loss, weight, name)
        self._keys = None
        self._metrics: list = []

    @property
    def metrics(self) -> list:
        """One Mean per output loss ('<output>_loss') when there are several losses."""
        return self._metrics

    def build(self, y_true, y_pred) -> None:
        keys = _output_keys(y_pred, self.output_names)
        loss, weights = self._user_loss, self._user_loss_weights
        entries = []
        if keys is None:
            y_true, y_pred = _single(y_true), _single(y_pred)
            if isinstance(loss, dict):
                loss = _single(loss)
                weights = _single(weights) if isinstance(weights, dict) else weights
            pairs = self._per_output_single(loss, weights)
            for item, weight in pairs:
                resolved = get_loss(item, y_true, y_pred)
                if resolved is not None:
                    name = self.output_names[0] if self.output_names else resolved.name
                    entries.append((None, resolved, weight, name))
        else:
            self._keys = keys
            flat_true = _flatten(y_true, keys, self.output_names)
            flat_pred = _flatten(y_pred, keys, self.output_names)
            flat_loss = self._per_output(loss, keys, "loss")
            flat_weights = self._per_output(weights, keys, "loss_weights") \
                if weights is not None else [None] * len(keys)
            for i, (item, weight) in enumerate(zip(flat_loss, flat_weights)):
                resolved = get_loss(item, flat_true[i], flat_pred[i])
                if resolved is not None:
                    entries.append((i, resolved, weight, keys[i] or resolved.name))
        self._entries = entries
        if len(entries) > 1:
            self._metrics = [metrics_module.Mean(name=f"{name}_loss")
                             for _, _, _, name in entries]
        self.built = True

    @staticmethod
    def _per_output_single(loss, weights) -> list:
        # A list of losses for one output means: apply each of them and add them up.
        items = list(loss) if isinstance(loss, (list, tuple)) else [loss]
        if isinstance(weights, (list, tuple)):
            if len(weights) != len(items):
                raise ValueError(f"`loss_weights` must match the number of losses, got "
                                 f"{len(items)} losses and {len(weights)} weights.")
            return list(zip(items, weights))
        return [(item, weights) for item in items]

    def _per_output(self, value, keys: list, argument: str) -> list:
        if isinstance(value, dict):
            names = [k for k in keys if k is not None]
            unknown = sorted(set(value) - set(names))
            if unknown or not names:
                raise ValueError(f"Expected keys {names} in {argument} dict, but found "
                                 f"{argument}.keys()={list(value)}")
            return [value.get(k) for k in keys]
        if isinstance(value, (list, tuple)):
            if len(value) != len(keys):
                raise ValueError(
                    f"`{argument}` must have one entry per model output: the model has "
                    f"{len(keys)} outputs {keys}, received {argument}={value!r}")
            return list(value)
        return [value] * len(keys)

    def __call__(self, y_true, y_pred, sample_weight=None) -> Tensor | None:
        if not self.built:
            self.build(y_true, y_pred)
        if self._keys is None:
            if type(y_true) is list or type(y_true) is dict:
                y_true = _single(y_true)
            if type(y_pred) is list or type(y_pred) is dict:
                y_pred = _single(y_pred)
            if type(sample_weight) is list or type(sample_weight) is dict:
                sample_weight = _single(sample_weight)
            if len(self._entries) == 1:
                _, loss, weight, _ = self._entries[0]
                value = loss(y_true, y_pred, sample_weight)
                return value if weight is None else value * weight
            flat_true = flat_pred = flat_weights = None
        else:
            flat_true = _flatten(y_true, self._keys, self.output_names)
            flat_pred = _flatten(y_pred, self._keys, self.output_names)
            flat_weights = (_flatten(sample_weight, self._keys, self.output_names)
                            if _is_nested(sample_weight) else None)
        total = None
        for n, (index, loss, weight, _) in enumerate(self._entries):
            if index is None:
                y_t, y_p, s_w = y_true, y_pred, sample_weight
            else:
                y_t, y_p = flat_true[index], flat_pred[index]
                s_w = sample_weight if flat_weights is None else flat_weights[index]
            value = loss(y_t, y_p, s_w)
            if self._metrics:
                self._metrics[n].update_state(value.data, sample_weight=_shape(y_p)[0])
            if weight is not None:
                value = value * weight
            total = value if total is None else total + value
        return total


class CompileMetrics:
    """The compiled metrics of every output, updated each batch and read as a dict.

    Args:
        metrics: metric names, objects or functions: a list for one output, or a list /
            dict with one entry per output.  Updated without sample weights.
        weighted_metrics: the same, updated with the sample (and class) weights.
        output_names: the model's output layer names (log prefixes with several outputs).
    """

    def __init__(self, metrics, weighted_metrics=None, output_names=None):
        for argument, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value and not isinstance(value, (list, tuple, dict)):
                raise ValueError(f"Expected `{argument}` argument to be a list, tuple, or dict. "
                                 f"Received instead: {argument}={value} of type {type(value)}")
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self.output_names = list(output_names) if output_names else None
        self.name = "compile_metrics"
        self.built = False
        self._keys = None
        self._groups: list = []  # (output index or None, output name, [metrics], weighted)

    @property
    def metrics(self) -> list:
        return [m for _, _, group, _ in self._groups for m in group]

    def metrics_requested(self) -> bool:
        """True when compile() was given any metrics (building them needs the outputs)."""
        return bool(self._user_metrics or self._user_weighted_metrics)

    @property
    def variables(self) -> list:
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true, y_pred) -> None:
        keys = _output_keys(y_pred, self.output_names)
        groups = []
        for user, weighted in ((self._user_metrics, False), (self._user_weighted_metrics, True)):
            if not user:
                continue
            if keys is None:
                items = _flatten_metrics(user)
                group = [get_metric(m, _single(y_true), _single(y_pred)) for m in items]
                groups.append((None, None, group, weighted))
                continue
            argument = "weighted_metrics" if weighted else "metrics"
            per_output = self._per_output(user, keys, argument)
            flat_true = _flatten(y_true, keys, self.output_names)
            flat_pred = _flatten(y_pred, keys, self.output_names)
            for i, items in enumerate(per_output):
                if items is None:
                    continue
                group = [get_metric(m, flat_true[i], flat_pred[i])
                         for m in _flatten_metrics(items)]
                groups.append((i, keys[i], group, weighted))
        self._keys = keys
        self._groups = groups
        self._unweighted = [m for i, _, g, w in groups if not w for m in g]
        self._weighted = [m for i, _, g, w in groups if w for m in g]
        self.built = True

    def _per_output(self, user, keys: list, argument: str) -> list:
        if isinstance(user, (list, tuple)) and len(user) == len(keys):
            return list(user)
        if isinstance(user, dict) and keys and set(user) <= {k for k in keys if k}:
            return [user.get(k) for k in keys]
        names = self.output_names or keys
        raise ValueError(
            f"Invalid `{argument}`. `{argument}` should contain metrics objects and either be "
            f"a dict or a list matching the output names of the functional model {names} or "
            f"match the output structure of the model: {['X'] * len(keys)}.\n"
            f"Received: {argument}={user}")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if not self.built:
            self.build(y_true, y_pred)
        if self._keys is None:
            y_true, y_pred = _single(y_true), _single(y_pred)
            for metric in self._unweighted:
                metric.update_state(y_true, y_pred)
            if self._weighted:
                sample_weight = _single(sample_weight)
                for metric in self._weighted:
                    metric.update_state(y_true, y_pred, sample_weight)
            return
        flat_true = _flatten(y_true, self._keys, self.output_names)
        flat_pred = _flatten(y_pred, self._keys, self.output_names)
        if _is_nested(sample_weight):
            flat_weights = _flatten(sample_weight, self._keys, self.output_names) \
                if isinstance(sample_weight, dict) or len(sample_weight) == len(self._keys) \
                else [sample_weight[0]] * len(self._keys)
        else:
            flat_weights = [sample_weight] * len(self._keys)
        for index, _, group, weighted in self._groups:
            for metric in group:
                if weighted:
                    metric.update_state(flat_true[index], flat_pred[index], flat_weights[index])
                else:
                    metric.update_state(flat_true[index], flat_pred[index])

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def result(self) -> dict:
        """{log name: float} in the order the metrics were listed (unweighted first)."""
        if not self.built:
            raise ValueError("Cannot get result() since the metric has not yet been built.")
        results: dict = {}
        for weighted in (False, True):
            for _, output_name, group, is_weighted in self._groups:
                if is_weighted != weighted:
                    continue
                for metric in group:
                    key = _log_name(results, output_name, metric.name, weighted)
                    results[key] = _to_python(metric.result())
        return results


def _log_name(results: dict, output_name, name: str, weighted: bool) -> str:
    """A unique log key: '<output>_<name>'; clashes get '_1', '_2' (or 'weighted_')."""
    key = f"{output_name}_{name}" if output_name else name
    if key not in results:
        return key
    if weighted:
        key = f"{output_name}_weighted_{name}" if output_name else f"weighted_{name}"
        if key not in results:
            return key
    index = 1
    while f"{key}_{index}" in results:
        index += 1
    return f"{key}_{index}"


def _to_python(value):
    array = np.asarray(value)
    return float(array) if array.ndim == 0 else array


def _flatten_metrics(items) -> list:
    """A flat list of metric entries from a metric, a (nested) list, or a dict of them."""
    if isinstance(items, dict):
        flat = []
        for key in sorted(items):
            flat.extend(_flatten_metrics(items[key]))
        return flat
    if isinstance(items, (list, tuple)):
        flat = []
        for item in items:
            flat.extend(_flatten_metrics(item))
        return flat
    return [items]
