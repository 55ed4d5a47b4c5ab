"""Float64 gradient checks of the fused loss ops in glassnet/ops/loss_extras.py, and their
forward values against PyTorch where it has the same function."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.core.gradcheck import check_op
from glassnet.core.op import OP_REGISTRY
from glassnet.ops import loss_extras

EXTRA_OPS = [(label, entry) for label, entry in OP_REGISTRY.items()
             if entry["cls"].__module__ == loss_extras.__name__]


def test_every_loss_extra_op_is_registered():
    labels = {label for label, _ in EXTRA_OPS}
    assert labels == {"huber", "log_cosh", "mean_absolute_percentage_error",
                      "mean_squared_logarithmic_error", "hinge", "squared_hinge",
                      "categorical_hinge", "kl_divergence", "poisson", "cosine_similarity",
                      "binary_focal_cross_entropy", "weighted_sum"}


@pytest.mark.parametrize("label,entry", EXTRA_OPS, ids=[label for label, _ in EXTRA_OPS])
def test_gradient_matches_central_differences_in_float64(label, entry):
    for inputs, kwargs in entry["examples"]():
        report = check_op(entry["cls"], inputs, kwargs)
        assert report.max_error < 1e-6, (label, kwargs, report.errors)


def test_forward_values_match_torch(torch):
    rng = np.random.default_rng(9)
    pred, target = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    tp, tt = torch.tensor(pred), torch.tensor(target)
    F = torch.nn.functional
    np.testing.assert_allclose(loss_extras.Huber(0.7).forward(pred, target),
                               F.huber_loss(tp, tt, reduction="none", delta=0.7).mean(-1),
                               rtol=1e-12)
    np.testing.assert_allclose(loss_extras.LogCosh().forward(pred, target),
                               torch.log(torch.cosh(tp - tt)).mean(-1), rtol=1e-10)
    rate = np.abs(pred) + 0.1
    np.testing.assert_allclose(
        loss_extras.Poisson().forward(rate, np.abs(target)),
        F.poisson_nll_loss(torch.tensor(rate), torch.tensor(np.abs(target)), log_input=False,
                           eps=1e-7, reduction="none").mean(-1), rtol=1e-7)
    np.testing.assert_allclose(loss_extras.CosineSimilarity().forward(pred, target),
                               -F.cosine_similarity(tp, tt, dim=-1), rtol=1e-10)


def test_weighted_sum_broadcasts_column_weights():
    values = np.arange(6.0).reshape(3, 2)
    weights = np.array([[1.0], [0.0], [2.0]])
    op = loss_extras.WeightedSum(0.5)
    assert op.forward(values, weights) == pytest.approx(0.5 * (0 + 1 + 2 * (4 + 5)))
    op.needs_input_grad = (True, False)
    grad, none = op.backward(np.array(1.0))
    np.testing.assert_allclose(grad, 0.5 * np.broadcast_to(weights, (3, 2)))
    assert none is None
