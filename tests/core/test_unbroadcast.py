"""unbroadcast: the adjoint of broadcasting, checked against its definition."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from glassnet.core.op import unbroadcast

SHAPES = [((2, 3, 4), (4,)), ((2, 3, 4), (1, 4)), ((2, 3, 4), (3, 1)), ((2, 3, 4), (2, 1, 1)),
          ((2, 3, 4), ()), ((2, 3, 4), (1, 1, 1)), ((2, 3, 4), (2, 3, 4)), ((5,), (1,)),
          ((3, 1, 4), (1, 1))]


@pytest.mark.parametrize("big, small", SHAPES, ids=[f"{b}->{s}" for b, s in SHAPES])
def test_unbroadcast_is_the_adjoint_of_broadcast_to(big, small):
    # <broadcast_to(e_i), g> is, by definition of the adjoint, entry i of unbroadcast(g).
    grad = np.random.default_rng(len(big) + len(small)).standard_normal(big)
    expected = np.zeros(small)
    for index in itertools.product(*(range(n) for n in small)):
        unit = np.zeros(small)
        unit[index] = 1.0
        expected[index] = np.sum(np.broadcast_to(unit, big) * grad)
    result = unbroadcast(grad, small)
    assert np.shape(result) == small
    np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-14)


def test_unbroadcast_returns_the_same_array_when_nothing_was_broadcast():
    grad = np.ones((2, 3))
    assert unbroadcast(grad, (2, 3)) is grad
