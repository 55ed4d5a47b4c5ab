"""RepeatVector: (batch, features) -> (batch, n, features), the same vector at every step,
as in the encoder-decoder models that feed one summary vector to a decoder RNN.

Example:
    >>> RepeatVector(3)(np.zeros((32, 8))).shape
    (32, 3, 8)
"""

from __future__ import annotations

from glassnet.layers.core.dense import check_positive_int
from glassnet.layers.layer import Layer
from glassnet.ops.recurrent import repeat_vector


class RepeatVector(Layer):
    """Repeat the input ``n`` times along a new time axis."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = check_positive_int("RepeatVector", "n", n)
        self.built = True

    def call(self, inputs):
        if inputs.ndim != 2:
            raise ValueError(f"RepeatVector '{self.name}' expects inputs of shape (batch, "
                             f"features); received shape {tuple(inputs.shape)}.")
        return repeat_vector(inputs, self.n)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}
