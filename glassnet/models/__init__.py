"""Models, as in ``keras.models``.

Example:
    >>> from glassnet.models import Sequential, load_model
    >>> from glassnet.layers import Dense
    >>> model = Sequential([Dense(1, input_dim=2)])
"""

from glassnet.saving.cloning import clone_model
from glassnet.models.model import Model
from glassnet.models.sequential import Sequential
from glassnet.saving.model_io import load_model, model_from_json, save_model

__all__ = ["Model", "Sequential", "clone_model", "load_model", "model_from_json", "save_model"]
