"""Models, as in ``keras.models``.

Example:
    >>> from glassnet.models import Sequential
    >>> from glassnet.layers import Dense
    >>> model = Sequential([Dense(1, input_dim=2)])
"""

from glassnet.models.model import Model
from glassnet.models.sequential import Sequential

__all__ = ["Model", "Sequential"]
