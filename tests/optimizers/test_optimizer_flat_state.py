"""The flat-buffer design: adoption, the per-variable fallback, and their identical results."""

from __future__ import annotations

import gc
import warnings

import numpy as np
import pytest
from tests.optimizers.optimizer_reference import (CASES, NAMES, assert_weights_close,
                                                  glassnet_variables, keras_numpy, make_problem)

from glassnet import optimizers
from glassnet.core.tensor import Tensor
from glassnet.core.variable import Variable

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning",
    "ignore:The `lr` argument")


def _run(optimizer, variables, grads, configure=None):
    if configure is not None:
        configure(optimizer, variables)
    for step in grads:
        optimizer.apply(step, variables)
    return [v.numpy() for v in variables], [v.numpy() for v in optimizer.variables]


def test_build_adopts_float32_variables_into_one_buffer():
    weights, _ = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.Adam()
    optimizer.build(variables)
    state = optimizer._state
    assert state.flat and state.param_flat.dtype == np.float32
    assert state.param_flat.size == sum(w.size for w in weights)
    offset = 0
    for variable, weight in zip(variables, weights):
        assert variable._buffer_owner() is optimizer
        assert np.shares_memory(variable.data, state.param_flat)
        np.testing.assert_array_equal(variable.data, weight)
        np.testing.assert_array_equal(state.param_flat[offset:offset + weight.size],
                                      weight.ravel())
        offset += weight.size
    for slot in optimizer.variables[2:]:
        assert any(np.shares_memory(slot.data, flat) for flat in state.slot_flat.values())


@pytest.mark.parametrize("case", list(CASES))
def test_flat_and_per_variable_paths_give_identical_results(case):
    make, _, configure = CASES[case]
    weights, grads = make_problem(seed=7)
    flat = make(optimizers)
    flat_result = _run(flat, glassnet_variables(weights), grads, configure)
    assert flat._state.flat

    variables = glassnet_variables(weights)
    holder = optimizers.SGD()  # a live owner of the variables forces the per-variable path
    holder.build(variables)
    per_variable = make(optimizers)
    per_variable_result = _run(per_variable, variables, grads, configure)
    assert not per_variable._state.flat
    for ours, theirs in zip(flat_result, per_variable_result):
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a, b)


def test_mixed_dtypes_fall_back_to_per_variable_updates():
    weights, grads = make_problem(seed=2)
    dtypes = [np.float32, np.float64, np.float32, np.float64]
    mixed = [Variable(w.astype(d), dtype=d, name=n) for w, d, n in zip(weights, dtypes, NAMES)]
    optimizer = optimizers.Adam(0.01)
    _run(optimizer, mixed, [[g.astype(d) for g, d in zip(step, dtypes)] for step in grads])
    assert not optimizer._state.flat and optimizer._state.grad_flat is None
    assert [v.dtype for v in mixed] == [np.dtype(d) for d in dtypes]
    assert [optimizer.variables[2 + 2 * i].dtype for i in range(4)] == [np.dtype(d)
                                                                        for d in dtypes]
    for dtype in (np.float32, np.float64):  # each dtype alone is adopted and must agree
        same = [Variable(w.astype(dtype), dtype=dtype, name=n) for w, n in zip(weights, NAMES)]
        single = optimizers.Adam(0.01)
        _run(single, same, [[g.astype(dtype) for g in step] for step in grads])
        assert single._state.flat
        for i, d in enumerate(dtypes):
            if d == dtype:
                np.testing.assert_array_equal(mixed[i].numpy(), same[i].numpy())


def test_two_optimizers_over_overlapping_variables_match_keras(keras):
    weights, grads = make_problem(seed=5)
    ours = glassnet_variables(weights)
    first, second = optimizers.Adam(0.01), optimizers.SGD(0.05, momentum=0.9)
    first.build(ours[:3])
    second.build(ours[2:])
    assert first._state.flat and not second._state.flat  # ours[2] belongs to `first`
    theirs = [keras.Variable(w, name=n) for w, n in zip(weights, NAMES)]
    k_first, k_second = keras.optimizers.Adam(0.01), keras.optimizers.SGD(0.05, momentum=0.9)
    for step in grads:
        first.apply(step[:3], ours[:3])
        second.apply(step[2:], ours[2:])
        k_first.apply([keras.ops.convert_to_tensor(g) for g in step[:3]], theirs[:3])
        k_second.apply([keras.ops.convert_to_tensor(g) for g in step[2:]], theirs[2:])
    assert_weights_close([v.numpy() for v in ours], [keras_numpy(v) for v in theirs])


