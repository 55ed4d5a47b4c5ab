"""LSTM: the long short-term memory layer, one fused op over the whole sequence.

Keras 3's defaults: tanh activation, sigmoid recurrent activation, glorot_uniform kernel,
orthogonal recurrent kernel, zero bias with the forget gate's part set to 1
(``unit_forget_bias=True``); gates ordered i, f, c, o in the kernels' columns.

Example:
    >>> model = Sequential([Embedding(10000, 32), LSTM(32), Dense(1, activation="sigmoid")])
    >>> model(np.zeros((2, 100))).shape
    (2, 1)
"""

from __future__ import annotations

import numpy as np

from glassnet.layers.rnn.base_rnn import BaseRNN
from glassnet.ops.lstm import LSTM as LSTMOp


class _ForgetGateOnes:
    """The bias initializer behind ``unit_forget_bias``: ``base`` everywhere except ones for
    the forget gate's block."""

    def __init__(self, base, units: int):
        self.base, self.units = base, units

    def __call__(self, shape, dtype=None):
        u = self.units
        value = np.array(self.base(shape, dtype=dtype), copy=True)
        value[u:2 * u] = 1
        return value


class LSTM(BaseRNN):
    """Long short-term memory (Hochreiter & Schmidhuber, 1997) with Keras 3's arguments.

    Outputs (batch, units), or (batch, timesteps, units) with ``return_sequences``; with
    ``return_state`` also the final h and c.
    """

    gates = 4
    state_count = 2
    cell_name = "lstm_cell"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias: bool = True, **kwargs):
        super().__init__(units, activation=activation,
                         recurrent_activation=recurrent_activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)

    def _bias_initializer(self):
        if self.unit_forget_bias:
            return _ForgetGateOnes(self.bias_initializer, self.units)
        return self.bias_initializer

    def _run_op(self, sequences, states, mask, input_dropout, recurrent_dropout):
        op = LSTMOp(**self._op_options())
        return op(sequences, self.kernel, self.recurrent_kernel, self.bias, states[0],
                  states[1], mask, input_dropout, recurrent_dropout)

    def get_config(self) -> dict:
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


__all__ = ["LSTM"]
