"""GradientFlow: per layer and epoch, how much gradient reaches each layer and what it does.

At the start of training and after every epoch, a few batches drawn from the data given to
the callback are traced (:func:`glassnet.inspect.trace`, which changes nothing) and, for
every layer with weights, these numbers are recorded (averaged over the batches):

- ``grad_norm/<layer>``: the L2 norm of the gradient of all the layer's trained weights;
- ``update_ratio/<layer>``: ||update|| / ||weights||, the step the optimizer would take
  relative to the weights' size (around 1e-3 is the usual rule of thumb);
- ``dead_relu/<layer>`` (ReLU-type layers): the fraction of units whose output is zero for
  every sample of the batch;
- ``saturated/<layer>`` (sigmoid / tanh layers): the fraction of outputs where the
  activation is flat (see :mod:`glassnet.inspect.stats`).

The per-epoch values are added to ``history.history`` (one entry per epoch, beside 'loss')
and kept in ``callback.history``; ``callback.initial`` holds the values before training.
The callback overrides no batch hook, so ``fit`` never calls it inside an epoch; tracing two
batches of 64 at the end of the epoch costs a few training steps, so it can stay on.  The
trace changes nothing (weights, optimizer state, random generators), so a run with the
callback trains exactly like a run without it.

Example:
    >>> flow = GradientFlow(x_train[:512], y_train[:512])
    >>> history = model.fit(x_train, y_train, epochs=5, callbacks=[flow])
    >>> history.history["grad_norm/dense"]
    [0.0012, 0.0015, ...]
    >>> glassnet.plot.gradient_flow(flow)
"""

from __future__ import annotations

import numpy as np

from glassnet.callbacks.callback import Callback

#: The statistics recorded, in the order they are stored.
STATISTICS = ("grad_norm", "update_ratio", "dead_relu", "saturated")


class GradientFlow(Callback):
    """Record gradient norms, update/weight ratios, dead and saturated units per layer.

    Args:
        x, y: data to draw the traced batches from (a slice of the training data is fine).
        batch_size: samples per traced batch.
        batches: batches traced at each measurement (their statistics are averaged).
        seed: seeds the choice of batches (the global random state is not used).
        to_history: also write the statistics into ``history.history``.

    Example:
        >>> flow = GradientFlow(x_train[:256], y_train[:256], batches=2)
        >>> model.fit(x_train, y_train, epochs=3, callbacks=[flow], verbose=0)
        >>> flow.history["grad_norm/dense"]
    """

    def __init__(self, x, y=None, batch_size: int = 64, batches: int = 2, seed: int = 0,
                 to_history: bool = True):
        super().__init__()
        if x is None:
            raise ValueError("GradientFlow needs data to trace: pass a slice of the training "
                             "data, e.g. GradientFlow(x_train[:512], y_train[:512]). "
                             "Received: x=None")
        if int(batch_size) < 1 or int(batches) < 1:
            raise ValueError("GradientFlow expects batch_size >= 1 and batches >= 1. "
                             f"Received: batch_size={batch_size}, batches={batches}")
        self.x = x
        self.y = y
        self.batch_size = int(batch_size)
        self.batches = int(batches)
        self.to_history = to_history
        self._rng = np.random.default_rng(seed)
        self.history: dict = {}
        self.initial: dict = {}
        self.epochs: list = []
        self.layer_names: list = []

    def _batch(self):
        n = len(self.x)
        size = min(self.batch_size, n)
        idx = np.sort(self._rng.choice(n, size, replace=False))
        y = None if self.y is None else np.asarray(self.y)[idx]
        return np.asarray(self.x)[idx], y

    def measure(self) -> dict:
        """Trace ``batches`` batches now and return the averaged statistics by key."""
        from glassnet.inspect.stats import RECTIFYING, SATURATING, dead_fraction, norm, \
            saturated_fraction
        from glassnet.inspect.trace import trace

        sums: dict = {}
        names: list = []
        for _ in range(self.batches):
            x, y = self._batch()
            for record in trace(self.model, x, y):
                grads = [g for g in record.grads.values() if g is not None]
                if not grads:
                    continue
                if record.name not in names:
                    names.append(record.name)
                values = {"grad_norm": float(np.sqrt(sum(norm(g) ** 2 for g in grads)))}
                updates = [u for u in record.updates.values() if u is not None]
                weights = [record.weights[k] for k, u in record.updates.items() if u is not None]
                weight_norm = float(np.sqrt(sum(norm(w) ** 2 for w in weights)))
                update_norm = float(np.sqrt(sum(norm(u) ** 2 for u in updates)))
                values["update_ratio"] = update_norm / weight_norm if weight_norm else np.inf
                act = record.activation_name
                if act in RECTIFYING:
                    values["dead_relu"] = dead_fraction(record.activation)
                elif act in SATURATING:
                    values["saturated"] = saturated_fraction(record.activation, act)
                for stat in STATISTICS:
                    if stat in values:
                        key = f"{stat}/{record.name}"
                        sums[key] = sums.get(key, 0.0) + values[stat]
        self.layer_names = names
        return {key: total / self.batches for key, total in sums.items()}

    def on_train_begin(self, logs=None):
        self.initial = self.measure()

    def on_epoch_end(self, epoch, logs=None):
        values = self.measure()
        self.epochs.append(epoch)
        for key, value in values.items():
            self.history.setdefault(key, []).append(value)
        history = getattr(self.model, "history", None)
        if self.to_history and history is not None and hasattr(history, "history"):
            for key, value in values.items():
                history.history.setdefault(key, []).append(value)

    def layer_series(self, statistic: str = "grad_norm") -> dict:
        """``{layer: [value per epoch]}`` for one statistic, layers in model order."""
        prefix = statistic + "/"
        return {k[len(prefix):]: v for k, v in self.history.items() if k.startswith(prefix)}