def test_released_owner_lets_the_next_optimizer_adopt():
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    first = optimizers.SGD(0.1)
    first.apply(grads[0], variables)
    values = [v.numpy() for v in variables]
    del first
    gc.collect()
    second = optimizers.RMSprop()
    second.build(variables)
    assert second._state.flat and variables[0]._buffer_owner() is second
    for variable, value in zip(variables, values):
        np.testing.assert_array_equal(variable.numpy(), value)


def test_rebound_variable_data_is_adopted_again():
    weights, grads = make_problem()
    variables, reference = glassnet_variables(weights), glassnet_variables(weights)
    optimizer, expected = optimizers.Adam(0.01), optimizers.Adam(0.01)
    optimizer.apply(grads[0], variables)
    expected.apply(grads[0], reference)
    variables[1].data = np.full(5, 0.5, np.float32)  # rebinding instead of assign()
    reference[1].assign(np.full(5, 0.5, np.float32))
    for step in grads[1:]:
        optimizer.apply(step, variables)
        expected.apply(step, reference)
    assert np.shares_memory(variables[1].data, optimizer._state.param_flat)
    for a, b in zip(variables, reference):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_gradients_may_be_tensors_lists_or_float64():
    weights, grads = make_problem()
    expected = glassnet_variables(weights)
    optimizers.SGD(0.1).apply(grads[0], expected)
    for convert in (Tensor, lambda g: g.astype(np.float64), lambda g: g.tolist()):
        variables = glassnet_variables(weights)
        optimizers.SGD(0.1).apply([convert(g) for g in grads[0]], variables)
        for a, b in zip(variables, expected):
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_apply_gradients_takes_pairs_and_returns_iterations():
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.SGD(0.1)
    assert optimizer.apply_gradients(zip(grads[0], variables)) == 1
    np.testing.assert_allclose(variables[1].numpy(), weights[1] - 0.1 * grads[0][1], rtol=1e-6)


def test_gradient_errors_name_the_problem():
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.Adam()
    with pytest.raises(ValueError, match=r"not built"):
        optimizer.apply(grads[0])
    with pytest.raises(ValueError, match=r"3 gradients for 4 variables"):
        optimizer.apply(grads[0][:3], variables)
    bad = list(grads[0])
    bad[2] = np.zeros((3, 5), np.float32)
    with pytest.raises(ValueError, match=r"'kernel_1' has shape \(3, 5\); expected \(5, 3\)"):
        optimizer.apply(bad, variables)
    with pytest.raises(ValueError, match=r"Unknown variable: 'other'"):
        optimizer.apply([grads[0][1]], [Variable(np.zeros(5), name="other")])
    with pytest.raises(ValueError, match="twice"):
        optimizers.SGD().build([variables[0], variables[0]])


def test_missing_gradients_warn_once_and_skip_the_variable():
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.SGD(0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for step in grads[:3]:
            optimizer.apply([step[0], None, step[2], step[3]], variables)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "['bias']" in messages[0]
    np.testing.assert_array_equal(variables[1].numpy(), weights[1])
    expected = weights[0] - 0.1 * grads[0][0] - 0.1 * grads[1][0] - 0.1 * grads[2][0]
    np.testing.assert_allclose(variables[0].numpy(), expected, rtol=1e-6)
    assert optimizer.iterations == 3
    with pytest.raises(ValueError, match="No gradients provided"):
        optimizer.apply([None] * 4, variables)


def test_constraints_apply_after_the_update_as_in_keras(keras):
    weights, grads = make_problem(seed=11)
    ours, theirs = glassnet_variables(weights), [keras.Variable(w) for w in weights]
    ours[0].constraint = lambda w: w.numpy() * (w.numpy() >= 0)
    theirs[0].constraint = keras.constraints.NonNeg()
    first, second = optimizers.Adam(0.05), keras.optimizers.Adam(0.05)
    for step in grads:
        first.apply(step, ours)
        second.apply([keras.ops.convert_to_tensor(g) for g in step], theirs)
    assert np.all(ours[0].numpy() >= 0)
    assert_weights_close([v.numpy() for v in ours], [keras_numpy(v) for v in theirs])


def test_ema_finalize_writes_the_averages_into_the_variables():
    weights, grads = make_problem()
    variables = glassnet_variables(weights)
    optimizer = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5)
    for step in grads[:3]:
        optimizer.apply(step, variables)
    averages = [v.numpy() for v in optimizer.variables if v.name.endswith("_average")]
    optimizer.finalize_variable_values(variables)
    for variable, average in zip(variables, averages):
        np.testing.assert_array_equal(variable.numpy(), average)
