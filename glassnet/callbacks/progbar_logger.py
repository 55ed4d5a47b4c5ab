"""ProgbarLogger: the callback that prints ``fit``, ``evaluate`` and ``predict`` progress.

``fit`` adds it when ``verbose`` is not 0.  It prints ``Epoch 3/10`` before each epoch
(when there is more than one), then a bar updated after every batch (verbose 1) or one
line per epoch (verbose 2).  Validation inside ``fit`` is silent; ``evaluate`` and
``predict`` called on their own get their own bar.  The text is Keras 3's, byte for byte.

Example:
    >>> model.fit(x, y, epochs=2, callbacks=[ProgbarLogger()])
    Epoch 1/2
    1875/1875 ━━━━━━━━━━━━━━━━━━━━ 1s 520us/step - accuracy: 0.8945 - loss: 0.3719
    Epoch 2/2
    ...
"""

from __future__ import annotations

from glassnet.callbacks.callback import Callback
from glassnet.utils.progbar import Progbar, write


class ProgbarLogger(Callback):
    """Prints metrics to stdout with a :class:`Progbar` (see the module docstring).

    ``params`` come from the caller: ``verbose`` (0, 1, 2 or 'auto', which means 1),
    ``epochs`` and ``steps`` (batches per epoch; ``None`` when a generator does not say).

    Example:
        >>> logger = ProgbarLogger()
        >>> logger.set_params({"verbose": 2, "epochs": 1, "steps": 10})
    """

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        verbose = params["verbose"]
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params["epochs"]
        self.target = params["steps"]

    # --- fit ------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        # From here on, evaluate calls come from fit's validation and print nothing.
        self._called_in_fit = True

    def on_epoch_begin(self, epoch, logs=None):
        self._new_progbar()
        if self.verbose and self.epochs > 1:
            write(f"Epoch {epoch + 1}/{self.epochs}\n")

    def on_train_batch_end(self, batch, logs=None):
        self._step(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finish(logs)

    # --- evaluate -------------------------------------------------------------------------
    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._new_progbar()

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._step(batch, logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finish(logs)

    # --- predict --------------------------------------------------------------------------
    def on_predict_begin(self, logs=None):
        self._new_progbar()

    def on_predict_batch_end(self, batch, logs=None):
        # The batch outputs are not metrics: show only the progress.
        self._step(batch, None)

    def on_predict_end(self, logs=None):
        self._finish(logs)

    # --- the bar --------------------------------------------------------------------------
    def _new_progbar(self) -> None:
        self.seen = 0
        self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step",
                               stateless_metrics=())

    def _step(self, batch: int, logs) -> None:
        if self.progbar is None:
            self._new_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            # Logs hold running averages, shown as they are, so the bar reads them only
            # when it redraws: logs that compute their values on access stay unread on the
            # steps in between.
            values = [] if logs is None else (lambda: list(logs.items()))
            self.progbar.update(self.seen, values, finalize=False)

    def _finish(self, logs) -> None:
        if self.progbar is None:
            self._new_progbar()
        if self.target is None:
            # A generator without a length: the steps counted this time become the target,
            # for this bar and for the next epochs.
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, list(logs.items()) if logs else [], finalize=True)
