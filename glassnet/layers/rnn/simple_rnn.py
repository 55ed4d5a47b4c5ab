"""SimpleRNN: a fully connected recurrence, ``h_t = activation(x_t W + h_{t-1} U + b)``,
as one fused op over the whole sequence.

Example:
    >>> SimpleRNN(8, return_sequences=True)(np.zeros((4, 10, 3))).shape
    (4, 10, 8)
"""

from __future__ import annotations

from glassnet.layers.rnn.base_rnn import BaseRNN
from glassnet.ops.simple_rnn import SimpleRNN as SimpleRNNOp


class SimpleRNN(BaseRNN):
    """Fully connected RNN with Keras 3's arguments (tanh by default)."""

    gates = 1
    cell_name = "simple_rnn_cell"

    def __init__(self, units, activation="tanh", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", **kwargs):
        kwargs.pop("use_cudnn", None)
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)

    def _run_op(self, sequences, states, mask, input_dropout, recurrent_dropout):
        op = SimpleRNNOp(**self._op_options())
        return op(sequences, self.kernel, self.recurrent_kernel, self.bias, states[0], mask,
                  input_dropout, recurrent_dropout)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("recurrent_activation")
        return config
