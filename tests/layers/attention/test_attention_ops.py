"""The attention, layer-norm, embedding and repeat ops against PyTorch (float64): forward
values and input gradients for every registered example, through the shared comparison of
``tests/ops/test_torch_reference.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.ops.embedding import Embedding
from tests.ops.op_cases import OpCase, op_cases
from tests.ops.test_torch_reference import compare_with_torch

LABELS = {"softmax_attention", "dot_product_attention", "layer_norm", "embedding",
          "repeat_vector"}
CASES = [p for p in op_cases() if p.values[0].label in LABELS]


@pytest.fixture(scope="module")
def references(torch):
    from tests.layers.attention.torch_attention import REFERENCES
    return REFERENCES


def test_every_op_here_has_examples_and_a_reference(references):
    assert {p.values[0].label for p in CASES} == LABELS == set(references)


@pytest.mark.parametrize("case", CASES)
def test_op_matches_pytorch(case, torch, references):
    case.require_example()
    compare_with_torch(torch, case, references[case.label])


def test_embedding_gradient_accumulates_repeated_indices_like_torch(torch, references):
    rng = np.random.default_rng(3)
    indices = rng.integers(0, 7, (16, 9))  # many repeats
    case = OpCase("embedding", Embedding, [rng.standard_normal((7, 5)), indices])
    compare_with_torch(torch, case, references["embedding"])
