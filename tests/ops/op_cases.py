"""Every registered op with each of its examples, as pytest parameters.

The registry is filled by importing ``glassnet``, every module of ``glassnet.ops`` and
``glassnet.layers`` (walking the packages, so an op file that nothing imports yet is still
found) and any other glassnet module whose source uses ``@register_op``.  An op whose
examples are missing, malformed or fail to build becomes a case that fails with the reason,
so no registered op can go unchecked.

Example:
    >>> @pytest.mark.parametrize("case", op_cases())
    ... def test_something(case):
    ...     inputs = case.float64_inputs()
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest


def op_modules() -> list:
    """Names of the modules that can register ops, each imported."""
    import glassnet
    import glassnet.layers
    import glassnet.ops

    names = []
    for package in (glassnet.ops, glassnet.layers):
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    root = Path(glassnet.__file__).parent
    for path in sorted(root.rglob("*.py")):
        if "@register_op" in path.read_text(encoding="utf-8"):
            parts = path.relative_to(root.parent).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    names = sorted(set(names))
    for name in names:
        importlib.import_module(name)
    return names


def load_registry() -> dict:
    """Import every module that can register ops and return ``OP_REGISTRY``."""
    from glassnet.core.op import OP_REGISTRY

    op_modules()
    return OP_REGISTRY


@dataclass
class OpCase:
    """One op class with one example (inputs, constructor kwargs), or the reason it has none."""

    label: str
    cls: type
    inputs: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    problem: str | None = None

    def require_example(self) -> None:
        if self.problem is not None:
            pytest.fail(f"op {self.label!r} ({self.cls.__name__}): {self.problem}")

    def float64_inputs(self) -> list:
        """Fresh copies of the inputs, floating arrays in float64, everything else as given."""
        result = []
        for x in self.inputs:
            if isinstance(x, np.ndarray):
                x = x.astype(np.float64) if x.dtype.kind == "f" else x.copy()
            result.append(x)
        return result

    def differentiable(self) -> list:
        """Which inputs get a gradient: floating arrays the op declares differentiable."""
        flags = [isinstance(x, np.ndarray) and x.dtype.kind == "f" for x in self.inputs]
        if self.cls.differentiable is not None:
            declared = list(self.cls.differentiable) + [False] * len(flags)
            flags = [f and d for f, d in zip(flags, declared)]
        return flags


#: Cases built so far, by label and class: every test module sees the same example arrays
#: (an examples function may draw from a generator that persists between its calls).
_CASES: dict = {}


def _cases_of(label: str, entry: dict) -> list:
    cls = entry["cls"]
    try:
        examples = list(entry["examples"]())
    except Exception as error:  # noqa: BLE001 - any failure is reported on the op's own case
        return [OpCase(label, cls, problem=f"its examples function raised {error!r}")]
    if not examples:
        return [OpCase(label, cls, problem="it is registered with no examples; every op needs "
                                           "at least one (inputs, kwargs) example")]
    cases = []
    for example in examples:
        try:
            inputs, kwargs = example
            cases.append(OpCase(label, cls, list(inputs), dict(kwargs or {})))
        except (TypeError, ValueError):
            cases.append(OpCase(label, cls, problem="an example is not an (inputs, kwargs) "
                                                    f"pair; received {example!r}"))
    return cases


def op_cases(known_bugs: dict | None = None) -> list:
    """``pytest.param`` per registered op and example, with ids like ``'softmax-1'``.

    ``known_bugs`` maps such an id to the reason of a reported, still open bug; that case is
    marked ``xfail(strict=True)``, so it fails loudly as soon as the bug is fixed.
    """
    known_bugs = dict(known_bugs or {})
    registry = load_registry()
    params = []
    for label in sorted(registry):
        key = (label, registry[label]["cls"])
        if key not in _CASES:
            _CASES[key] = _cases_of(label, registry[label])
        cases = _CASES[key]
        for i, case in enumerate(cases):
            suffix = "invalid" if case.problem is not None else str(i)
            case_id = f"{label}-{suffix}"
            marks = ()
            if case_id in known_bugs:
                marks = pytest.mark.xfail(strict=True, reason=known_bugs.pop(case_id))
            params.append(pytest.param(case, id=case_id, marks=marks))
    assert not known_bugs, f"known bugs listed for cases that do not exist: {sorted(known_bugs)}"
    return params
