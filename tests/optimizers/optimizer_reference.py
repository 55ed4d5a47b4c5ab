"""Shared by the optimizer tests: one small problem run through glassnet and through Keras 3.

The problem is four float32 variables (the shapes of a 7-5-3 dense network) and a fixed
sequence of random gradient arrays.  Both libraries start from the same weights and apply
the same gradients, so their weights must agree to float32 rounding.
"""

from __future__ import annotations

import numpy as np

SHAPES = [(7, 5), (5,), (5, 3), (3,)]
NAMES = ["kernel", "bias", "kernel_1", "bias_1"]


def make_problem(seed: int = 0, steps: int = 10, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal(shape).astype(np.float32) for shape in SHAPES]
    grads = [[(scale * rng.standard_normal(shape)).astype(np.float32) for shape in SHAPES]
             for _ in range(steps)]
    return weights, grads


def glassnet_variables(weights, names=NAMES):
    from glassnet.core.variable import Variable

    return [Variable(w, name=n) for w, n in zip(weights, names)]


def run_glassnet(make, weights, grads, configure=None):
    """Apply ``grads`` step by step with ``make(glassnet.optimizers)``; final weights, opt."""
    from glassnet import optimizers

    optimizer = make(optimizers)
    variables = glassnet_variables(weights)
    if configure is not None:
        configure(optimizer, variables)
    for step in grads:
        optimizer.apply(step, variables)
    return [v.numpy() for v in variables], optimizer


def keras_numpy(value) -> np.ndarray:
    """A Keras (torch) variable or tensor as a NumPy copy, without NumPy 2's copy warning."""
    value = getattr(value, "value", value)
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy().copy()
    return np.array(value)


def run_keras(keras, make, weights, grads, configure=None):
    """The same run with Keras 3 (torch backend); final weights and the optimizer."""
    optimizer = make(keras.optimizers)
    variables = [keras.Variable(w, name=n) for w, n in zip(weights, NAMES)]
    if configure is not None:
        configure(optimizer, variables)
    for step in grads:
        optimizer.apply([keras.ops.convert_to_tensor(g) for g in step], variables)
    return [keras_numpy(v) for v in variables], optimizer


def assert_weights_close(actual, expected, rtol: float = 1e-6) -> None:
    """Equal within ``rtol`` relative to each variable's scale.

    Two float32 implementations that order their roundings differently agree to a few units
    in the last place of the values they compute with, so the tolerance is relative to the
    largest magnitude in the variable: an element that happens to sit near zero would make
    a purely elementwise relative test measure cancellation, not the update rule.
    """
    assert len(actual) == len(expected)
    for a, b in zip(actual, expected):
        b = np.asarray(b)
        assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, a.dtype, b.shape, b.dtype)
        scale = float(np.max(np.abs(b))) if b.size else 0.0
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * scale)


def _exclude_bias(optimizer, variables):
    optimizer.exclude_from_weight_decay(var_names=["bias"])


def _exclude_first(optimizer, variables):
    optimizer.exclude_from_weight_decay(var_list=[variables[0]])


def _inverse_time(m):
    return m.SGD(m.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.05))


# id -> (glassnet factory, Keras factory or None for the same, configure or None)
CASES = {
    "sgd": (lambda m: m.SGD(), None, None),
    "sgd_momentum": (lambda m: m.SGD(0.05, momentum=0.9), None, None),
    "sgd_nesterov": (lambda m: m.SGD(0.05, momentum=0.9, nesterov=True), None, None),
    "rmsprop": (lambda m: m.RMSprop(), None, None),
    "rmsprop_momentum": (lambda m: m.RMSprop(0.01, momentum=0.5), None, None),
    "rmsprop_centered": (lambda m: m.RMSprop(0.01, centered=True), None, None),
    "rmsprop_centered_momentum": (lambda m: m.RMSprop(0.01, momentum=0.5, centered=True),
                                  None, None),
    "adam": (lambda m: m.Adam(), None, None),
    "adam_large_lr": (lambda m: m.Adam(0.05, beta_1=0.8, beta_2=0.99, epsilon=1e-3), None,
                      None),
    "adam_amsgrad": (lambda m: m.Adam(0.01, amsgrad=True), None, None),
    "adam_slow_momentum": (lambda m: m.Adam(0.01, beta_1=0.995), None, None),
    "adamw": (lambda m: m.AdamW(0.01), None, None),
    "adamw_exclude_bias": (lambda m: m.AdamW(0.01, weight_decay=0.1), None, _exclude_bias),
    "adamw_exclude_variable": (lambda m: m.AdamW(0.01, weight_decay=0.1), None,
                               _exclude_first),
    "adagrad": (lambda m: m.Adagrad(0.1), None, None),
    "adadelta": (lambda m: m.Adadelta(1.0), None, None),
    "adamax": (lambda m: m.Adamax(0.01), None, None),
    "nadam": (lambda m: m.Nadam(0.01), None, None),
    "ftrl": (lambda m: m.Ftrl(0.1), None, None),
    "ftrl_regularized": (lambda m: m.Ftrl(0.1, learning_rate_power=-0.6,
                                          l1_regularization_strength=0.01,
                                          l2_regularization_strength=0.02,
                                          l2_shrinkage_regularization_strength=0.03, beta=0.1),
                         None, None),
    "lion": (lambda m: m.Lion(0.01), None, None),
    "clipnorm": (lambda m: m.Adam(0.01, clipnorm=1.0), None, None),
    "clipvalue": (lambda m: m.RMSprop(0.01, clipvalue=0.5), None, None),
    "global_clipnorm": (lambda m: m.SGD(0.1, momentum=0.5, global_clipnorm=1.0), None, None),
    "weight_decay": (lambda m: m.SGD(0.1, momentum=0.9, weight_decay=0.05), None, None),
    "weight_decay_adam": (lambda m: m.Adam(0.01, weight_decay=0.1), None, None),
    "schedule_exponential": (lambda m: m.Adam(m.schedules.ExponentialDecay(0.05, 3, 0.5)),
                             None, None),
    "schedule_piecewise": (lambda m: m.SGD(m.schedules.PiecewiseConstantDecay(
        [2, 5], [0.1, 0.05, 0.01])), None, None),
    "schedule_cosine_warmup": (lambda m: m.SGD(m.schedules.CosineDecay(
        0.01, 6, alpha=0.1, warmup_target=0.1, warmup_steps=3)), None, None),
    "schedule_restarts": (lambda m: m.SGD(m.schedules.CosineDecayRestarts(0.1, 3)), None,
                          None),
    "schedule_polynomial": (lambda m: m.RMSprop(m.schedules.PolynomialDecay(
        0.01, 7, end_learning_rate=0.001, power=2.0)), None, None),
    "callable_learning_rate": (lambda m: m.Adam(lambda: 0.02), None, None),
    "lr_alias": (lambda m: m.RMSprop(lr=0.01), lambda m: m.RMSprop(learning_rate=0.01), None),
    "keras2_decay": (lambda m: m.SGD(0.1, decay=0.05), _inverse_time, None),
    "ema": (lambda m: m.SGD(0.1, use_ema=True), None, None),
    "ema_overwrite": (lambda m: m.Adam(0.01, use_ema=True, ema_momentum=0.9,
                                       ema_overwrite_frequency=3), None, None),
    "gradient_accumulation": (lambda m: m.Adam(0.01, gradient_accumulation_steps=3), None,
                              None),
    "loss_scale_factor": (lambda m: m.Adam(0.01, loss_scale_factor=128.0), None, None),
}
