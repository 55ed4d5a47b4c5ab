"""The glass-box figures: gradient flow, optimizer paths, decision boundaries, by content."""

import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet.callbacks.gradient_flow import GradientFlow

from matplotlib.contour import ContourSet

from glassnet.plot._matplotlib import INSTALL_HINT
from glassnet.plot.decision_boundary import decision_boundary
from glassnet.plot.gradient_flow import gradient_flow
from glassnet.plot.optimizer_paths import SURFACES, descend, optimizer_paths


def _contours(ax) -> list:
    return [c for c in ax.collections if isinstance(c, ContourSet)]


def _saved(fig, path) -> None:
    fig.savefig(path, dpi=60)
    assert path.stat().st_size > 5000


# --- gradient flow -----------------------------------------------------------------------

def test_gradient_flow_figure_draws_the_recorded_values(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((96, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    gn.utils.set_random_seed(0)
    model = gn.Sequential([gn.layers.Input((8,))] +
                          [gn.layers.Dense(8, activation="sigmoid") for _ in range(4)] +
                          [gn.layers.Dense(8, activation="relu"),
                           gn.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    flow = GradientFlow(x, y, batch_size=32, batches=1)
    history = model.fit(x, y, epochs=3, batch_size=32, callbacks=[flow], verbose=0)

    fig = gradient_flow(flow)
    names = [layer.name for layer in model.layers]
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["gradient norm ||dL/dW||", "update / weight ratio",
                      "dead ReLU units (fraction)", "saturated units (fraction)"]
    grad_ax = fig.axes[0]
    assert grad_ax.get_yscale() == "log"
    assert [t.get_text() for t in grad_ax.get_xticklabels()] == names
    lines = grad_ax.get_lines()
    assert [l.get_label() for l in lines] == ["before training", "epoch 1", "epoch 2", "epoch 3"]
    np.testing.assert_allclose(lines[0].get_ydata(),
                               [flow.initial[f"grad_norm/{n}"] for n in names])
    for e, line in enumerate(lines[1:]):
        np.testing.assert_allclose(line.get_ydata(),
                                   [history.history[f"grad_norm/{n}"][e] for n in names])
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, len(names) + 1))
    saturated = fig.axes[3].get_lines()[-1]
    np.testing.assert_allclose(saturated.get_ydata(),
                               [flow.history[f"saturated/{n}"][-1] for n in names[:4]])
    _saved(fig, tmp_path / "gradient_flow.png")
    # the History and its dict draw the same figure; the statistics can be chosen
    from_history = gradient_flow(history, statistics=["grad_norm"])
    assert len(from_history.axes) == 1
    np.testing.assert_allclose(from_history.axes[0].get_lines()[-1].get_ydata(),
                               lines[-1].get_ydata())
    with pytest.raises(ValueError, match="GradientFlow"):
        gradient_flow({"loss": [1.0]})


# --- optimizer paths ---------------------------------------------------------------------

def _keras_path(keras, make, start, steps):
    """The same descent with Keras 3's optimizer, the bowl's gradient written by hand."""
    x, y = keras.Variable(np.float32(start[0])), keras.Variable(np.float32(start[1]))
    optimizer = make(keras.optimizers)
    path = [start]
    for _ in range(steps):
        gx, gy = float(x.numpy()) / 10, 2 * float(y.numpy())  # d/dx, d/dy of x²/20 + y²
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(np.float32(gx)), x),
                                   (keras.ops.convert_to_tensor(np.float32(gy)), y)])
        path.append((float(x.numpy()), float(y.numpy())))
    return np.array(path)


KERAS_OPTIMIZERS = {
    "SGD": lambda o: o.SGD(0.95), "Momentum": lambda o: o.SGD(0.1, momentum=0.9),
    "Nesterov": lambda o: o.SGD(0.1, momentum=0.9, nesterov=True),
    "Adagrad": lambda o: o.Adagrad(1.5), "RMSprop": lambda o: o.RMSprop(0.2),
    "Adam": lambda o: o.Adam(0.3)}


def test_optimizer_paths_figure(tmp_path, keras):
    fig = optimizer_paths("bowl")
    ax = fig.axes[0]
    lines = {l.get_label().split(" (")[0]: l for l in ax.get_lines()}
    assert list(lines)[:6] == list(KERAS_OPTIMIZERS)
    assert {"minimum", "start"} <= set(lines)
    for name, make in KERAS_OPTIMIZERS.items():
        drawn = np.column_stack([lines[name].get_xdata(), lines[name].get_ydata()])
        assert drawn.shape == (31, 2)
        np.testing.assert_array_equal(drawn, fig.paths[name])
        np.testing.assert_allclose(drawn, _keras_path(keras, make, (-7.0, 2.0), 30),
                                   rtol=1e-4, atol=1e-5, err_msg=name)
    # plain SGD on the bowl: x shrinks by (1 - lr/10), y flips by (1 - 2 lr) every step (the
    # learning rate is stored in float32, as in Keras)
    k, lr = np.arange(31), float(np.float32(0.95))
    np.testing.assert_allclose(fig.paths["SGD"], np.column_stack(
        [-7.0 * (1 - lr / 10) ** k, 2.0 * (1 - 2 * lr) ** k]), rtol=1e-12)
    contours = _contours(ax)
    assert len(contours) == 1 and 15 <= len(contours[0].levels) <= 25
    levels = contours[0].levels
    assert levels[0] == pytest.approx(0, abs=1e-3) and levels[-1] == pytest.approx(30, rel=1e-3)
    assert ax.get_xlim() == (-10, 10) and ax.get_ylim() == (-5, 5)
    assert ax.get_title() == "bowl: x²/20 + y², 30 steps"
    # the adaptive methods end near the minimum, SGD still swings across the valley
    assert np.linalg.norm(fig.paths["Adagrad"][-1]) < 0.5
    assert abs(fig.paths["SGD"][-1][1]) > 0.05
    _saved(fig, tmp_path / "optimizer_paths_bowl.png")


