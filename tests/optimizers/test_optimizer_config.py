"""Constructors, names, configs and lookups by name, against Keras 3."""

from __future__ import annotations

import numpy as np
import pytest
from tests.optimizers.optimizer_reference import glassnet_variables, make_problem

from glassnet import optimizers

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")

CLASSES = ["SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl",
           "Lion"]


@pytest.mark.parametrize("name", CLASSES)
def test_default_config_matches_keras(keras, name):
    ours = getattr(optimizers, name)().get_config()
    theirs = getattr(keras.optimizers, name)().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs


@pytest.mark.parametrize("name", CLASSES)
def test_config_round_trips_through_serialize(name):
    optimizer = getattr(optimizers, name)(learning_rate=0.05, clipnorm=2.0)
    config = optimizer.get_config()
    assert type(optimizer).from_config(config).get_config() == config
    rebuilt = optimizers.deserialize(optimizers.serialize(optimizer))
    assert type(rebuilt) is type(optimizer) and rebuilt.get_config() == config


def test_keras_serialized_optimizer_with_schedule_loads(keras):
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)
    theirs = keras.optimizers.Adam(schedule, beta_1=0.8, amsgrad=True, name="opt")
    ours = optimizers.deserialize(keras.optimizers.serialize(theirs))
    assert isinstance(ours, optimizers.Adam)
    assert isinstance(ours._learning_rate, optimizers.schedules.ExponentialDecay)
    assert ours.get_config() == theirs.get_config()


def test_automatic_names_follow_keras():
    assert optimizers.Adam().name == "adam"
    assert optimizers.Adam().name == "adam_1"
    assert optimizers.RMSprop().name == "rm_sprop"
    assert optimizers.AdamW().name == "adam_w"
    assert optimizers.SGD(name="mine").name == "mine"


@pytest.mark.parametrize("identifier", ["sgd", "rmsprop", "adam", "adamw", "adagrad", "adadelta",
                                        "adamax", "nadam", "ftrl", "lion", "Adam", "RMSprop",
                                        "SGD", "ADAM"])
def test_get_by_name(identifier):
    optimizer = optimizers.get(identifier)
    assert type(optimizer).__name__.lower() == identifier.lower()


def test_get_dicts_instances_and_none():
    optimizer = optimizers.Adam()
    assert optimizers.get(optimizer) is optimizer
    assert optimizers.get(None) is None
    built = optimizers.get({"class_name": "SGD", "config": {"momentum": 0.9}})
    assert isinstance(built, optimizers.SGD) and built.momentum == 0.9


def test_unknown_names_suggest_the_closest():
    with pytest.raises(ValueError, match=r"Unknown optimizer: 'adamm'\. Did you mean 'adam'"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="rmsprop"):
        optimizers.get("rmsprob")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


def test_unknown_keyword_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match=r"Adam\(\) got unexpected keyword argument\(s\): 'bta_1'"):
        optimizers.Adam(bta_1=0.8)


@pytest.mark.parametrize("make, message", [
    (lambda: optimizers.SGD(clipnorm=1.0, clipvalue=1.0), "Only one of `clipnorm`"),
    (lambda: optimizers.SGD(momentum=1.5), "`momentum` must be a float between"),
    (lambda: optimizers.AdamW(weight_decay=None), "weight_decay=None"),
    (lambda: optimizers.Lion(beta_1=0.0), "beta_1"),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5), "learning_rate_power"),
    (lambda: optimizers.Ftrl(l1_regularization_strength=-1.0), "l1_regularization_strength"),
    (lambda: optimizers.Adam(gradient_accumulation_steps=1), "gradient_accumulation_steps"),
    (lambda: optimizers.Adam(use_ema=True, ema_momentum=1.5), "ema_momentum"),
])
def test_invalid_arguments_raise_value_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_keras_style_custom_optimizer_works_and_can_be_rebuilt_by_name():
    class MomentumDescent(optimizers.Optimizer):
        """Written the way Keras documents custom optimizers."""

        def __init__(self, learning_rate=0.1, momentum=0.9, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)
            self.momentum = momentum

        def build(self, variables):
            if self.built:
                return
            super().build(variables)
            self.velocities = [self.add_variable_from_reference(v, "velocity")
                               for v in variables]

        def update_step(self, gradient, variable, learning_rate):
            velocity = self.velocities[self._get_variable_index(variable)]
            velocity.assign(velocity.numpy() * self.momentum - gradient * learning_rate)
            variable.assign_add(velocity.numpy())

        def get_config(self):
            return {**super().get_config(), "momentum": self.momentum}

    weights, grads = make_problem()
    ours, reference = glassnet_variables(weights), glassnet_variables(weights)
    custom = MomentumDescent()
    builtin = optimizers.SGD(0.1, momentum=0.9)
    for step in grads:
        custom.apply(step, ours)
        builtin.apply(step, reference)
    for a, b in zip(ours, reference):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    assert [v.name for v in custom.variables][2:4] == ["kernel_velocity", "bias_velocity"]
    rebuilt = optimizers.deserialize(optimizers.serialize(custom))
    assert isinstance(rebuilt, MomentumDescent) and rebuilt.momentum == 0.9
