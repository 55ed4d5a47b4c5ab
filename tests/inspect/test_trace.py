"""trace(): the recorded step is the engine's step, and taking it changes nothing."""

import numpy as np
import pytest

import glassnet as gn
from glassnet.inspect import preview_update, trace
from glassnet.inspect.stats import dead_fraction, describe, saturated_fraction

OPTIMIZERS = {
    "sgd": lambda: gn.optimizers.SGD(0.1),
    "momentum": lambda: gn.optimizers.SGD(0.1, momentum=0.9),
    "nesterov": lambda: gn.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    "adam": lambda: gn.optimizers.Adam(0.01),
}


def _model(optimizer, seed=1, dropout=True):
    gn.utils.set_random_seed(seed)
    layers = [gn.layers.Input((4,)), gn.layers.Dense(6, activation="relu")]
    if dropout:
        layers.append(gn.layers.Dropout(0.3))
    layers += [gn.layers.Dense(5, activation="tanh"), gn.layers.Dense(3, activation="softmax")]
    model = gn.Sequential(layers)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    return model


def _batch(seed=0, n=8):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 4)).astype("float32"), np.arange(n) % 3


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_traced_update_is_the_train_on_batch_update(name):
    model = _model(OPTIMIZERS[name]())
    x, y = _batch()
    for _ in range(3):  # optimizer slots and step count away from their initial values
        model.train_on_batch(x, y)
    weights = [w.copy() for w in model.get_weights()]
    state = [v.numpy() for v in model.optimizer.variables]

    t = trace(model, x, y)

    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(state, model.optimizer.variables))
    model.train_on_batch(x, y)  # the same dropout masks: trace put the generator back
    trained = model.get_weights()
    records = [r for r in t if r.weights]
    assert len(records) == 3
    for record, (kernel, bias) in zip(records, zip(trained[0::2], trained[1::2])):
        np.testing.assert_array_equal(record.new_kernel, kernel)
        np.testing.assert_array_equal(record.new_bias, bias)
        np.testing.assert_allclose(record.kernel + record.update_kernel, kernel, rtol=0, atol=1e-7)
        np.testing.assert_allclose(record.bias + record.update_bias, bias, rtol=0, atol=1e-7)


def test_trace_leaves_an_unbuilt_optimizer_unbuilt():
    model = _model(gn.optimizers.Adam(0.01))
    x, y = _batch()
    t = trace(model, x, y)
    assert not model.optimizer.built and int(model.optimizer.iterations) == 0
    model.train_on_batch(x, y)
    np.testing.assert_array_equal(t["dense"].new_kernel, model.layers[0].kernel.numpy())


