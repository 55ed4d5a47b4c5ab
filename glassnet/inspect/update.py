"""The update an optimizer would apply, computed without applying it.

:func:`preview_update` copies the optimizer (its hyperparameters, step count, learning
rate and every slot: momentums, velocities, moving averages) onto copies of the variables,
runs the copy's real ``apply`` there, and returns the values the variables would get.  The
optimizer and the variables themselves are not touched: not even built, if they were not.
Because the copy runs the same update code on the same numbers, applying the previewed
update gives exactly the weights a real step gives.

Example:
    >>> opt = glassnet.optimizers.Adam(learning_rate=0.1)
    >>> w = Variable(np.ones(3))
    >>> new = preview_update(opt, [w], [np.ones(3)])
    >>> new[0], w.numpy(), opt.built
    (array([0.9, 0.9, 0.9], dtype=float32), array([1., 1., 1.], dtype=float32), False)
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

from glassnet.core.variable import Variable


def _shadow_variable(variable) -> Variable:
    shadow = Variable(variable.numpy(), dtype=variable.data.dtype, trainable=True,
                      name=variable.name, path=variable.path, constraint=variable.constraint)
    return shadow


def _clone(optimizer, built_on: list, shadows: dict):
    """A copy of ``optimizer`` built on the shadows of ``built_on``, with the same state."""
    clone = copy.copy(optimizer)
    clone.built = False
    clone._state = None
    clone._extra_variables = []
    clone._decay_mask = None
    clone._warned_missing = set()
    clone._exclude_ids = {id(shadows[i]) for i in optimizer._exclude_ids if i in shadows}
    clone._iteration = Variable(optimizer._iteration.numpy(), dtype=optimizer._iteration.dtype,
                                trainable=False, name="iteration",
                                path=optimizer._iteration.path)
    rate = optimizer._learning_rate
    if isinstance(rate, Variable):
        clone._learning_rate = Variable(rate.numpy(), dtype=rate.dtype, trainable=False,
                                        name=rate.name, path=rate.path)
    clone.build([shadows[id(v)] for v in built_on])
    if optimizer.built:
        source, target = optimizer.variables, clone.variables
        if len(source) != len(target):
            raise RuntimeError(
                f"Could not copy the state of optimizer '{optimizer.name}': it holds "
                f"{len(source)} variables, a fresh copy built on the same weights holds "
                f"{len(target)}.")
        for s, t in zip(source, target):
            t.assign(s.data)
    return clone


def preview_update(optimizer, variables: list, grads: list) -> list:
    """The values ``optimizer.apply(grads, variables)`` would give ``variables``.

    Returns one new array per variable (unchanged values where a gradient is None), and
    leaves the optimizer's state and the variables exactly as they were.

    Example:
        >>> new = preview_update(model.optimizer, model.trainable_weights, grads)
        >>> delta = new[0] - model.trainable_weights[0].numpy()
    """
    variables = list(variables)
    built_on = list(optimizer._state.variables) if optimizer.built else variables
    shadows = {id(v): _shadow_variable(v) for v in built_on}
    for v in variables:  # a variable the optimizer does not know fails as a real step would
        shadows.setdefault(id(v), _shadow_variable(v))
    clone = _clone(optimizer, built_on, shadows)
    targets = [shadows[id(v)] for v in variables]
    with warnings.catch_warnings():
        # The missing-gradient warning belongs to the real step; a preview stays quiet.
        warnings.filterwarnings("ignore", message="Gradients do not exist")
        clone.apply(list(grads), targets)
    return [np.array(t.data, copy=True) for t in targets]
