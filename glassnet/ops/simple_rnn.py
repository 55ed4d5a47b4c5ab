"""The fused SimpleRNN op over a whole sequence:

    h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)

The input projection of every timestep is one GEMM before the loop, each step one GEMM for
the recurrence; backward keeps d z for every step and finishes with three GEMMs.  After a
forward pass ``op.h`` holds the states, time-major (T + 1, batch, units), the first row being
the initial state.

Example:
    >>> x = np.random.randn(2, 5, 3).astype("float32")
    >>> out, h = SimpleRNN().forward(x, np.zeros((3, 4), "float32"), np.eye(4, dtype="float32"))
    >>> out.shape, h.shape
    ((2, 5, 4), (2, 4))
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import register_op
from glassnet.ops.cell_activations import GateActivations
from glassnet.ops.recurrent import (InputProjection, RecurrentOp, RecurrentProduct,
                                    to_batch_major, to_time_major)


def _examples(rng=np.random.default_rng(92)):
    def weights(d, u, bias=True):
        return [rng.standard_normal((d, u)) * 0.6, rng.standard_normal((u, u)) * 0.6,
                rng.standard_normal(u) * 0.3 if bias else None]

    def keep(shape, rate=0.4):
        return (rng.random(shape) >= rate) / (1 - rate)

    b, t, d, u = 2, 4, 3, 3
    x = rng.standard_normal((b, t, d))
    h0 = rng.standard_normal((b, u))
    mask = np.array([[0, 1, 1, 0], [1, 1, 0, 1]], dtype=bool)
    return [
        ([x, *weights(d, u), h0, None, None, None], {}),
        ([x, *weights(d, u, False), None, None, None, None],
         {"return_sequences": False, "go_backwards": True}),
        ([x, *weights(d, u), h0, mask, None, None], {}),
        ([x, *weights(d, u), h0, mask, None, None],
         {"go_backwards": True, "zero_output_for_mask": True}),
        ([x, *weights(d, u), h0, mask, None, None], {"return_sequences": False}),
        ([x, *weights(d, u), h0, None, keep((b, d)), keep((b, u))], {}),
        ([x, *weights(d, u), h0, None, None, None], {"activation": "softsign"}),
        ([x, *weights(d, u), h0, None, None, None], {"activation": "sigmoid"}),
        ([rng.standard_normal((1, 1, 2)), *weights(2, 2), None, None, None, None], {}),
    ]


@register_op(_examples)
class SimpleRNN(RecurrentOp):
    """Fully connected recurrence over a whole sequence (see the module docstring).

    Inputs: x (batch, T, features), kernel (features, u), recurrent_kernel (u, u), bias (u)
    or None, initial h (batch, u) or None, mask (batch, T) or None, and dropout keep-masks
    on the inputs (batch, features) and on the state (batch, u).
    """

    label = "simple_rnn"
    differentiable = (True, True, True, True, True, False, False, False)

    def forward(self, x, kernel, recurrent_kernel, bias=None, h0=None, mask=None,
                input_dropout=None, recurrent_dropout=None):
        dtype = np.result_type(x.dtype, kernel.dtype, recurrent_kernel.dtype)
        self.dtype = dtype
        self.batch, self.steps = batch, steps = x.shape[:2]
        self.units = u = recurrent_kernel.shape[0]
        keep = self.keeps_for_backward
        self.gate = GateActivations([self.activation], (1, steps, batch, u), dtype, keep)
        x_tm = to_time_major(x.astype(dtype, copy=False), self.go_backwards)
        self.projection = InputProjection(x_tm, kernel, bias, input_dropout, 1)
        self.z = self.projection.forward(self.gate.scale)  # (1, T, batch, units)
        self.recurrent = RecurrentProduct(recurrent_kernel, recurrent_dropout, 1,
                                          self.gate.scale)
        self.h = np.zeros((steps + 1, batch, u), dtype)
        if h0 is not None:
            self.h[0] = h0
        self.state_buffers = [self.h]
        self.h_used = self.recurrent.used_buffer(steps, batch, u, dtype) if keep else None
        self.product = np.empty((1, batch, u), dtype)
        return self._run(mask)

    def _step(self, t: int) -> None:
        z = self.z[:, t]
        used = self.recurrent.forward(self.h[t], out=self.product)
        if self.h_used is not None:
            self.h_used[t] = used
        z += self.product
        self.gate.forward(t, z)  # z now holds this step's activations
        self.h[t + 1] = z[0]

    def _step_backward(self, t: int, d_states: list) -> list:
        (dh,) = d_states
        dz = self.dz[:, t]
        np.multiply(dh, self.gate.derivative(t, self.z[:, t], self.product), out=dz)
        return [self.recurrent.backward(dz)]

    def backward(self, grad):
        need = tuple(self.needs_input_grad) + (False,) * 8
        self.dz = np.empty_like(self.z)
        (d_h0,) = self._run_backward(grad)
        dx_tm, d_kernel, d_bias = self.projection.backward(self.dz, need[0], need[1], need[3])
        d_recurrent = None
        if need[2]:
            used = self.h_used if self.h_used is not None else self.h[:-1]
            d_recurrent = self.recurrent.kernel_grad(used, self.dz)
        dx = to_batch_major(dx_tm, self.go_backwards) if need[0] else None
        return (dx, d_kernel, d_recurrent, d_bias, d_h0 if need[4] else None, None, None, None)


def simple_rnn(x, kernel, recurrent_kernel, bias=None, h0=None, mask=None, input_dropout=None,
               recurrent_dropout=None, **options):
    """Run :class:`SimpleRNN` as a recorded op; returns (output, h) tensors."""
    return SimpleRNN(**options)(x, kernel, recurrent_kernel, bias, h0, mask, input_dropout,
                                recurrent_dropout)