def test_step_true_is_train_on_batch():
    x, y = _batch()
    traced, trained = _model(gn.optimizers.Adam(0.01)), _model(gn.optimizers.Adam(0.01))
    for seed in range(2):  # the same random numbers for both, so the same dropout masks
        gn.utils.set_random_seed(seed)
        t = trace(traced, x, y, step=True)
        gn.utils.set_random_seed(seed)
        trained.train_on_batch(x, y)
    for a, b in zip(traced.get_weights(), trained.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(traced.optimizer.iterations) == 2
    np.testing.assert_array_equal(t["dense_2"].new_kernel, traced.layers[-1].kernel.numpy())


def test_trace_values_match_pytorch(torch):
    model = _model(gn.optimizers.SGD(0.1), dropout=False)
    x, y = _batch(n=6)
    t = trace(model, x, y)
    w = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in model.get_weights()]
    xt = torch.tensor(x, dtype=torch.float64)
    z1 = xt @ w[0] + w[1]
    a1 = torch.relu(z1)
    z2 = a1 @ w[2] + w[3]
    a2 = torch.tanh(z2)
    z3 = a2 @ w[4] + w[5]
    loss = torch.nn.functional.cross_entropy(z3, torch.tensor(y))
    for tensor in (z1, a1, z2, a2, z3):
        tensor.retain_grad()
    loss.backward()
    expected = {"dense": (z1, a1, w[0], w[1]), "dense_1": (z2, a2, w[2], w[3]),
                "dense_2": (z3, None, w[4], w[5])}
    close = dict(rtol=1e-4, atol=1e-6)
    assert t.loss == pytest.approx(loss.item(), rel=1e-5)
    for name, (z, a, kernel, bias) in expected.items():
        record = t[name]
        np.testing.assert_allclose(record.pre_activation, z.detach().numpy(), **close)
        np.testing.assert_allclose(record.grad_pre_activation, z.grad.numpy(), **close)
        np.testing.assert_allclose(record.grad_kernel, kernel.grad.numpy(), **close)
        np.testing.assert_allclose(record.grad_bias, bias.grad.numpy(), **close)
        np.testing.assert_allclose(record.update_kernel, -0.1 * kernel.grad.numpy(), **close)
        if a is not None:
            np.testing.assert_allclose(record.activation, a.detach().numpy(), **close)
            np.testing.assert_allclose(record.grad_activation, a.grad.numpy(), **close)
    # softmax + cross-entropy are fused: the loss reads the logits, not the softmax output
    assert t["dense_2"].grad_activation is None
    np.testing.assert_allclose(t["dense_1"].grad_input, a1.grad.numpy(), **close)
    assert t["dense"].grad_input is None  # nothing needs d loss / d x


def test_op_records_keep_each_ops_intermediates():
    model = _model(gn.optimizers.SGD(0.1))
    x, y = _batch()
    t = trace(model, x, y)
    dense, relu = t["dense"].ops
    assert (dense.label, relu.label) == ("dense", "relu")
    np.testing.assert_array_equal(dense.x, x)
    np.testing.assert_array_equal(dense.kernel, model.layers[0].kernel.numpy())
    np.testing.assert_array_equal(relu.active, t["dense"].pre_activation > 0)
    np.testing.assert_array_equal(relu.grad_output, t["dense"].grad_activation)
    assert t["dropout"].ops[0].label == "dropout"
    np.testing.assert_array_equal(t["dropout"].input, t["dense"].activation)
    tanh = t["dense_1"].ops[1]
    np.testing.assert_array_equal(tanh.z, t["dense_1"].activation)
    assert [op.label for op in t.loss_ops][0] == "sparse_softmax_cross_entropy"
    np.testing.assert_allclose(t.loss_ops[0].probs, t.y_pred, rtol=1e-6)


