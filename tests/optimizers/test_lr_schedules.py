"""Learning-rate schedules against Keras 3: values, vectorized calls, configs and errors."""

from __future__ import annotations

import numpy as np
import pytest
from tests.optimizers.optimizer_reference import keras_numpy

from glassnet.optimizers import schedules

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")

SCHEDULES = {
    "exponential": ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=7,
                                             decay_rate=0.8)),
    "exponential_staircase": ("ExponentialDecay", dict(initial_learning_rate=0.1,
                                                       decay_steps=7, decay_rate=0.8,
                                                       staircase=True)),
    "piecewise": ("PiecewiseConstantDecay", dict(boundaries=[5, 12, 20],
                                                 values=[1.0, 0.5, 0.1, 0.01])),
    "inverse_time": ("InverseTimeDecay", dict(initial_learning_rate=0.5, decay_steps=4,
                                              decay_rate=0.3)),
    "inverse_time_staircase": ("InverseTimeDecay", dict(initial_learning_rate=0.5,
                                                        decay_steps=4, decay_rate=0.3,
                                                        staircase=True)),
    "polynomial": ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=25,
                                           end_learning_rate=0.01, power=0.5)),
    "polynomial_cycle": ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=9,
                                                 power=2.0, cycle=True)),
    "cosine": ("CosineDecay", dict(initial_learning_rate=0.2, decay_steps=30, alpha=0.1)),
    "cosine_warmup": ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=20,
                                          warmup_target=0.3, warmup_steps=10)),
    "restarts": ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=5,
                                             alpha=0.05)),
    # t_mul=1.7 puts no restart on an integer step: at a restart that falls exactly on a
    # step (t_mul=1.5 restarts at step 10) Keras's float32 log rounds either way depending
    # on the math library, giving 0 or the restarted value.
    "restarts_geometric": ("CosineDecayRestarts", dict(initial_learning_rate=0.1,
                                                       first_decay_steps=4, t_mul=1.7,
                                                       m_mul=0.7)),
}


@pytest.mark.parametrize("case", list(SCHEDULES))
def test_values_match_keras_at_every_step(keras, case):
    name, kwargs = SCHEDULES[case]
    ours = getattr(schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    steps = range(60)
    expected = np.array([keras_numpy(theirs(step)) for step in steps])
    values = np.array([ours(step).numpy() for step in steps])
    assert values.dtype == np.float32 and len(set(values.tolist())) > 2
    # float32 arithmetic in a different order: a few ulps of the initial rate (0.1) apart.
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=5e-8)
    np.testing.assert_array_equal(ours(np.arange(60)).numpy(), values)


@pytest.mark.parametrize("case", list(SCHEDULES))
def test_config_and_serialization_match_keras(keras, case):
    name, kwargs = SCHEDULES[case]
    ours = getattr(schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    assert schedules.serialize(ours) == keras.optimizers.schedules.serialize(theirs)
    rebuilt = schedules.deserialize(keras.optimizers.schedules.serialize(theirs))
    assert type(rebuilt) is type(ours) and rebuilt.get_config() == ours.get_config()
    np.testing.assert_array_equal(rebuilt(np.arange(30)).numpy(), ours(np.arange(30)).numpy())


def test_invalid_arguments_raise_like_keras():
    with pytest.raises(ValueError, match=r"decay_steps` must be > 0. Received: decay_steps=0"):
        schedules.ExponentialDecay(0.1, 0, 0.9)
    with pytest.raises(ValueError, match="first_decay_steps"):
        schedules.CosineDecayRestarts(0.1, -1)
    with pytest.raises(ValueError, match="1 less than the length of values"):
        schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5])
    with pytest.raises(ValueError, match=r"(?i)did you mean 'ExponentialDecay'"):
        schedules.deserialize({"class_name": "ExponentialDecy", "config": {}})


def test_custom_schedule_subclass_drives_an_optimizer():
    from glassnet import optimizers

    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.4 * 0.5 ** (step // 2)

        def get_config(self):
            return {}

    optimizer = optimizers.SGD(Halving())
    optimizer.iterations.assign(5)
    assert float(optimizer.learning_rate) == pytest.approx(0.1)
    with pytest.raises(NotImplementedError, match="__call__"):
        schedules.LearningRateSchedule()(0)
