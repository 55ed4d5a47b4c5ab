"""Every optimizer and option against Keras 3 (torch backend): same weights, same 10 gradient
arrays, weights and optimizer state equal to 1e-6 relative."""

from __future__ import annotations

import re

import numpy as np
import pytest
from tests.optimizers.optimizer_reference import (CASES, NAMES, assert_weights_close,
                                                  glassnet_variables, keras_numpy, make_problem,
                                                  run_glassnet, run_keras)

pytestmark = pytest.mark.filterwarnings(  # raised inside Keras's torch backend, not here
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")


@pytest.mark.filterwarnings("ignore:The `lr` argument")
@pytest.mark.parametrize("case", list(CASES))
def test_weights_and_state_match_keras(keras, case):
    make, keras_make, configure = CASES[case]
    weights, grads = make_problem(seed=len(case))
    ours, optimizer = run_glassnet(make, weights, grads, configure)
    theirs, reference = run_keras(keras, keras_make or make, weights, grads, configure)
    assert max(float(np.max(np.abs(a - w))) for a, w in zip(theirs, weights)) > 1e-3
    assert_weights_close(ours, theirs)

    assert int(optimizer.iterations) == int(keras_numpy(reference.iterations))
    ours_state = [(v.name, v.numpy()) for v in optimizer.variables]
    theirs_state = [(v.name, keras_numpy(v)) for v in reference.variables]
    if case == "nadam":  # Keras leaves u_product unnamed: 'variable', 'variable_3', ...
        assert re.fullmatch(r"variable(_\d+)?", theirs_state[-1][0])
        theirs_state[-1] = ("u_product", theirs_state[-1][1])
    if case in ("lr_alias", "keras2_decay"):  # the learning rate is held differently
        ours_state = [s for s in ours_state if s[0] != "learning_rate"]
        theirs_state = [s for s in theirs_state if s[0] != "learning_rate"]
    assert [name for name, _ in ours_state] == [name for name, _ in theirs_state]
    assert_weights_close([value for _, value in ours_state],
                         [value for _, value in theirs_state])


@pytest.mark.parametrize("case", ["adam", "rmsprop_centered_momentum", "sgd_nesterov", "nadam"])
def test_subset_and_reordered_applies_match_keras(keras, case):
    """Steps over a subset of the built variables, in another order, go per variable."""
    make = CASES[case][0]
    weights, grads = make_problem(seed=3)
    order = [[0, 1, 2, 3], [3, 1], [2, 0, 3], [1, 0, 2, 3]] * 2

    def run(module, variables, convert):
        optimizer = make(module)
        optimizer.build(variables)
        for step, picked in zip(grads, order):
            optimizer.apply([convert(step[i]) for i in picked], [variables[i] for i in picked])
        return optimizer

    from glassnet import optimizers

    ours = glassnet_variables(weights)
    run(optimizers, ours, lambda g: g)
    theirs = [keras.Variable(w, name=n) for w, n in zip(weights, NAMES)]
    run(keras.optimizers, theirs, keras.ops.convert_to_tensor)
    assert_weights_close([v.numpy() for v in ours],
                         [keras_numpy(v) for v in theirs])
