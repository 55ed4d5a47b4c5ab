"""LambdaCallback: a callback made of plain functions.

Example:
    >>> print_loss = LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    >>> model.fit(x, y, callbacks=[print_loss], verbose=0)
"""

from __future__ import annotations

from glassnet.callbacks.callback import Callback


class LambdaCallback(Callback):
    """Each given function becomes the hook of the same name: ``on_epoch_begin(epoch,
    logs)``, ``on_epoch_end``, ``on_train_begin(logs)``, ``on_train_end``,
    ``on_train_batch_begin(batch, logs)``, ``on_train_batch_end``; other ``on_*`` hooks
    (e.g. ``on_batch_end``) can be passed as keywords too.

    Example:
        >>> LambdaCallback(on_train_end=lambda logs: print("done"))
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end,
                 "on_train_batch_begin": on_train_batch_begin,
                 "on_train_batch_end": on_train_batch_end}
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)
