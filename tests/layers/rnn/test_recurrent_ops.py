"""The fused recurrent ops against ``torch.nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` in float64:
forward values and every gradient, over several lengths, batch sizes and both directions,
with Keras's weights mapped into torch's layout.  (The registered examples, with masks and
dropout, are compared with step-by-step torch recurrences in ``tests/ops``.)
"""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.core.tensor import Tensor
from glassnet.ops.gru import GRU
from glassnet.ops.lstm import LSTM
from glassnet.ops.simple_rnn import SimpleRNN


# --- against torch.nn modules ---------------------------------------------------------------

SHAPES = [(1, 1, 3, 2), (3, 7, 4, 5), (5, 20, 2, 3)]  # batch, steps, features, units


def _run_glassnet(op, inputs, wanted, projection):
    tensors = [Tensor(x, requires_grad=i in wanted) if isinstance(x, np.ndarray) else x
               for i, x in enumerate(inputs)]
    outputs = op(*tensors)
    grads = glassnet.grad(outputs[0], [tensors[i] for i in wanted], grad_output=projection)
    return outputs, grads


def _torch_grads(torch, output, leaves, projection):
    return torch.autograd.grad((output * torch.from_numpy(projection)).sum(), leaves)


def _close(got, expected):
    if not isinstance(expected, np.ndarray):
        expected = expected.detach().numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("batch, steps, features, units", SHAPES)
@pytest.mark.parametrize("go_backwards", [False, True])
def test_lstm_matches_torch_lstm_module(torch, batch, steps, features, units, go_backwards):
    rng = np.random.default_rng(steps)
    x = rng.standard_normal((batch, steps, features))
    kernel = rng.standard_normal((features, 4 * units)) * 0.5
    recurrent = rng.standard_normal((units, 4 * units)) * 0.5
    bias = rng.standard_normal(4 * units) * 0.5
    h0, c0 = rng.standard_normal((batch, units)), rng.standard_normal((batch, units))
    projection = rng.standard_normal((batch, steps, units))
    outputs, grads = _run_glassnet(LSTM(go_backwards=go_backwards),
                                   [x, kernel, recurrent, bias, h0, c0, None, None, None],
                                   [0, 1, 2, 3, 4, 5], projection)

    module = torch.nn.LSTM(features, units, batch_first=True).double()
    with torch.no_grad():  # torch's gate order i, f, g, o is Keras's; weights are transposed
        module.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
        module.weight_hh_l0.copy_(torch.from_numpy(recurrent.T))
        module.bias_ih_l0.copy_(torch.from_numpy(bias))
        module.bias_hh_l0.zero_()
    tx = torch.tensor(x, requires_grad=True)
    th0 = torch.tensor(h0[None], requires_grad=True)
    tc0 = torch.tensor(c0[None], requires_grad=True)
    seq, (hn, cn) = module(torch.flip(tx, [1]) if go_backwards else tx, (th0, tc0))
    _close(outputs[0].data, seq)
    _close(outputs[1].data, hn[0])
    _close(outputs[2].data, cn[0])
    leaves = [tx, module.weight_ih_l0, module.weight_hh_l0, module.bias_ih_l0, th0, tc0]
    expected = _torch_grads(torch, seq, leaves, projection)
    _close(grads[0], expected[0])
    _close(grads[1], expected[1].T)
    _close(grads[2], expected[2].T)
    _close(grads[3], expected[3])
    _close(grads[4], expected[4][0])
    _close(grads[5], expected[5][0])


