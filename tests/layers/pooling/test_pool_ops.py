"""The max_pool and average_pool ops against PyTorch over a grid of pool sizes, strides and
paddings (forward and input gradient, float64, 1e-6), including ties and 1-D inputs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from glassnet.core.tensor import Tensor
from glassnet.ops.pool import AveragePool, MaxPool, max_pool
from tests.conftest import _reference

_reference("torch", module_level=True)  # the references below import torch

from tests.layers.convolutional import reference  # noqa: E402
from tests.layers.convolutional.op_check import compare_with_torch  # noqa: E402

POOL_GRID = [
    (shape, size, strides, padding)
    for shape, size, strides, padding in itertools.product(
        [(2, 6, 6, 3), (1, 7, 5, 2), (2, 24, 24, 4)],
        [(2, 2), (3, 3), (2, 3), (1, 2)],
        [None, (1, 1), (2, 2), (3, 2), (4, 4)],
        ["valid", "same"])
    if padding == "same" or all(n >= k for n, k in zip(shape[1:3], size))]


def _distinct(rng, shape) -> np.ndarray:
    """Values far apart, so no window holds two maxima within rounding."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.01


@pytest.mark.parametrize("op_cls, ref", [(MaxPool, reference.max_pool),
                                          (AveragePool, reference.average_pool)],
                         ids=["max", "average"])
@pytest.mark.parametrize("shape, size, strides, padding", POOL_GRID)
def test_pool2d_matches_torch(torch, op_cls, ref, shape, size, strides, padding):
    x = _distinct(np.random.default_rng(POOL_GRID.index((shape, size, strides, padding))), shape)
    compare_with_torch(torch, op_cls, [x], {"pool_size": size, "strides": strides,
                                            "padding": padding}, ref)


@pytest.mark.parametrize("op_cls, ref", [(MaxPool, reference.max_pool),
                                          (AveragePool, reference.average_pool)],
                         ids=["max", "average"])
@pytest.mark.parametrize("size, stride, padding", list(itertools.product(
    [1, 2, 3], [None, 1, 2, 3], ["valid", "same"])))
def test_pool1d_matches_torch(torch, op_cls, ref, size, stride, padding):
    x = _distinct(np.random.default_rng(size), (2, 8, 3))
    compare_with_torch(torch, op_cls, [x], {"pool_size": size, "strides": stride,
                                            "padding": padding}, ref)


@pytest.mark.parametrize("strides", [None, (1, 1)])
def test_max_pool_ties_send_the_gradient_to_the_first_maximum(torch, strides):
    # ReLU outputs are full of zeros: whole windows tie, as do pairs inside a window.
    x = np.array([[0, 0, 1, 3], [0, 0, 3, 1], [2, 2, 0, 5], [2, 1, 5, 5]], float)
    x = np.stack([x, x.T], axis=-1)[None]
    compare_with_torch(torch, MaxPool, [x], {"pool_size": (2, 2), "strides": strides},
                       reference.max_pool)


def test_max_pool_of_the_books_cnn_keeps_float32():
    x = Tensor(np.random.default_rng(0).random((4, 24, 24, 8), dtype=np.float32))
    out = max_pool(x, (2, 2))
    assert out.shape == (4, 12, 12, 8) and out.dtype == np.float32
    np.testing.assert_array_equal(out.data, x.data.reshape(4, 12, 2, 12, 2, 8).max(axis=(2, 4)))


def test_pool_rejects_a_window_larger_than_the_input():
    with pytest.raises(ValueError, match="output would be empty"):
        max_pool(Tensor(np.zeros((1, 2, 2, 1))), (3, 3))
