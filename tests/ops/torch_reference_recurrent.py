"""PyTorch references for the fused recurrent ops, written as Keras's step loop (float64).

Each step is the Keras cell's formula with the gates in Keras's order (LSTM i, f, c, o; GRU
z, r, h).  The loop follows ``keras.backend.rnn``: ``go_backwards`` walks the steps in reverse
and returns the outputs in that order; at a masked step the states keep their values and the
output repeats the previous one (zeros before the first unmasked step), or is zero with
``zero_output_for_mask``.  Dropout keep-masks are one for every gate (2-D) or one per gate.

Example:
    >>> out, h = simple_rnn(x, kernel, recurrent_kernel, bias)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

ACTIVATIONS = {
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "hard_sigmoid": F.hardsigmoid,
    "relu": torch.relu, "linear": lambda x: x, None: lambda x: x, "softsign": F.softsign,
    "elu": F.elu, "softplus": F.softplus, "exponential": torch.exp,
}


def _as_tensor(value):
    return None if value is None else torch.as_tensor(value)


def _gated_product(x, kernel, keep, gates: int):
    """Gate g's columns of ``(x * keep_g) @ kernel``: keep is None, shared, or per gate."""
    if keep is None:
        return x @ kernel
    if keep.ndim == x.ndim:
        return (x * keep) @ kernel
    blocks = kernel.chunk(gates, dim=-1)
    return torch.cat([(x * keep[g]) @ blocks[g] for g in range(gates)], dim=-1)


def _gate_keep(keep, g: int):
    if keep is None or keep.ndim == 2:
        return keep
    return keep[g]


def _loop(step, x, states, mask, go_backwards, return_sequences, zero_output_for_mask):
    mask = _as_tensor(mask)
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outputs, masks = [], []
    for t in order:
        output, new_states = step(x[:, t], states)
        if mask is not None:
            m = mask[:, t:t + 1].to(torch.bool)
            previous = outputs[-1] if outputs else torch.zeros_like(output)
            output = torch.where(m, output, previous)
            new_states = [torch.where(m, new, old) for new, old in zip(new_states, states)]
            masks.append(m)
        states = new_states
        outputs.append(output)
    if mask is not None and zero_output_for_mask:
        outputs = [torch.where(m, o, torch.zeros_like(o)) for o, m in zip(outputs, masks)]
    sequence = torch.stack(outputs, dim=1) if return_sequences else outputs[-1]
    return (sequence, *states)


def _initial(state, x, units):
    return torch.zeros(x.shape[0], units, dtype=x.dtype) if state is None else state


def simple_rnn(x, kernel, recurrent_kernel, bias=None, h0=None, mask=None, input_dropout=None,
               recurrent_dropout=None, activation="tanh", recurrent_activation="sigmoid",
               go_backwards=False, return_sequences=True, zero_output_for_mask=False):
    act = ACTIVATIONS[activation]
    keep_x, keep_h = _as_tensor(input_dropout), _as_tensor(recurrent_dropout)

    def step(x_t, states):
        (h,) = states
        z = _gated_product(x_t, kernel, keep_x, 1) + _gated_product(h, recurrent_kernel,
                                                                   keep_h, 1)
        h = act(z if bias is None else z + bias)
        return h, [h]

    return _loop(step, x, [_initial(h0, x, recurrent_kernel.shape[0])], mask, go_backwards,
                 return_sequences, zero_output_for_mask)


def lstm(x, kernel, recurrent_kernel, bias=None, h0=None, c0=None, mask=None,
         input_dropout=None, recurrent_dropout=None, activation="tanh",
         recurrent_activation="sigmoid", go_backwards=False, return_sequences=True,
         zero_output_for_mask=False):
    units = recurrent_kernel.shape[0]
    act, gate = ACTIVATIONS[activation], ACTIVATIONS[recurrent_activation]
    keep_x, keep_h = _as_tensor(input_dropout), _as_tensor(recurrent_dropout)

    def step(x_t, states):
        h, c = states
        z = _gated_product(x_t, kernel, keep_x, 4) + _gated_product(h, recurrent_kernel,
                                                                   keep_h, 4)
        if bias is not None:
            z = z + bias
        i, f, c_tilde, o = z.split(units, dim=-1)
        c = gate(f) * c + gate(i) * act(c_tilde)
        h = gate(o) * act(c)
        return h, [h, c]

    states = [_initial(h0, x, units), _initial(c0, x, units)]
    return _loop(step, x, states, mask, go_backwards, return_sequences, zero_output_for_mask)


def gru(x, kernel, recurrent_kernel, bias=None, h0=None, mask=None, input_dropout=None,
        recurrent_dropout=None, reset_after=True, activation="tanh",
        recurrent_activation="sigmoid", go_backwards=False, return_sequences=True,
        zero_output_for_mask=False):
    units = recurrent_kernel.shape[0]
    act, gate = ACTIVATIONS[activation], ACTIVATIONS[recurrent_activation]
    keep_x, keep_h = _as_tensor(input_dropout), _as_tensor(recurrent_dropout)
    input_bias = recurrent_bias = None
    if bias is not None:
        input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after else (bias, None)
    r_z, r_r, r_h = recurrent_kernel.split(units, dim=-1)

    def step(x_t, states):
        (h,) = states
        xp = _gated_product(x_t, kernel, keep_x, 3)
        if input_bias is not None:
            xp = xp + input_bias
        x_z, x_r, x_h = xp.split(units, dim=-1)
        if reset_after:
            hp = _gated_product(h, recurrent_kernel, keep_h, 3)
            if recurrent_bias is not None:
                hp = hp + recurrent_bias
            h_z, h_r, h_h = hp.split(units, dim=-1)
            z, r = gate(x_z + h_z), gate(x_r + h_r)
            candidate = act(x_h + r * h_h)
        else:
            drop = [h if _gate_keep(keep_h, g) is None else h * _gate_keep(keep_h, g)
                    for g in range(3)]
            z, r = gate(x_z + drop[0] @ r_z), gate(x_r + drop[1] @ r_r)
            candidate = act(x_h + (r * drop[2]) @ r_h)
        h = z * h + (1 - z) * candidate
        return h, [h]

    return _loop(step, x, [_initial(h0, x, units)], mask, go_backwards, return_sequences,
                 zero_output_for_mask)


REFERENCES = {"simple_rnn": simple_rnn, "lstm": lstm, "gru": gru}