def test_table_shows_each_arrays_statistics():
    gn.utils.set_random_seed(3)
    model = gn.Sequential([gn.layers.Input((4,)),
                           gn.layers.Dense(8, activation="sigmoid",
                                           kernel_initializer=gn.initializers.RandomNormal(0, 3)),
                           gn.layers.Dense(2, activation="relu"), gn.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(1).standard_normal((16, 4)).astype("float32") * 3
    y = np.ones((16, 1), "float32")
    t = trace(model, x, y)
    a = t["dense"].activation.astype(np.float64)
    stats = describe(t["dense"].activation, "sigmoid")
    assert (stats.mean, stats.std, stats.min, stats.max) == pytest.approx(
        (a.mean(), a.std(), a.min(), a.max()))
    assert stats.saturated == np.mean((a < 0.01) | (a > 0.99)) > 0
    relu_out = t["dense_1"].activation
    assert describe(relu_out).zeros == np.mean(relu_out == 0)
    assert dead_fraction(relu_out) == np.mean(np.all(relu_out == 0, axis=0))
    assert saturated_fraction(relu_out, "relu") is None
    text = str(t)
    assert "dense (Dense, sigmoid): ops dense -> sigmoid" in text
    row = next(line for line in text.splitlines() if line.strip().startswith("activation"))
    assert "(16, 8)" in row and f"{100 * stats.saturated:.1f}%" in row
    assert f"{a.mean():.4f}" in row
    assert "loss = " in text and "update not applied" in text
    assert "dense_2 (Dense): ops dense" in text  # a linear layer has no activation row


def test_record_names_and_errors():
    model = _model(gn.optimizers.SGD(0.1))
    x, y = _batch()
    t = trace(model, x, y)
    assert t.keys() == ["dense", "dropout", "dense_1", "dense_2"]
    assert t[0] is t["dense"] and len(t) == 4
    assert t["dense"].delta is t["dense"].grad_pre_activation
    with pytest.raises(KeyError, match="Layers: \\['dense', 'dropout'"):
        t["dense_9"]
    with pytest.raises(AttributeError, match="grad_kernel"):
        t["dense"].grad_recurrent_kernel
    fresh = gn.Sequential([gn.layers.Input((4,)), gn.layers.Dense(2)])
    with pytest.raises(RuntimeError, match="compile\\(\\) before calling trace\\(\\)"):
        trace(fresh, x, y)


@pytest.mark.parametrize("make", [
    lambda: gn.optimizers.RMSprop(0.01, clipnorm=0.5),
    lambda: gn.optimizers.AdamW(0.01, weight_decay=0.1),
    lambda: gn.optimizers.Adagrad(0.1, global_clipnorm=1.0),
    lambda: gn.optimizers.Nadam(0.01),
    lambda: gn.optimizers.SGD(0.1, momentum=0.5, use_ema=True),
])
def test_preview_update_equals_apply(make):
    rng = np.random.default_rng(0)
    values = [rng.standard_normal(shape).astype("float32") for shape in [(3, 4), (4,)]]
    real = [gn.Variable(v) for v in values]
    optimizer = make()
    for _ in range(2):
        optimizer.apply([rng.standard_normal(v.shape).astype("float32") for v in values], real)
    grads = [rng.standard_normal(v.shape).astype("float32") for v in values]
    state = [v.numpy() for v in optimizer.variables]
    before = [v.numpy() for v in real]
    preview = preview_update(optimizer, real, grads)
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(state, optimizer.variables))
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(before, real))
    optimizer.apply(grads, real)
    for p, v in zip(preview, real):
        np.testing.assert_array_equal(p, v.numpy())


def test_functional_model_with_a_shared_layer_and_an_op_between_layers(torch):
    gn.utils.set_random_seed(0)
    a, b = gn.layers.Input((4,)), gn.layers.Input((4,))
    shared = gn.layers.Dense(3, activation="tanh", name="shared")
    out = gn.layers.Dense(1, name="out")(shared(a) + shared(b))
    model = gn.Model([a, b], out)
    model.compile(optimizer=gn.optimizers.SGD(0.1), loss="mse")
    rng = np.random.default_rng(0)
    xa, xb = (rng.standard_normal((5, 4)).astype("float32") for _ in range(2))
    y = rng.standard_normal((5, 1)).astype("float32")
    t = trace(model, [xa, xb], y)
    assert t.keys() == ["shared", "shared#2", "out"]
    assert [op.label for op in t.outside_ops] == ["add"]
    assert "ops outside layers: add" in str(t)
    # each call sees its own input; the kernel gradient sums both calls' contributions
    np.testing.assert_array_equal(t["shared"].input, xa)
    np.testing.assert_array_equal(t["shared#2"].input, xb)
    w = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in model.get_weights()]
    h = torch.tanh(torch.tensor(xa, dtype=torch.float64) @ w[0] + w[1]) + \
        torch.tanh(torch.tensor(xb, dtype=torch.float64) @ w[0] + w[1])
    loss = torch.mean((h @ w[2] + w[3] - torch.tensor(y, dtype=torch.float64)) ** 2)
    loss.backward()
    np.testing.assert_allclose(t["shared"].grad_kernel, w[0].grad.numpy(), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(t["shared#2"].update_kernel, -0.1 * w[0].grad.numpy(), rtol=1e-4,
                               atol=1e-6)
