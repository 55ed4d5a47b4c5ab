"""Reading and setting the learning rate and the step count, as Keras 3 (and Keras 2) code does."""

from __future__ import annotations

import numpy as np
import pytest
from tests.optimizers.optimizer_reference import (assert_weights_close, glassnet_variables,
                                                  keras_numpy, make_problem)

from glassnet import optimizers

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")


def test_float_learning_rate_reads_as_a_float32_variable(keras):
    ours, theirs = optimizers.Adam(0.01), keras.optimizers.Adam(0.01)
    assert float(ours.learning_rate) == float(keras_numpy(theirs.learning_rate))
    value = ours.learning_rate.numpy()
    assert value.dtype == np.float32 and value.shape == () and value == np.float32(0.01)
    assert ours.learning_rate.path == "adam/learning_rate"


def test_assign_and_set_change_the_next_steps_like_keras(keras):
    """ReduceLROnPlateau and LearningRateScheduler read float(lr) and set a new value."""
    weights, grads = make_problem(seed=4)
    ours = glassnet_variables(weights)
    theirs = [keras.Variable(w) for w in weights]
    first, second = optimizers.RMSprop(0.02), keras.optimizers.RMSprop(0.02)
    for i, step in enumerate(grads):
        if i == 3:
            first.learning_rate = float(first.learning_rate) * 0.5
            second.learning_rate = float(keras_numpy(second.learning_rate)) * 0.5
        if i == 6:
            first.learning_rate.assign(0.003)
            second.learning_rate.assign(0.003)
        first.apply(step, ours)
        second.apply([keras.ops.convert_to_tensor(g) for g in step], theirs)
    assert float(first.learning_rate) == np.float32(0.003)
    assert_weights_close([v.numpy() for v in ours], [keras_numpy(v) for v in theirs])


def test_keras2_lr_name_reads_and_writes_the_learning_rate():
    with pytest.warns(UserWarning, match="`lr` argument is deprecated"):
        optimizer = optimizers.RMSprop(lr=1e-4)
    assert optimizer.lr.numpy() == np.float32(1e-4)
    optimizer.lr = 0.5
    assert float(optimizer.learning_rate) == 0.5
    assert optimizer.get_config()["learning_rate"] == 0.5


def test_keras2_decay_shrinks_the_rate_used_but_not_the_rate_read():
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.SGD(0.1, decay=0.5)
    for step in grads[:3]:
        optimizer.apply(step, variables)
    assert float(optimizer.learning_rate) == np.float32(0.1)
    rates = [np.float32(0.1) / (np.float32(1) + np.float32(0.5) * np.float32(i))
             for i in range(3)]
    expected = weights[1] - sum(np.float32(r) * g[1] for r, g in zip(rates, grads[:3]))
    np.testing.assert_allclose(variables[1].numpy(), expected, rtol=1e-6)
    config = optimizer.get_config()
    assert config["decay"] == 0.5 and optimizers.SGD.from_config(config).decay == 0.5


def test_schedule_learning_rate_is_evaluated_at_iterations_and_not_settable():
    schedule = optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.SGD(schedule)
    assert float(optimizer.learning_rate) == pytest.approx(0.1)
    for step in grads[:4]:
        optimizer.apply(step, variables)
    assert float(optimizer.learning_rate) == pytest.approx(0.025)
    assert optimizer.learning_rate.numpy().dtype == np.float32
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        optimizer.learning_rate = 0.01
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        optimizer.learning_rate.assign(0.01)
    assert [v.name for v in optimizer.variables] == ["iteration"]  # no rate variable
    optimizer.learning_rate = optimizers.schedules.InverseTimeDecay(1.0, 1, 1.0)
    assert float(optimizer.learning_rate) == pytest.approx(1 / 5)


def test_callable_learning_rate_is_called_each_time_and_can_be_replaced():
    rates = iter([0.5, 0.25, 0.75])
    optimizer = optimizers.SGD(lambda: next(rates))
    assert float(optimizer.learning_rate) == 0.5
    assert float(optimizer.learning_rate) == 0.25
    with pytest.raises(TypeError, match="callable"):
        optimizer.learning_rate.assign(0.1)
    optimizer.learning_rate = 0.125
    assert optimizer.learning_rate.numpy() == np.float32(0.125)
    assert "learning_rate" in [v.name for v in optimizer.variables]


def test_numpy_scalars_and_ints_are_accepted_as_rates():
    assert optimizers.Adam(np.float32(0.25)).learning_rate.numpy() == np.float32(0.25)
    optimizer = optimizers.SGD(1)
    optimizer.learning_rate = np.float64(0.5)
    assert float(optimizer.learning_rate) == 0.5


@pytest.mark.parametrize("bad", ["fast", None, [0.1], True, float("nan")])
def test_invalid_learning_rates_are_rejected(bad):
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.Adam(learning_rate=bad)
    optimizer = optimizers.Adam()
    with pytest.raises(ValueError, match="learning_rate"):
        optimizer.learning_rate = bad


def test_iterations_is_an_int_with_keras_variable_manners():
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.Adam()
    for step in grads[:3]:
        optimizer.apply(step, variables)
    count = optimizer.iterations
    assert isinstance(count, int) and count == 3 and count + 1 == 4
    assert count.numpy().dtype == np.int32 and count.numpy() == 3
    optimizer.iterations.assign(0)
    assert optimizer.iterations == 0 and optimizer.variables[0].numpy() == 0


def test_iterations_with_gradient_accumulation_counts_updates():
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.SGD(0.1, gradient_accumulation_steps=3)
    for step in grads[:7]:
        optimizer.apply(step, variables)
    assert optimizer.iterations == 2 and int(optimizer.variables[0].numpy()) == 7
    with pytest.raises(TypeError, match="derived"):
        optimizer.iterations.assign(0)
