"""Every registered op's backward agrees with central differences of its forward, in float64.

The cases come from ``OP_REGISTRY`` after importing everything that registers ops, so a new
op is checked as soon as it is registered, and an op registered without examples fails here.
"""

from __future__ import annotations

import pytest

from glassnet.core.gradcheck import check_op
from tests.ops.op_cases import op_cases

TOLERANCE = 1e-6


@pytest.mark.parametrize("case", op_cases())
def test_backward_matches_central_differences(case):
    case.require_example()
    inputs = case.float64_inputs()
    report = check_op(case.cls, inputs, case.kwargs)
    checked = [e for e in report.errors if e is not None]
    assert checked, (f"op {case.label!r}: this example has no differentiable input, so it "
                     f"checks nothing; inputs={[type(x).__name__ for x in inputs]}")
    assert report.max_error < TOLERANCE, (
        f"op {case.label!r} with kwargs={case.kwargs}: backward differs from central "
        f"differences; error per input = {report.errors}")