def test_rosenbrock_and_saddle_paths():
    fig = optimizer_paths("rosenbrock", optimizers={"SGD": gn.optimizers.SGD(0.0015),
                                                    "Adam": gn.optimizers.Adam(0.1)})
    assert [p.shape for p in fig.paths.values()] == [(1001, 2), (1001, 2)]
    levels = _contours(fig.axes[0])[0].levels
    np.testing.assert_allclose(np.diff(np.log(levels)), np.log(levels[1] / levels[0]))  # log-spaced
    distance = {k: np.linalg.norm(p[-1] - [1, 1]) for k, p in fig.paths.items()}
    assert distance["Adam"] < 0.02 and distance["SGD"] > 0.3  # measured 0.008 and 0.75
    start = SURFACES["saddle"].start
    # from just off the ridge, plain SGD leaves the saddle far more slowly than Adam
    sgd = descend(gn.optimizers.SGD(0.05), "saddle", steps=40)
    adam = descend(gn.optimizers.Adam(0.05), "saddle", steps=40)
    assert np.allclose(sgd[0], start) and abs(sgd[-1, 1]) < abs(adam[-1, 1])
    with pytest.raises(ValueError, match="Unknown surface: 'rosenbrok'. Did you mean 'rosenbrock'"):
        optimizer_paths("rosenbrok")


# --- decision boundary -------------------------------------------------------------------

def _xor(n=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2)).astype("float32")
    return x, ((x[:, 0] > 0) ^ (x[:, 1] > 0)).astype("float32")


def test_decision_boundary_of_xor(tmp_path):
    x, y = _xor()
    gn.utils.set_random_seed(0)
    model = gn.Sequential([gn.layers.Input((2,)), gn.layers.Dense(8, activation="tanh"),
                           gn.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=gn.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=60, batch_size=32, verbose=0)
    assert model.evaluate(x, y, verbose=0)[1] > 0.9

    fig = decision_boundary(model, x, y, resolution=120)
    ax = fig.axes[0]
    xx, yy, p = fig.grid
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype("float32")
    np.testing.assert_allclose(p.reshape(-1, 1), model.predict(grid, verbose=0), rtol=1e-6)
    assert xx.min() < x[:, 0].min() and xx.max() > x[:, 0].max()
    filled, line = _contours(ax)
    np.testing.assert_allclose(filled.levels, np.linspace(0, 1, 11))
    assert list(line.levels) == [0.5]
    # every point of the drawn boundary is where the model says 0.5
    boundary = np.concatenate([s for s in line.allsegs[0] if len(s)])
    assert len(boundary) > 50
    on_line = model.predict(boundary.astype("float32"), verbose=0)
    assert np.abs(on_line - 0.5).max() < 0.05
    # XOR needs a boundary through both axes: it crosses x = 0 and y = 0
    assert boundary[:, 0].min() < -0.5 and boundary[:, 0].max() > 0.5
    points = ax.collections[-1]
    np.testing.assert_allclose(points.get_offsets(), x)
    np.testing.assert_array_equal(points.get_array(), y)
    assert ax.get_xlabel() == "x₁" and ax.get_ylabel() == "x₂"
    _saved(fig, tmp_path / "decision_boundary_xor.png")


def test_decision_boundary_of_three_classes(tmp_path):
    rng = np.random.default_rng(1)
    angle = rng.uniform(0, 2 * np.pi, 300)
    radius = np.repeat([0.3, 1.0, 1.7], 100) + rng.normal(0, 0.08, 300)  # three circles
    x = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]).astype("float32")
    y = np.repeat([0, 1, 2], 100)
    gn.utils.set_random_seed(0)
    model = gn.Sequential([gn.layers.Input((2,)), gn.layers.Dense(16, activation="relu"),
                           gn.layers.Dense(16, activation="relu"),
                           gn.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=gn.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=40, batch_size=32, verbose=0)
    fig = decision_boundary(model, x, y, resolution=80)
    xx, yy, p = fig.grid
    assert p.shape == (80, 80, 3)
    regions = _contours(fig.axes[0])[0]
    np.testing.assert_allclose(regions.levels, [-0.5, 0.5, 1.5, 2.5])
    # the centre of the plane belongs to the inner circle, the corners to the outer one
    centre = p[40, 40].argmax()
    corners = {p[0, 0].argmax(), p[-1, -1].argmax()}
    assert centre == 0 and corners == {2}
    np.testing.assert_array_equal(fig.axes[0].collections[-1].get_array(), y)
    _saved(fig, tmp_path / "decision_boundary_circles.png")
    with pytest.raises(ValueError, match="x.shape=\\(300, 3\\)"):
        decision_boundary(model, np.zeros((300, 3)))


@pytest.mark.parametrize("draw", [
    lambda: optimizer_paths("bowl", steps=2),
    lambda: gradient_flow({"grad_norm/dense": [1.0]}),
    lambda: decision_boundary(None, np.zeros((3, 2))),
])
def test_missing_matplotlib_gives_the_install_hint(monkeypatch, draw):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError) as raised:
        draw()
    assert str(raised.value) == INSTALL_HINT


def test_path_saves_the_figure(tmp_path):
    fig = optimizer_paths("saddle", steps=5, path=tmp_path / "saddle.png")
    assert (tmp_path / "saddle.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig.paths["Adam"].shape == (6, 2)
