"""Callbacks, as in ``keras.callbacks``."""

from glassnet.callbacks.callback import Callback
from glassnet.callbacks.callback_list import CallbackList
from glassnet.callbacks.history import History

__all__ = ["Callback", "CallbackList", "History"]
