"""GRU: the gated recurrent unit layer, one fused op over the whole sequence.

Keras 3's defaults: tanh activation, sigmoid recurrent activation, ``reset_after=True``
with a (2, 3 * units) bias (input and recurrent parts, PyTorch's formulation); gates
ordered z, r, h in the kernels' columns.

Example:
    >>> GRU(32, return_sequences=True)(np.zeros((4, 10, 8))).shape
    (4, 10, 32)
"""

from __future__ import annotations

from glassnet.layers.rnn.base_rnn import BaseRNN
from glassnet.ops.gru import GRU as GRUOp


class GRU(BaseRNN):
    """Gated recurrent unit (Cho et al., 2014) with Keras 3's arguments."""

    gates = 3
    cell_name = "gru_cell"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 reset_after: bool = True, **kwargs):
        super().__init__(units, activation=activation,
                         recurrent_activation=recurrent_activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.reset_after = bool(reset_after)

    def _bias_shape(self) -> tuple:
        columns = self.gates * self.units
        return (2, columns) if self.reset_after else (columns,)

    def _run_op(self, sequences, states, mask, input_dropout, recurrent_dropout):
        op = GRUOp(reset_after=self.reset_after, **self._op_options())
        return op(sequences, self.kernel, self.recurrent_kernel, self.bias, states[0], mask,
                  input_dropout, recurrent_dropout)

    def get_config(self) -> dict:
        return {**super().get_config(), "reset_after": self.reset_after}
