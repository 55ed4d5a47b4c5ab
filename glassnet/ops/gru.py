"""The fused GRU op over a whole sequence, with Keras's weight layout and gate order z, r, h.

With ``reset_after=True`` (Keras 3's default, and PyTorch's formulation) the bias has shape
(2, 3 * units): an input bias and a recurrent bias, and the reset gate multiplies the
recurrent part of the candidate after its matrix product:

    xz, xr, xh = x_t @ kernel + input_bias
    hz, hr, hh = h_{t-1} @ recurrent_kernel + recurrent_bias
    z = sigmoid(xz + hz)    r = sigmoid(xr + hr)    h_tilde = tanh(xh + r * hh)
    h_t = z * h_{t-1} + (1 - z) * h_tilde

With ``reset_after=False`` the bias is (3 * units,) and the candidate is
``tanh(xh + (r * h_{t-1}) @ recurrent_kernel[:, 2u:])``.

After a forward pass the op holds, time-major (T, batch, units) in processing order,
``z``, ``r``, ``h_tilde`` (views of the gate-major array ``xp`` (3, T, batch, units)) and
``h`` (T + 1 rows, the first being the initial state).

Example:
    >>> x = np.random.randn(2, 5, 3).astype("float32")
    >>> out, h = GRU().forward(x, np.zeros((3, 6), "float32"), np.zeros((2, 6), "float32"))
    >>> out.shape
    (2, 5, 2)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import register_op
from glassnet.ops.cell_activations import GateActivations
from glassnet.ops.recurrent import (InputProjection, RecurrentOp, RecurrentProduct,
                                    to_batch_major, to_time_major)


def _examples(rng=np.random.default_rng(91)):
    def weights(d, u, bias="after"):
        b = {"after": rng.standard_normal((2, 3 * u)) * 0.3,
             "before": rng.standard_normal(3 * u) * 0.3, None: None}[bias]
        return [rng.standard_normal((d, 3 * u)) * 0.6, rng.standard_normal((u, 3 * u)) * 0.6, b]

    def keep(shape, rate=0.4):
        return (rng.random(shape) >= rate) / (1 - rate)

    b, t, d, u = 2, 4, 3, 2
    x = rng.standard_normal((b, t, d))
    h0 = rng.standard_normal((b, u))
    mask = np.array([[1, 0, 1, 1], [0, 0, 1, 0]], dtype=bool)
    return [
        ([x, *weights(d, u), h0, None, None, None], {}),
        ([x, *weights(d, u, "before"), h0, None, None, None], {"reset_after": False}),
        ([x, *weights(d, u, None), None, None, None, None],
         {"return_sequences": False, "go_backwards": True}),
        ([x, *weights(d, u), h0, mask, None, None], {}),
        ([x, *weights(d, u, "before"), h0, mask, None, None],
         {"reset_after": False, "go_backwards": True, "zero_output_for_mask": True}),
        ([x, *weights(d, u), h0, mask, None, None], {"return_sequences": False}),
        ([x, *weights(d, u), h0, None, keep((3, b, d)), keep((3, b, u))], {}),
        ([x, *weights(d, u, "before"), h0, None, keep((3, b, d)), keep((3, b, u))],
         {"reset_after": False}),
        ([x, *weights(d, u), h0, None, keep((b, d)), None], {}),
        ([rng.standard_normal((3, 2, 2)), *weights(2, 3), None, None, None, None],
         {"activation": "softsign", "recurrent_activation": "hard_sigmoid"}),
        ([x, *weights(d, u), h0, mask, None, None], {"activation": "relu"}),
        ([x, *weights(d, u), h0, None, None, None], {"activation": "sigmoid"}),
        ([x, *weights(d, u, "before"), h0, None, None, keep((3, b, u))],
         {"activation": "sigmoid", "reset_after": False}),
    ]


@register_op(_examples)
class GRU(RecurrentOp):
    """Gated recurrent unit over a whole sequence (see the module docstring).

    Inputs: x (batch, T, features), kernel (features, 3u), recurrent_kernel (u, 3u), bias
    ((2, 3u) with ``reset_after``, else (3u,)) or None, initial h (batch, u) or None, mask
    (batch, T) or None, and dropout keep-masks on the inputs and on the state, one for all
    gates or one per gate (3, ...).
    """

    label = "gru"
    differentiable = (True, True, True, True, True, False, False, False)

    def __init__(self, reset_after: bool = True, **options):
        super().__init__(**options)
        self.reset_after = reset_after

    def forward(self, x, kernel, recurrent_kernel, bias=None, h0=None, mask=None,
                input_dropout=None, recurrent_dropout=None):
        dtype = np.result_type(x.dtype, kernel.dtype, recurrent_kernel.dtype)
        self.dtype = dtype
        self.batch, self.steps = batch, steps = x.shape[:2]
        self.units = u = recurrent_kernel.shape[0]
        keep = self.keeps_for_backward
        rec = self.recurrent_activation
        # z and r are activated together, the candidate after them (it needs r); the
        # weights feeding each are scaled for its activations.
        self.gate_zr = GateActivations([rec, rec], (2, steps, batch, u), dtype, keep)
        self.gate_h = GateActivations([self.activation], (1, steps, batch, u), dtype, keep)
        self.h_scale = float(self.gate_h.input_scale(dtype)[0, 0, 0])
        scale = None
        if self.gate_zr.scale is not None or self.gate_h.scale is not None:
            scale = np.concatenate([self.gate_zr.input_scale(dtype),
                                    self.gate_h.input_scale(dtype)])
        input_bias = recurrent_bias = None
        if bias is not None:
            input_bias, recurrent_bias = (bias[0], bias[1]) if self.reset_after else (bias, None)
        x_tm = to_time_major(x.astype(dtype, copy=False), self.go_backwards)
        self.projection = InputProjection(x_tm, kernel, input_bias, input_dropout, 3)
        self.xp = self.projection.forward(scale)
        self.h = np.zeros((steps + 1, batch, u), dtype)
        if h0 is not None:
            self.h[0] = h0
        self.state_buffers = [self.h]
        per_gate = recurrent_dropout is not None and recurrent_dropout.ndim == 3
        if self.reset_after:
            self.recurrent = RecurrentProduct(recurrent_kernel, recurrent_dropout, 3, scale)
            self.hr = np.empty((3, steps, batch, u), dtype)
            self.recurrent_bias = None
            if recurrent_bias is not None:
                # z and r only add it: fold it into their input projection; the candidate's
                # part sits inside r * (h @ U_h + b_h), so it stays per step.
                self.xp[:2] += self.gate_zr.scaled(recurrent_bias[:2 * u].reshape(2, 1, 1, u))
                self.recurrent_bias = np.ascontiguousarray(np.broadcast_to(
                    self.gate_h.scaled(recurrent_bias[None, 2 * u:])[0], (batch, u)),
                    dtype=dtype)
        else:
            zr_dropout = recurrent_dropout[:2] if per_gate else recurrent_dropout
            self.h_dropout = recurrent_dropout[2] if per_gate else recurrent_dropout
            self.kernel_h = np.ascontiguousarray(recurrent_kernel[:, 2 * u:])
            self.kernel_h_forward = self.gate_h.scaled(self.kernel_h[None])[0]
            self.recurrent = RecurrentProduct(recurrent_kernel[:, :2 * u], zr_dropout, 2,
                                              self.gate_zr.scale)
            self.hr = np.empty((2, steps, batch, u), dtype)
            self.rh = np.empty((steps, batch, u), dtype)
        self.h_used = self.recurrent.used_buffer(steps, batch, u, dtype) if keep else None
        self.scratch = np.empty((batch, u), dtype)
        return self._run(mask)

    # The gates, (T, batch, units) each, in processing order.
    z = property(lambda self: self.xp[0])
    r = property(lambda self: self.xp[1])
    h_tilde = property(lambda self: self.xp[2])

    def _step(self, t: int) -> None:
        xp, hr, h_prev = self.xp[:, t], self.hr[:, t], self.h[t]
        used = self.recurrent.forward(h_prev, out=hr)
        if self.h_used is not None:
            self.h_used[..., t, :, :] = used
        zr = xp[:2]
        zr += hr[:2]
        self.gate_zr.forward(t, zr)
        z, r = zr
        if self.reset_after:
            if self.recurrent_bias is not None:
                hr[2] += self.recurrent_bias
            np.multiply(r, hr[2], out=self.scratch)
        else:
            h_dropped = h_prev if self.h_dropout is None else h_prev * self.h_dropout
            np.multiply(r, h_dropped, out=self.rh[t])
            np.matmul(self.rh[t], self.kernel_h_forward, out=self.scratch)
        candidate = xp[2]
        candidate += self.scratch
        self.gate_h.forward(t, xp[2:])
        # h = z * h_prev + (1 - z) * h_tilde, written as h_tilde + z * (h_prev - h_tilde).
        np.subtract(h_prev, candidate, out=self.scratch)
        self.scratch *= z
        np.add(candidate, self.scratch, out=self.h[t + 1])

    def _step_backward(self, t: int, d_states: list) -> list:
        (dh,) = d_states
        s, h_prev, dxp = self.xp[:, t], self.h[t], self.dxp[:, t]
        z, r, h_tilde = s
        d_z, d_r, d_candidate = dxp
        np.subtract(h_prev, h_tilde, out=d_z)
        d_z *= dh
        np.subtract(1, z, out=d_candidate)
        d_candidate *= dh
        d_candidate *= self.gate_h.derivative(t, s[2:], self.scratch[None])[0]
        if self.reset_after:
            np.multiply(d_candidate, self.hr[2, t], out=d_r)
            if self.h_scale != 1:  # hr was computed with the candidate's scaled weights
                d_r /= self.h_scale
            dxp[:2] *= self.gate_zr.derivative(t, s[:2], self.d_gates)
            d_hr = self.d_hr[:, t]
            d_hr[:2] = dxp[:2]
            np.multiply(d_candidate, r, out=d_hr[2])
            dh_prev = self.recurrent.backward(d_hr)
        else:
            d_rh = np.matmul(d_candidate, self.kernel_h.T)
            h_dropped = h_prev if self.h_dropout is None else h_prev * self.h_dropout
            np.multiply(d_rh, h_dropped, out=d_r)
            dxp[:2] *= self.gate_zr.derivative(t, s[:2], self.d_gates)
            dh_prev = self.recurrent.backward(dxp[:2])
            d_rh *= r
            if self.h_dropout is not None:
                d_rh *= self.h_dropout
            dh_prev += d_rh
        dh_prev += dh * z
        return [dh_prev]

    def backward(self, grad):
        need = tuple(self.needs_input_grad) + (False,) * 8
        u = self.units
        self.dxp = np.empty_like(self.xp)
        self.d_gates = np.empty((2, self.batch, u), self.dtype)
        if self.reset_after:
            self.d_hr = np.empty_like(self.hr)
        (d_h0,) = self._run_backward(grad)
        dx_tm, d_kernel, d_input_bias = self.projection.backward(self.dxp, need[0], need[1],
                                                                 need[3])
        used = self.h_used if self.h_used is not None else self.h[:-1]
        d_recurrent = d_bias = None
        if self.reset_after:
            if need[2]:
                d_recurrent = self.recurrent.kernel_grad(used, self.d_hr)
            if need[3] and d_input_bias is not None:
                d_bias = np.stack([d_input_bias, self.d_hr.sum(axis=(1, 2)).reshape(-1)])
        else:
            if need[2]:
                d_zr = self.recurrent.kernel_grad(used, self.dxp[:2])
                d_h = np.matmul(self.rh.reshape(-1, u).T, self.dxp[2].reshape(-1, u))
                d_recurrent = np.concatenate([d_zr, d_h], axis=1)
            d_bias = d_input_bias
        dx = to_batch_major(dx_tm, self.go_backwards) if need[0] else None
        return (dx, d_kernel, d_recurrent, d_bias, d_h0 if need[4] else None, None, None, None)


def gru(x, kernel, recurrent_kernel, bias=None, h0=None, mask=None, input_dropout=None,
        recurrent_dropout=None, **options):
    """Run :class:`GRU` as a recorded op; returns (output, h) tensors."""
    return GRU(**options)(x, kernel, recurrent_kernel, bias, h0, mask, input_dropout,
                          recurrent_dropout)
