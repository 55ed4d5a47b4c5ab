"""What the fused recurrent ops (SimpleRNN, LSTM, GRU) share: the time loop with Keras's
masking rules, the input projection of all timesteps as one batched GEMM, dropout masks on
inputs and recurrent state, the gate activations (``cell_activations``), and two small sequence
ops (reversing the time axis, repeating a vector over time).

A recurrent op runs a whole sequence in one ``forward`` and back-propagates through time in
one ``backward``.  The weights keep Keras's layout, (rows, gates * units); inside the op
each gate's block is split out, and per-step values are stored gate-major and time-major,
``(gates, timesteps, batch, units)``, so that one gate at one step is a contiguous
(batch, units) block.  That matters: NumPy works on a contiguous block several times
faster than on a (batch, units) slice of a (batch, gates * units) row.

Masking follows Keras: at a masked step the states keep their previous values, and the
output repeats the previous output (zeros before the first unmasked step), or is zero when
``zero_output_for_mask`` is set (as Bidirectional does for sequences).

Example:
    >>> reverse_sequence(Tensor(np.arange(6.0).reshape(1, 3, 2))).data[0, :, 0]
    array([4., 2., 0.])
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op
from glassnet.ops.cell_activations import cell_activation, scale_blocks


# --- shapes ---------------------------------------------------------------------------------

def to_time_major(x: np.ndarray, go_backwards: bool) -> np.ndarray:
    """(batch, T, ...) -> contiguous (T, batch, ...), in processing order."""
    x = np.swapaxes(x, 0, 1)
    if go_backwards:
        x = x[::-1]
    return np.ascontiguousarray(x)


def to_batch_major(x: np.ndarray, go_backwards: bool) -> np.ndarray:
    """Inverse of :func:`to_time_major` (used for the input gradient)."""
    if go_backwards:
        x = x[::-1]
    return np.ascontiguousarray(np.swapaxes(x, 0, 1))


def step_mask(mask, batch: int, steps: int, go_backwards: bool):
    """A (batch, T) mask as (T, batch, 1) booleans in processing order; None when absent or
    all True, so the unmasked loop runs."""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.shape != (batch, steps):
        raise ValueError(f"A recurrent mask must have shape (batch, timesteps) = "
                         f"{(batch, steps)}. Received: mask.shape={mask.shape}")
    mask = mask.astype(bool, copy=False)
    if mask.all():
        return None
    return to_time_major(mask, go_backwards)[..., None]


def gate_blocks(matrix: np.ndarray, gates: int) -> np.ndarray:
    """Keras's (rows, gates*units) layout -> contiguous (gates, rows, units), one per gate."""
    rows, columns = matrix.shape
    return np.ascontiguousarray(np.swapaxes(matrix.reshape(rows, gates, columns // gates),
                                            0, 1))


def from_gate_blocks(blocks: np.ndarray) -> np.ndarray:
    """(gates, rows, units) -> Keras's (rows, gates*units)."""
    gates, rows, units = blocks.shape
    return np.ascontiguousarray(np.swapaxes(blocks, 0, 1)).reshape(rows, gates * units)


# --- input projection: all timesteps at once ------------------------------------------------

class InputProjection:
    """xp[g] = (x * dropout[g]) @ kernel[:, block g] + bias[block g] for every timestep,
    as one batched GEMM into the gate-major layout (gates, T, batch, units).

    ``dropout`` is None, one (batch, features) mask for all gates, or one mask per gate
    (gates, batch, features), as Keras's cells draw them when ``recurrent_dropout`` is set.
    """

    def __init__(self, x_tm: np.ndarray, kernel: np.ndarray, bias, dropout, gates: int):
        self.x_tm, self.dropout, self.gates = x_tm, dropout, gates
        self.blocks = gate_blocks(kernel, gates)
        self.bias = None if bias is None else bias.reshape(gates, 1, -1)

    def forward(self, scale=None) -> np.ndarray:
        """The projections, with each gate's weights times ``scale`` (gates, 1, 1) if given."""
        steps, batch, features = self.x_tm.shape
        blocks = scale_blocks(self.blocks, scale)
        if self.dropout is None:
            self.x_used = self.x_tm.reshape(-1, features)
        elif self.dropout.ndim == 2:
            self.x_used = (self.x_tm * self.dropout).reshape(-1, features)
        else:
            self.x_used = (self.x_tm[None] * self.dropout[:, None]).reshape(self.gates, -1,
                                                                           features)
        xp = np.matmul(self.x_used, blocks)  # (gates, T*batch, units)
        if self.bias is not None:
            xp += scale_blocks(self.bias, scale)
        return xp.reshape(self.gates, steps, batch, -1)

    def backward(self, d_xp: np.ndarray, need_x: bool, need_kernel: bool, need_bias: bool):
        """Gradients of x (time-major), kernel (Keras layout) and bias from d xp."""
        d_flat = d_xp.reshape(self.gates, -1, d_xp.shape[-1])  # (gates, T*batch, units)
        dx = d_kernel = d_bias = None
        if need_bias and self.bias is not None:
            d_bias = d_flat.sum(axis=1).reshape(-1)
        if need_kernel:
            d_kernel = from_gate_blocks(np.matmul(np.swapaxes(self.x_used, -1, -2), d_flat))
        if need_x:
            d_used = np.matmul(d_flat, np.swapaxes(self.blocks, 1, 2))  # (gates, TB, features)
            if self.dropout is not None and self.dropout.ndim == 3:
                d_used = d_used.reshape((self.gates,) + self.x_tm.shape) * \
                    self.dropout[:, None]
            dx = d_used.sum(axis=0).reshape(self.x_tm.shape)
            if self.dropout is not None and self.dropout.ndim == 2:
                dx *= self.dropout
        return dx, d_kernel, d_bias


# --- recurrent product with optional dropout on the state -------------------------------------

class RecurrentProduct:
    """One step's h @ recurrent_kernel, per gate: (batch, units) -> (gates, batch, units),
    with Keras's recurrent dropout on h (one mask, or one per gate (gates, batch, units))."""

    def __init__(self, kernel: np.ndarray, dropout, gates: int, scale=None):
        self.gates, self.dropout = gates, dropout
        self.blocks = gate_blocks(kernel, gates)  # the true kernel, for gradients
        self.forward_blocks = scale_blocks(self.blocks, scale)
        self.per_gate = dropout is not None and dropout.ndim == 3
        self.blocks_t = None

    def forward(self, h: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Writes the product into ``out`` (gates, batch, units); returns the h used."""
        used = h
        if self.dropout is not None:
            used = (h[None] if self.per_gate else h) * self.dropout
        np.matmul(used, self.forward_blocks, out=out)
        return used

    def backward(self, d_product: np.ndarray) -> np.ndarray:
        """d h (batch, units) from d product (gates, batch, units)."""
        if self.blocks_t is None:
            self.blocks_t = np.ascontiguousarray(np.swapaxes(self.blocks, 1, 2))
        d_used = np.matmul(d_product, self.blocks_t)
        if self.per_gate:
            d_used *= self.dropout
        dh = d_used.sum(axis=0) if self.gates > 1 else d_used[0]
        if self.dropout is not None and not self.per_gate:
            dh = dh * self.dropout
        return dh

    def used_buffer(self, steps: int, batch: int, units: int, dtype):
        """Where a step keeps the h it used, when dropout changed it (else None)."""
        if self.dropout is None:
            return None
        return np.empty(((self.gates,) if self.per_gate else ()) + (steps, batch, units), dtype)

    def kernel_grad(self, used_seq: np.ndarray, d_seq: np.ndarray) -> np.ndarray:
        """d kernel (Keras layout) from the used h of every step, (T, batch, units) or per
        gate (gates, T, batch, units), and d products (gates, T, batch, units): one GEMM."""
        units = used_seq.shape[-1]
        used = used_seq.reshape(((self.gates,) if self.per_gate else ()) + (-1, units))
        d_flat = d_seq.reshape(self.gates, -1, d_seq.shape[-1])
        return from_gate_blocks(np.matmul(np.swapaxes(used, -1, -2), d_flat))


# --- the time loop ----------------------------------------------------------------------------

class RecurrentOp(Op):
    """Base of the fused sequence ops: runs a cell over time with Keras's masking rules.

    Subclasses allocate ``self.state_buffers`` (one (T+1, batch, units) array per state,
    index 0 holding the initial state) and define ``_step(t)``, which reads the states at
    index t and writes the new ones at t + 1, and ``_step_backward(t, d_states)``, which
    returns the gradients of the states at index t.  Here the masked steps are handled: the
    states are copied forward and the outputs repeated, on both passes.

    Outputs: the output sequence (batch, T, units), or the last output (batch, units) when
    ``return_sequences`` is False, followed by the final states.
    """

    def __init__(self, activation: str = "tanh", recurrent_activation: str = "sigmoid",
                 go_backwards: bool = False, return_sequences: bool = True,
                 zero_output_for_mask: bool = False):
        self.activation = cell_activation(activation)
        self.recurrent_activation = cell_activation(recurrent_activation,
                                                    "recurrent_activation")
        self.go_backwards = go_backwards
        self.return_sequences = return_sequences
        self.zero_output_for_mask = zero_output_for_mask

    @property
    def keeps_for_backward(self) -> bool:
        """True when a gradient will be asked for, so per-step derivatives are worth keeping."""
        return any(self.needs_input_grad)

    def _run(self, mask) -> tuple:
        steps, batch, units = self.steps, self.batch, self.units
        self.mask_tm = step_mask(mask, batch, steps, self.go_backwards)
        h_seq = self.state_buffers[0]
        if self.mask_tm is None:
            for t in range(steps):
                self._step(t)
            output = np.swapaxes(h_seq[1:], 0, 1) if self.return_sequences else h_seq[-1]
        else:
            y_seq = np.empty((steps, batch, units), self.dtype) if self.return_sequences \
                else None
            y = np.zeros((batch, units), self.dtype)
            for t in range(steps):
                self._step(t)
                m = self.mask_tm[t]
                y = np.where(m, h_seq[t + 1], 0 if self.zero_output_for_mask else y)
                if y_seq is not None:
                    y_seq[t] = y
                for buffer in self.state_buffers:  # a masked step keeps the previous state
                    np.copyto(buffer[t + 1], buffer[t], where=~m)
            output = np.swapaxes(y_seq, 0, 1) if self.return_sequences else y
        finals = tuple(buffer[-1].copy() for buffer in self.state_buffers)
        return (np.ascontiguousarray(output),) + finals

    def _run_backward(self, grads) -> list:
        """Back-propagation through time; returns the initial states' gradients."""
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        d_output, d_final = grads[0], grads[1:]
        shape = (self.batch, self.units)
        d_states = [np.zeros(shape, self.dtype) if g is None else np.array(g, dtype=self.dtype)
                    for g in d_final]
        d_states += [np.zeros(shape, self.dtype)
                     for _ in range(len(self.state_buffers) - len(d_states))]
        d_seq = None
        d_y = np.zeros(shape, self.dtype)
        if d_output is not None:
            if self.return_sequences:
                d_seq = np.swapaxes(d_output, 0, 1)
            else:
                d_y = d_y + d_output
        if self.mask_tm is None:
            for t in range(self.steps - 1, -1, -1):
                extra = d_seq[t] if d_seq is not None else (
                    d_y if t == self.steps - 1 else None)
                if extra is not None:
                    d_states[0] = d_states[0] + extra
                d_states = self._step_backward(t, d_states)
            return d_states
        for t in range(self.steps - 1, -1, -1):
            dy = d_y if d_seq is None else d_y + d_seq[t]
            m = self.mask_tm[t]
            # A masked step passed its states and output through unchanged.
            through = [np.where(m, d_states[0] + dy, 0)] + [np.where(m, d, 0)
                                                             for d in d_states[1:]]
            d_prev = self._step_backward(t, through)
            d_states = [np.where(m, dp, dp + d) for dp, d in zip(d_prev, d_states)]
            d_y = np.zeros(shape, self.dtype) if self.zero_output_for_mask else \
                np.where(m, 0, dy).astype(self.dtype, copy=False)
        return d_states


# --- reversing the time axis ------------------------------------------------------------------

@register_op(lambda: [([np.random.default_rng(80).standard_normal((2, 4, 3))], {}),
                      ([np.random.default_rng(81).standard_normal((3, 1, 2))], {})])
class ReverseSequence(Op):
    """z = x[:, ::-1] (the time axis reversed);  dx = dz[:, ::-1]."""

    label = "reverse_sequence"

    def forward(self, x):
        return np.ascontiguousarray(x[:, ::-1])

    def backward(self, grad):
        return (np.ascontiguousarray(grad[:, ::-1]),)


def reverse_sequence(x):
    return ReverseSequence()(x)


@register_op(lambda: [([np.random.default_rng(82).standard_normal((2, 3))], {"n": 4}),
                      ([np.random.default_rng(83).standard_normal((1, 2))], {"n": 1})])
class RepeatVector(Op):
    """z[:, t] = x for t < n (batch, features) -> (batch, n, features);  dx = dz summed over t."""

    label = "repeat_vector"

    def __init__(self, n: int):
        self.n = n

    def forward(self, x):
        return np.repeat(x[:, None, :], self.n, axis=1)

    def backward(self, grad):
        return (grad.sum(axis=1),)


def repeat_vector(x, n: int):
    return RepeatVector(n)(x)

