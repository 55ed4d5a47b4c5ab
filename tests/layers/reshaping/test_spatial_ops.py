"""zero_pad, crop and upsampling ops against PyTorch (forward and gradient, float64)."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.ops.spatial import Crop, UpsampleBilinear, UpsampleNearest, ZeroPad
from tests.conftest import _reference

_reference("torch", module_level=True)  # the references below import torch

from tests.layers.convolutional import reference  # noqa: E402
from tests.layers.convolutional.op_check import compare_with_torch  # noqa: E402

CASES = [
    (ZeroPad, (2, 3, 4, 2), {"padding": ((1, 2), (0, 3))}, reference.zero_pad),
    (ZeroPad, (2, 5, 3), {"padding": ((2, 0),)}, reference.zero_pad),
    (Crop, (2, 6, 7, 2), {"cropping": ((1, 2), (3, 0))}, reference.crop),
    (Crop, (2, 6, 3), {"cropping": ((0, 4),)}, reference.crop),
    (UpsampleNearest, (2, 3, 4, 2), {"size": (2, 3)}, reference.upsample_nearest),
    (UpsampleNearest, (2, 4, 3), {"size": (3,)}, reference.upsample_nearest),
    (UpsampleBilinear, (2, 3, 4, 2), {"size": (2, 2)}, reference.upsample_bilinear),
    (UpsampleBilinear, (1, 5, 3, 3), {"size": (3, 4)}, reference.upsample_bilinear),
    (UpsampleBilinear, (2, 4, 2), {"size": (2,)}, reference.upsample_bilinear),
]


@pytest.mark.parametrize("op_cls, shape, kwargs, ref", CASES,
                         ids=[f"{c[0].label}-{i}" for i, c in enumerate(CASES)])
def test_spatial_op_matches_torch(torch, op_cls, shape, kwargs, ref):
    x = np.random.default_rng(len(shape)).standard_normal(shape)
    compare_with_torch(torch, op_cls, [x], kwargs, ref)


def test_crop_rejects_cropping_everything():
    with pytest.raises(ValueError, match="removes everything"):
        Crop(((2, 2), (0, 0))).forward(np.zeros((1, 4, 4, 1)))