def _keras_gru_to_torch(matrix, units):
    """Keras's column blocks z, r, h -> torch's row blocks r, z, n."""
    z, r, h = np.split(matrix, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


@pytest.mark.parametrize("batch, steps, features, units", SHAPES)
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gru_matches_torch_gru_module(torch, batch, steps, features, units, go_backwards):
    rng = np.random.default_rng(100 + steps)
    x = rng.standard_normal((batch, steps, features))
    kernel = rng.standard_normal((features, 3 * units)) * 0.5
    recurrent = rng.standard_normal((units, 3 * units)) * 0.5
    bias = rng.standard_normal((2, 3 * units)) * 0.5
    h0 = rng.standard_normal((batch, units))
    projection = rng.standard_normal((batch, steps, units))
    outputs, grads = _run_glassnet(GRU(go_backwards=go_backwards),
                                   [x, kernel, recurrent, bias, h0, None, None, None],
                                   [0, 1, 2, 3, 4], projection)

    module = torch.nn.GRU(features, units, batch_first=True).double()
    with torch.no_grad():  # reset_after=True is torch's formulation
        module.weight_ih_l0.copy_(torch.from_numpy(_keras_gru_to_torch(kernel, units).T))
        module.weight_hh_l0.copy_(torch.from_numpy(_keras_gru_to_torch(recurrent, units).T))
        module.bias_ih_l0.copy_(torch.from_numpy(_keras_gru_to_torch(bias[0], units)))
        module.bias_hh_l0.copy_(torch.from_numpy(_keras_gru_to_torch(bias[1], units)))
    tx = torch.tensor(x, requires_grad=True)
    th0 = torch.tensor(h0[None], requires_grad=True)
    seq, hn = module(torch.flip(tx, [1]) if go_backwards else tx, th0)
    _close(outputs[0].data, seq)
    _close(outputs[1].data, hn[0])
    leaves = [tx, module.weight_ih_l0, module.weight_hh_l0, module.bias_ih_l0,
              module.bias_hh_l0, th0]
    expected = _torch_grads(torch, seq, leaves, projection)
    _close(grads[0], expected[0])
    _close(grads[1], _keras_gru_to_torch(expected[1].T.numpy(), units))
    _close(grads[2], _keras_gru_to_torch(expected[2].T.numpy(), units))
    _close(grads[3][0], _keras_gru_to_torch(expected[3].numpy(), units))
    _close(grads[3][1], _keras_gru_to_torch(expected[4].numpy(), units))
    _close(grads[4], expected[5][0])


@pytest.mark.parametrize("batch, steps, features, units", SHAPES)
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_simple_rnn_matches_torch_rnn_module(torch, batch, steps, features, units, activation):
    rng = np.random.default_rng(200 + steps)
    x = rng.standard_normal((batch, steps, features))
    kernel = rng.standard_normal((features, units)) * 0.5
    recurrent = rng.standard_normal((units, units)) * 0.5
    bias = rng.standard_normal(units) * 0.5
    projection = rng.standard_normal((batch, steps, units))
    outputs, grads = _run_glassnet(SimpleRNN(activation=activation),
                                   [x, kernel, recurrent, bias, None, None, None, None],
                                   [0, 1, 2, 3], projection)
    module = torch.nn.RNN(features, units, nonlinearity=activation, batch_first=True).double()
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
        module.weight_hh_l0.copy_(torch.from_numpy(recurrent.T))
        module.bias_ih_l0.copy_(torch.from_numpy(bias))
        module.bias_hh_l0.zero_()
    tx = torch.tensor(x, requires_grad=True)
    seq, hn = module(tx)
    _close(outputs[0].data, seq)
    _close(outputs[1].data, hn[0])
    leaves = [tx, module.weight_ih_l0, module.weight_hh_l0, module.bias_ih_l0]
    expected = _torch_grads(torch, seq, leaves, projection)
    _close(grads[0], expected[0])
    _close(grads[1], expected[1].T)
    _close(grads[2], expected[2].T)
    _close(grads[3], expected[3])


def test_lstm_keeps_named_gate_values():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 3, 4))
    kernel, recurrent = rng.standard_normal((4, 8)), rng.standard_normal((2, 8))
    op = LSTM()
    out, h, c = op.forward(x, kernel, recurrent)
    # The gates recomputed from the kept values give the kept states.
    np.testing.assert_allclose(op.c[1:], op.f * op.c[:-1] + op.i * op.c_tilde, rtol=1e-12)
    np.testing.assert_allclose(op.h[1:], op.o * np.tanh(op.c[1:]), rtol=1e-12)
    np.testing.assert_allclose(np.swapaxes(out, 0, 1), op.h[1:], rtol=1e-12)
    z0 = x[:, 0] @ kernel
    np.testing.assert_allclose(op.i[0], 1 / (1 + np.exp(-z0[:, :2])), rtol=1e-12)
