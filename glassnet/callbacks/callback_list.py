"""CallbackList: calls every callback's hook in order; fit adds History and the progress bar.

Example:
    >>> callbacks = CallbackList([EarlyStopping()], add_history=True, model=model)
    >>> callbacks.on_epoch_end(0, {"loss": 0.3})
"""

from __future__ import annotations

from glassnet.callbacks.callback import Callback
from glassnet.callbacks.history import History


class CallbackList:
    """A list of callbacks that forwards each hook to all of them.

    As in Keras, ``History`` and then ``ProgbarLogger`` come after the given callbacks, so
    the history records what callbacks add to the epoch logs (``learning_rate``) and the
    progress bar finishes its line after their messages.
    """

    def __init__(self, callbacks=None, add_history: bool = False, add_progbar: bool = False,
                 model=None, **params):
        self.callbacks = list(callbacks or [])
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(f"callbacks must be Callback instances; received "
                                f"{callback!r} of type {type(callback).__name__}.")
        self.history = None
        if add_history:
            existing = [c for c in self.callbacks if isinstance(c, History)]
            self.history = existing[0] if existing else History()
            if not existing:
                self.callbacks.append(self.history)
        if add_progbar and not any(type(c).__name__ == "ProgbarLogger" for c in self.callbacks):
            from glassnet.callbacks.progbar_logger import ProgbarLogger
            self.callbacks.append(ProgbarLogger())
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)
        # Hooks that some callback overrides; the others are skipped on the hot path.
        self._batch_hooks = {
            name: [getattr(c, name) for c in self.callbacks if _overrides(c, name)]
            for name in ("on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
                         "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end")
        }

    def append(self, callback: Callback) -> None:
        self.callbacks.append(callback)

    def set_model(self, model) -> None:
        self.model = model
        if self.history is not None:
            model.history = self.history
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params: dict) -> None:
        self.params = params
        for callback in self.callbacks:
            callback.set_params(params)

    def _call(self, name: str, *args) -> None:
        for callback in self.callbacks:
            getattr(callback, name)(*args)

    def _call_batch(self, name: str, batch: int, logs) -> None:
        for hook in self._batch_hooks[name]:
            hook(batch, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call_batch("on_predict_batch_end", batch, logs)

    @property
    def wants_test_batch_logs(self) -> bool:
        return bool(self._batch_hooks["on_test_batch_end"])

    @property
    def wants_batch_logs(self) -> bool:
        """Whether any callback looks at per-batch logs during training."""
        return bool(self._batch_hooks["on_train_batch_end"] or
                    self._batch_hooks["on_train_batch_begin"])


def _overrides(callback: Callback, name: str) -> bool:
    """True if ``callback`` overrides hook ``name`` (or the old on_batch_* it forwards to),
    in its class or on the instance itself (as ``LambdaCallback`` does)."""
    cls = type(callback)
    legacy = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}
    for hook in (name, legacy.get(name)):
        if hook is None:
            continue
        if hook in vars(callback) or getattr(cls, hook) is not getattr(Callback, hook):
            return True
    return False
