"""The fused LSTM op: a whole sequence forward in one call, back-propagation through time in
one ``backward``.  Weights in Keras's layout, gates in Keras's order i, f, c, o:

    z_t = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias        (batch, 4 * units)
    i = sigmoid(z_i)   f = sigmoid(z_f)   c_tilde = tanh(z_c)   o = sigmoid(z_o)
    c_t = f * c_{t-1} + i * c_tilde        h_t = o * tanh(c_t)

The input projection of every timestep is one GEMM before the loop; each step does one GEMM
for the recurrence.  Backward runs the steps in reverse, keeping d z for every step, and
gets the kernel, recurrent-kernel and bias gradients as three GEMMs / sums after the loop.

After a forward pass the op holds the per-step values, time-major (T, batch, units), in
processing order: ``i``, ``f``, ``c_tilde``, ``o``, ``c`` and ``h`` (``c`` and ``h`` have
T + 1 rows, the first being the initial state), and ``tanh_c``.  The gates live in one
gate-major array ``z`` (4, T, batch, units), so each gate of each step is one contiguous
block, which keeps the per-step NumPy calls fast.

Example:
    >>> x = np.random.randn(2, 5, 3).astype("float32")
    >>> op = LSTM()
    >>> out, h, c = op.forward(x, np.zeros((3, 8), "float32"), np.zeros((2, 8), "float32"))
    >>> out.shape, op.i.shape
    ((2, 5, 2), (5, 2, 2))
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import register_op
from glassnet.ops.cell_activations import GateActivations
from glassnet.ops.recurrent import (InputProjection, RecurrentOp, RecurrentProduct,
                                    to_batch_major, to_time_major)


def _examples(rng=np.random.default_rng(90)):
    def weights(d, u, bias=True):
        return [rng.standard_normal((d, 4 * u)) * 0.6, rng.standard_normal((u, 4 * u)) * 0.6,
                rng.standard_normal(4 * u) * 0.3 if bias else None]

    def mask(b, t, pattern):
        return np.array(pattern, dtype=bool).reshape(b, t)

    def keep(shape, rate=0.4):
        return (rng.random(shape) >= rate) / (1 - rate)

    b, t, d, u = 2, 4, 3, 2
    x = rng.standard_normal((b, t, d))
    h0, c0 = rng.standard_normal((b, u)), rng.standard_normal((b, u))
    return [
        ([x, *weights(d, u), h0, c0, None, None, None], {}),
        ([x, *weights(d, u, bias=False), None, None, None, None, None],
         {"return_sequences": False, "go_backwards": True}),
        ([rng.standard_normal((3, 5, 2)), *weights(2, 3), rng.standard_normal((3, 3)),
          rng.standard_normal((3, 3)),
          mask(3, 5, [0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1]), None, None], {}),
        ([x, *weights(d, u), h0, c0, mask(b, t, [1, 1, 0, 0, 0, 1, 0, 1]), None, None],
         {"go_backwards": True, "zero_output_for_mask": True}),
        ([x, *weights(d, u), h0, c0, mask(b, t, [0, 1, 1, 0, 1, 0, 0, 1]), None, None],
         {"return_sequences": False}),
        ([x, *weights(d, u), h0, c0, None, keep((b, d)), None], {}),
        ([x, *weights(d, u), h0, c0, None, keep((4, b, d)), keep((4, b, u))],
         {"go_backwards": True}),
        ([x, *weights(d, u), None, None, None, None, keep((b, u))], {}),
        ([rng.standard_normal((1, 1, 2)), *weights(2, 3), None, None, None, None, None], {}),
        ([x, *weights(d, u), h0, c0, None, None, None],
         {"activation": "softsign", "recurrent_activation": "hard_sigmoid"}),
    ]


@register_op(_examples)
class LSTM(RecurrentOp):
    """Long short-term memory over a whole sequence (see the module docstring).

    Inputs: x (batch, T, features), kernel (features, 4u), recurrent_kernel (u, 4u), bias
    (4u) or None, initial h and c (batch, u) or None, mask (batch, T) or None, and dropout
    keep-masks scaled by 1 / (1 - rate): on the inputs (batch, features) or per gate
    (4, batch, features), on the state (batch, u) or per gate (4, batch, u).
    """

    label = "lstm"
    differentiable = (True, True, True, True, True, True, False, False, False)

    def forward(self, x, kernel, recurrent_kernel, bias=None, h0=None, c0=None, mask=None,
                input_dropout=None, recurrent_dropout=None):
        dtype = np.result_type(x.dtype, kernel.dtype, recurrent_kernel.dtype)
        self.dtype = dtype
        self.batch, self.steps = batch, steps = x.shape[:2]
        self.units = units = recurrent_kernel.shape[0]
        keep = self.keeps_for_backward
        recurrent = self.recurrent_activation
        self.gates = GateActivations([recurrent, recurrent, self.activation, recurrent],
                                     (4, steps, batch, units), dtype, keep)
        self.cell_output = GateActivations([self.activation], (1, steps, batch, units), dtype,
                                           keep)
        x_tm = to_time_major(x.astype(dtype, copy=False), self.go_backwards)
        self.projection = InputProjection(x_tm, kernel, bias, input_dropout, 4)
        # z for every step, gate-major; each step turns its block into the activations.
        self.z = self.projection.forward(self.gates.scale)
        self.recurrent = RecurrentProduct(recurrent_kernel, recurrent_dropout, 4,
                                          self.gates.scale)
        self.h = np.zeros((steps + 1, batch, units), dtype)
        self.c = np.zeros((steps + 1, batch, units), dtype)
        if h0 is not None:
            self.h[0] = h0
        if c0 is not None:
            self.c[0] = c0
        self.state_buffers = [self.h, self.c]
        self.tanh_c = np.empty((steps, batch, units), dtype)
        self.h_used = self.recurrent.used_buffer(steps, batch, units, dtype) if keep else None
        self.product = np.empty((4, batch, units), dtype)
        self.scratch = np.empty((batch, units), dtype)
        return self._run(mask)

    # The gates, (T, batch, units) each, in processing order.
    i = property(lambda self: self.z[0])
    f = property(lambda self: self.z[1])
    c_tilde = property(lambda self: self.z[2])
    o = property(lambda self: self.z[3])

    def _step(self, t: int) -> None:
        z = self.z[:, t]
        used = self.recurrent.forward(self.h[t], out=self.product)
        if self.h_used is not None:
            self.h_used[..., t, :, :] = used
        z += self.product
        self.gates.forward(t, z)
        i, f, c_tilde, o = z
        c = self.c[t + 1]
        np.multiply(f, self.c[t], out=c)
        np.multiply(i, c_tilde, out=self.scratch)
        c += self.scratch
        tanh_c = self.tanh_c[t]
        if self.cell_output.fast:
            np.tanh(c, out=tanh_c)
        else:
            tanh_c[...] = c
            self.cell_output.forward(t, tanh_c[None])
        np.multiply(o, tanh_c, out=self.h[t + 1])

    def _prepare_backward(self) -> None:
        """Everything of backward that does not depend on the carried gradients, for all
        steps at once: dz starts as the factor each gate's gradient needs, d h / d c too."""
        self.dz = dz = np.empty_like(self.z)
        self.gates.derivative_all(self.z, out=dz)
        i, f, c_tilde, o = self.z
        dz[0] *= c_tilde      # d i = dc * c_tilde
        dz[1] *= self.c[:-1]  # d f = dc * c_prev
        dz[2] *= i            # d c_tilde = dc * i
        dz[3] *= self.tanh_c  # d o = dh * tanh(c)
        self.dh_dc = self.cell_output.derivative_all(self.tanh_c[None],
                                                     np.empty((1,) + self.tanh_c.shape,
                                                              self.dtype))[0]
        self.dh_dc *= o       # h = o * tanh(c)

    def _step_backward(self, t: int, d_states: list) -> list:
        dh, dc = d_states
        # dc_t gathers the carry from step t + 1 and the path through h_t.
        np.multiply(dh, self.dh_dc[t], out=self.scratch)
        dc = dc + self.scratch
        dz = self.dz[:, t]
        np.multiply(dz[:3], dc, out=dz[:3])
        dz[3] *= dh
        return [self.recurrent.backward(dz), dc * self.z[1, t]]

    def backward(self, grad):
        need = tuple(self.needs_input_grad) + (False,) * 9
        self._prepare_backward()
        d_h0, d_c0 = self._run_backward(grad)
        dx_tm, d_kernel, d_bias = self.projection.backward(self.dz, need[0], need[1], need[3])
        d_recurrent = None
        if need[2]:
            used = self.h_used if self.h_used is not None else self.h[:-1]
            d_recurrent = self.recurrent.kernel_grad(used, self.dz)
        dx = to_batch_major(dx_tm, self.go_backwards) if need[0] else None
        return (dx, d_kernel, d_recurrent, d_bias, d_h0 if need[4] else None,
                d_c0 if need[5] else None, None, None, None)


def lstm(x, kernel, recurrent_kernel, bias=None, h0=None, c0=None, mask=None,
         input_dropout=None, recurrent_dropout=None, **options):
    """Run :class:`LSTM` as a recorded op; returns (output, h, c) tensors."""
    return LSTM(**options)(x, kernel, recurrent_kernel, bias, h0, c0, mask, input_dropout,
                           recurrent_dropout)


