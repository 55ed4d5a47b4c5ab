"""GradientFlow: the vanishing-gradient lesson, its numbers, and that it changes nothing."""

import numpy as np
import pytest

import glassnet as gn
from glassnet.callbacks.gradient_flow import GradientFlow
from glassnet.datasets import mnist


@pytest.fixture(scope="module")
def digits():
    (x, y), _ = mnist.load_data(source="bundled")
    return x[:1024].reshape(-1, 784).astype("float32") / 255, y[:1024]


def _deep(activation, initializer, depth=10):
    gn.utils.set_random_seed(0)
    layers = [gn.layers.Input((784,))]
    layers += [gn.layers.Dense(64, activation=activation, kernel_initializer=initializer)
               for _ in range(depth - 1)]
    layers.append(gn.layers.Dense(10, activation="softmax"))
    model = gn.Sequential(layers)
    model.compile(optimizer=gn.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy")
    return model


def _first_over_last(history, names):
    return history[f"grad_norm/{names[0]}"][-1] / history[f"grad_norm/{names[-1]}"][-1]


def test_sigmoid_gradients_vanish_and_relu_he_gradients_do_not(digits):
    x, y = digits
    sigmoid = _deep("sigmoid", "glorot_uniform")
    flow = GradientFlow(x[:256], y[:256], batch_size=64, batches=2)
    history = sigmoid.fit(x, y, epochs=1, batch_size=32, callbacks=[flow], verbose=0)
    names = [layer.name for layer in sigmoid.layers]
    assert flow.layer_names == names
    ratio = _first_over_last(history.history, names)
    assert ratio < 1 / 100  # measured about 1e-5: each sigmoid passes back at most 1/4
    norms = [history.history[f"grad_norm/{n}"][-1] for n in names]
    assert all(a < b for a, b in zip(norms, norms[1:]))  # smaller at every layer down

    relu = _deep("relu", "he_normal")
    flow = GradientFlow(x[:256], y[:256], batch_size=64, batches=2)
    history = relu.fit(x, y, epochs=1, batch_size=32, callbacks=[flow], verbose=0)
    names = [layer.name for layer in relu.layers]
    assert 0.1 < _first_over_last(history.history, names) < 10  # measured about 0.4
    assert set(flow.layer_series("dead_relu")) == set(names[:-1])


def test_the_recorded_numbers(digits, torch):
    x, y = digits[0][:48], digits[1][:48]
    gn.utils.set_random_seed(2)
    model = gn.Sequential([gn.layers.Input((784,)), gn.layers.Dense(16, activation="relu"),
                           gn.layers.Dense(8, activation="sigmoid"),
                           gn.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=gn.optimizers.SGD(0.05, momentum=0.9),
                  loss="sparse_categorical_crossentropy")
    flow = GradientFlow(x, y, batch_size=48, batches=1)  # the whole set: no sampling
    history = model.fit(x, y, epochs=2, batch_size=16, callbacks=[flow], verbose=0)
    assert len(history.history["grad_norm/dense"]) == 2 == len(history.history["loss"])
    assert set(flow.initial) == set(flow.history)
    # the reference: the same weights in PyTorch (float64) after training
    w = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in model.get_weights()]
    a1 = torch.relu(torch.tensor(x, dtype=torch.float64) @ w[0] + w[1])
    a2 = torch.sigmoid(a1 @ w[2] + w[3])
    loss = torch.nn.functional.cross_entropy(a2 @ w[4] + w[5], torch.tensor(y))
    loss.backward()
    for i, name in enumerate(["dense", "dense_1", "dense_2"]):
        expected = (w[2 * i].grad.norm() ** 2 + w[2 * i + 1].grad.norm() ** 2).sqrt().item()
        assert history.history[f"grad_norm/{name}"][-1] == pytest.approx(expected, rel=1e-4)
    dead = np.mean(np.all(a1.detach().numpy() == 0, axis=0))
    assert history.history["dead_relu/dense"][-1] == pytest.approx(dead)
    a2 = a2.detach().numpy()
    assert flow.history["saturated/dense_1"][-1] == pytest.approx(np.mean((a2 < .01) | (a2 > .99)))
    # momentum's next step is 0.9 * velocity - 0.05 * gradient; the ratio is its norm over the
    # weights' norm (kernel and bias together)
    slots = {v.name: v.numpy() for v in model.optimizer.variables}
    steps = [0.9 * slots[f"dense_2_{kind}_momentum"] - 0.05 * w[4 + j].grad.numpy()
             for j, kind in enumerate(["kernel", "bias"])]
    size = lambda arrays: np.sqrt(sum(np.sum(np.square(a, dtype=np.float64)) for a in arrays))
    expected = size(steps) / size(model.get_weights()[4:])
    assert history.history["update_ratio/dense_2"][-1] == pytest.approx(expected, rel=1e-4)


def test_training_is_the_same_with_the_callback_on(digits):
    x, y = digits[0][:128], digits[1][:128]

    def train(callbacks):
        gn.utils.set_random_seed(5)
        model = gn.Sequential([gn.layers.Input((784,)), gn.layers.Dense(12, activation="relu"),
                               gn.layers.Dropout(0.3), gn.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x, y, epochs=2, batch_size=32, callbacks=callbacks, verbose=0)
        return model.get_weights()

    for a, b in zip(train([]), train([GradientFlow(x, y, batch_size=32)])):
        np.testing.assert_array_equal(a, b)


def test_gradient_flow_needs_data():
    with pytest.raises(ValueError, match="GradientFlow\\(x_train\\[:512\\], y_train\\[:512\\]\\)"):
        GradientFlow(None)
