"""The batch_norm (batch statistics) and batch_norm_inference ops against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.ops.normalization import BatchNorm, BatchNormInference
from tests.conftest import _reference

_reference("torch", module_level=True)  # the references below import torch

from tests.layers.convolutional import reference  # noqa: E402
from tests.layers.convolutional.op_check import compare_with_torch  # noqa: E402

SHAPES = [((8, 5), -1), ((4, 3, 5, 6), -1), ((4, 6, 3, 3), 1), ((3, 7, 4), 1), ((6, 4), 0)]


@pytest.mark.parametrize("shape, axis", SHAPES)
@pytest.mark.parametrize("scale, center", [(True, True), (False, True), (True, False),
                                           (False, False)])
def test_batch_norm_matches_torch(torch, shape, axis, scale, center):
    rng = np.random.default_rng(len(shape) * 10 + axis)
    features = shape[axis]
    x = rng.standard_normal(shape) * 3 + 2
    gamma = rng.uniform(0.5, 2, features) if scale else None
    beta = rng.standard_normal(features) if center else None
    compare_with_torch(torch, BatchNorm, [x, gamma, beta], {"axis": axis, "epsilon": 1e-3},
                       reference.batch_norm)


@pytest.mark.parametrize("shape, axis", SHAPES)
def test_batch_norm_inference_matches_torch(torch, shape, axis):
    rng = np.random.default_rng(len(shape))
    features = shape[axis]
    inputs = [rng.standard_normal(shape), rng.standard_normal(features),
              rng.uniform(0.2, 2, features), rng.uniform(0.5, 2, features),
              rng.standard_normal(features)]
    compare_with_torch(torch, BatchNormInference, inputs, {"axis": axis, "epsilon": 0.01},
                       reference.batch_norm_inference)


def test_batch_norm_keeps_the_biased_batch_statistics():
    x = np.random.default_rng(3).standard_normal((10, 3)).astype(np.float32)
    op = BatchNorm()
    y = op.forward(x, None, None)
    np.testing.assert_allclose(op.mean, x.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(op.variance, x.var(axis=0), rtol=1e-5)
    assert y.dtype == np.float32
