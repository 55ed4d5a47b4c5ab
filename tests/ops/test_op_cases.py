"""The enumeration behind the op tests: nothing registered escapes, nothing unregistered hides."""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest

from glassnet.core.op import Op
from glassnet.ops.activations import Sigmoid
from tests.ops.op_cases import _cases_of, load_registry, op_cases, op_modules


def test_op_without_examples_fails():
    cases = _cases_of("sigmoid", {"cls": Sigmoid, "examples": lambda: []})
    assert len(cases) == 1 and "no examples" in cases[0].problem
    with pytest.raises(pytest.fail.Exception, match="no examples"):
        cases[0].require_example()


def test_broken_or_malformed_examples_fail():
    def broken():
        raise RuntimeError("boom")

    (raised,) = _cases_of("sigmoid", {"cls": Sigmoid, "examples": broken})
    assert "boom" in raised.problem
    (malformed,) = _cases_of("sigmoid", {"cls": Sigmoid, "examples": lambda: [np.zeros(3)]})
    assert "not an (inputs, kwargs) pair" in malformed.problem


#: Ops whose purpose breaks the registry's dtype contract, with the test that checks them.
CHECKED_ELSEWHERE = {"glassnet.ops.shape.Cast": "tests/layers/test_input_casting.py"}


def test_every_op_class_is_registered():
    registry = load_registry()
    registered = {entry["cls"] for entry in registry.values()}
    unregistered = []
    for module_name in op_modules():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            # A class that defines no forward of its own is an abstract base, not an op.
            if (inspect.isclass(value) and issubclass(value, Op) and value.forward is not Op.forward
                    and value.__module__ == module.__name__ and value not in registered):
                unregistered.append(f"{module.__name__}.{name}")
    unregistered = [name for name in unregistered if name not in CHECKED_ELSEWHERE]
    assert not unregistered, f"op classes without @register_op (never checked): {unregistered}"


def test_cases_cover_every_registered_op():
    labels = {param.values[0].label for param in op_cases()}
    assert labels == set(load_registry())


def test_unknown_known_bug_ids_are_rejected():
    with pytest.raises(AssertionError, match="no-such-op-0"):
        op_cases({"no-such-op-0": "reason"})
