"""Optimizer state: what ``variables`` lists, and saving it for an exact resume."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from tests.optimizers.optimizer_reference import glassnet_variables, keras_numpy, make_problem

from glassnet import optimizers
from glassnet.core.variable import Variable

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")

RESUMABLE = {
    "adam": lambda: optimizers.Adam(0.01),
    "adam_amsgrad_clipnorm": lambda: optimizers.Adam(0.01, amsgrad=True, clipnorm=1.0),
    "nadam": lambda: optimizers.Nadam(0.01),
    "rmsprop_centered_momentum": lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True),
    "sgd_nesterov_ema": lambda: optimizers.SGD(0.05, momentum=0.9, nesterov=True, use_ema=True),
    "adamw_accumulation": lambda: optimizers.AdamW(0.01, gradient_accumulation_steps=3),
    "ftrl": lambda: optimizers.Ftrl(0.1, l1_regularization_strength=0.01),
    "schedule": lambda: optimizers.Adagrad(optimizers.schedules.CosineDecay(0.1, 8)),
}


@pytest.mark.parametrize("case", list(RESUMABLE))
def test_saved_state_resumes_bit_for_bit(case):
    weights, grads = make_problem(seed=9, steps=10)
    variables = glassnet_variables(weights)
    optimizer = RESUMABLE[case]()
    for step in grads[:4]:
        optimizer.apply(step, variables)
    store: dict = {}
    optimizer.save_own_variables(store)
    saved_weights = [v.numpy() for v in variables]
    assert sorted(store, key=int) == [str(i) for i in range(len(optimizer.variables))]
    for step in grads[4:]:
        optimizer.apply(step, variables)

    resumed_variables = glassnet_variables(saved_weights)
    resumed = type(optimizer).from_config(optimizer.get_config())
    resumed.build(resumed_variables)
    resumed.load_own_variables(store)
    assert int(resumed.variables[0].numpy()) == 4
    for step in grads[4:]:
        resumed.apply(step, resumed_variables)
    for a, b in zip(resumed_variables + resumed.variables, variables + optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_loading_into_a_mismatched_optimizer_warns_and_skips():
    store: dict = {}
    built = optimizers.Adam()
    built.build(glassnet_variables(make_problem()[0]))
    built.save_own_variables(store)
    fresh = optimizers.Adam()
    with pytest.warns(UserWarning, match=r"has 2 variables, the saved state has 10.*build"):
        fresh.load_own_variables(store)
    assert fresh.iterations == 0


def test_adam_state_on_the_784_50_10_network_counts_like_keras(keras):
    """``model.summary()`` counts these as "Optimizer params" (79,522 in Keras)."""
    shapes = [(784, 50), (50,), (50, 10), (10,)]
    ours = optimizers.Adam()
    ours.build([Variable(np.zeros(s, np.float32), name=f"w{i}") for i, s in enumerate(shapes)])
    theirs = keras.optimizers.Adam()
    theirs.build([keras.Variable(np.zeros(s, np.float32)) for s in shapes])
    count = sum(int(np.prod(v.shape)) for v in ours.variables)
    assert count == sum(int(np.prod(v.shape)) for v in theirs.variables) == 79_522
    assert [v.dtype for v in ours.variables[:2]] == [np.dtype(np.int32), np.dtype(np.float32)]
    assert sum(v.numpy().nbytes for v in ours.variables) == 79_522 * 4
    assert [v.path for v in ours.variables][:4] == ["adam/iteration", "adam/learning_rate",
                                                    "adam/w0_momentum", "adam/w0_velocity"]


def test_slot_variables_show_live_values_and_set_weights_writes_them(keras):
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.SGD(0.1, momentum=0.9)
    optimizer.apply(grads[0], variables)
    momentum = optimizer.variables[2]
    assert momentum.name == "kernel_momentum"
    np.testing.assert_allclose(momentum.numpy(), -0.1 * grads[0][0], rtol=1e-6)
    values = [v.numpy() for v in optimizer.variables]
    values[2] = np.ones((7, 5), np.float32)
    optimizer.set_weights(values)
    np.testing.assert_array_equal(momentum.numpy(), 1.0)
    with pytest.raises(ValueError, match=r"has shape \(7, 5\); received a weight of shape"):
        optimizer.set_weights([values[0], values[1], np.ones(3)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizer.apply(grads[1], variables)  # no warning on a normal step
    theirs = keras.optimizers.SGD(0.1, momentum=0.9)
    theirs.build([keras.Variable(w) for w in weights])
    assert len(theirs.variables) == len(optimizer.variables)
    assert keras_numpy(theirs.variables[0]).dtype == optimizer.variables[0].numpy().dtype
