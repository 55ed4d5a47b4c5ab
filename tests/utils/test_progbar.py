"""Progbar writes the bytes keras.utils.Progbar writes, given the same updates and clock."""

from __future__ import annotations

import io
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glassnet.utils.progbar import Progbar


class FakeClock:
    """A clock both progress bars read; each test moves it by hand."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class Capture(io.StringIO):
    def __init__(self, encoding: str = "utf-8"):
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self):
        return self._encoding

    def write(self, text):
        text.encode(self._encoding)  # raise UnicodeEncodeError as a real stream would
        return super().write(text)


@pytest.fixture(scope="module")
def keras_progbar(keras):
    """Builds a keras Progbar; ``both`` points its module's ``time`` at the fake clock."""
    from keras.src.utils import progbar as module

    return module


def run(bar_factory, script, clock, encoding="utf-8", dynamic=None):
    """Replays ``script`` (start time, then (time, method, args, kwargs) steps) and
    returns what the bar wrote."""
    out = Capture(encoding)
    saved = sys.stdout
    sys.stdout = out
    try:
        clock.now = script["start"]
        bar = bar_factory(clock)
        if dynamic is not None:
            bar._dynamic_display = dynamic
        for when, method, args, kwargs in script["steps"]:
            clock.now = when
            getattr(bar, method)(*args, **kwargs)
    finally:
        sys.stdout = saved
    return out.getvalue()


def both(keras_progbar, script, *args, encoding="utf-8", dynamic=None, **kwargs):
    clock = FakeClock()
    ours = run(lambda c: Progbar(*args, clock=c, **kwargs), script, clock, encoding, dynamic)
    real_time = keras_progbar.time
    keras_progbar.time = types.SimpleNamespace(time=clock)
    try:
        theirs = run(lambda c: keras_progbar.Progbar(*args, **kwargs), script, clock,
                     encoding, dynamic)
    finally:
        keras_progbar.time = real_time
    return ours, theirs


def steps_script(target, step_seconds, values=lambda i: [], start=1000.0, first=0.5):
    steps, now = [], start + first
    for i in range(1, target + 1):
        steps.append((now, "update", (i, values(i)), {}))
        now += step_seconds
    return {"start": start, "steps": steps}


@pytest.mark.parametrize("step_seconds", [0.0002, 0.004, 0.06, 1.7, 95.0, 2000.0])
def test_verbose_1_times_and_eta(keras_progbar, step_seconds):
    script = steps_script(12, step_seconds, lambda i: [("loss", 1.0 / i), ("accuracy", i / 13)])
    ours, theirs = both(keras_progbar, script, 12)
    assert ours == theirs
    assert "━" in ours and ours.endswith("\n")


@pytest.mark.parametrize("start", [0.0, 1000.0])
def test_verbose_1_skips_updates_inside_the_interval(keras_progbar, start):
    # From a clock at 0 the first step also falls inside the interval (the last draw is
    # taken to be at time 0); the time per step must still be measured from that step.
    script = steps_script(300, 0.001, lambda i: [("loss", 0.5 + 0.001 * i)], start=start,
                          first=0.04 if start == 0.0 else 0.5)
    ours, theirs = both(keras_progbar, script, 300)
    assert ours == theirs
    # 300 steps at 1 ms with a 50 ms interval: a few redraws, not 300.
    assert 3 < ours.count("\r") < 20


@pytest.mark.parametrize("value", [0.00042, -0.5, -0.0001, 0.0, 1234.5678, 3])
def test_metric_formats(keras_progbar, value):
    script = steps_script(4, 0.1, lambda i: [("metric", value)])
    for verbose in (1, 2):
        ours, theirs = both(keras_progbar, script, 4, verbose=verbose)
        assert ours == theirs


def test_stateful_and_stateless_metrics(keras_progbar):
    script = steps_script(6, 0.2, lambda i: [("loss", 1.0 / i), ("acc", i / 7)])
    for kwargs in ({"stateful_metrics": ["acc"]}, {"stateless_metrics": ["loss"]},
                   {"stateless_metrics": set()}):
        ours, theirs = both(keras_progbar, script, 6, **kwargs)
        assert ours == theirs


def test_both_metric_kinds_is_an_error():
    with pytest.raises(ValueError, match="stateful_metrics"):
        Progbar(10, stateful_metrics=["a"], stateless_metrics=["b"])


def test_line_getting_shorter_is_padded(keras_progbar):
    # The ETA shrinks from h:mm:ss to seconds and a value loses its e-notation.
    script = {"start": 0.0, "steps": [
        (4000.0, "update", (1, [("x", 0.0001)]), {}),
        (4001.0, "update", (999, [("x", 0.5)]), {"finalize": False}),
        (4002.0, "update", (1000, [("x", 0.5)]), {}),
    ]}
    ours, theirs = both(keras_progbar, script, 1000, stateful_metrics=["x"])
    assert ours == theirs
    assert "0.5000" + " " * 14 + "\b" in ours  # padded over the longer first line


def test_unknown_target_and_add(keras_progbar):
    script = {"start": 5.0, "steps": [
        (5.2, "add", (1, [("loss", 0.9)]), {}),
        (5.4, "add", (3, [("loss", 0.7)]), {}),
        (5.5, "update", (4, [("loss", 0.6)]), {"finalize": True}),
    ]}
    for verbose in (1, 2):
        ours, theirs = both(keras_progbar, script, None, verbose=verbose)
        assert ours == theirs
    assert "/Unknown" in both(keras_progbar, script, None)[0]


def test_verbose_2_prints_one_line(keras_progbar):
    script = steps_script(313, 0.001, lambda i: [("accuracy", 0.97), ("loss", 0.1)])
    ours, theirs = both(keras_progbar, script, 313, verbose=2, stateless_metrics=set())
    assert ours == theirs
    assert ours.count("\n") == 1 and ours.startswith("313/313 - ")


def test_verbose_0_is_silent(keras_progbar):
    script = steps_script(5, 0.1, lambda i: [("loss", 0.3)])
    assert both(keras_progbar, script, 5, verbose=0) == ("", "")


def test_numpy_values_are_averaged_like_keras(keras_progbar):
    script = steps_script(7, 0.01, lambda i: [("loss", np.float32(1 / 3 + i)),
                                              ("v", np.array([0.25, 0.5]) * i)])
    ours, theirs = both(keras_progbar, script, 7, interval=0.0)
    assert ours == theirs


def test_newline_display_when_not_redrawing(keras_progbar):
    script = steps_script(5, 0.3, lambda i: [("loss", 0.3)])
    ours, theirs = both(keras_progbar, script, 5, dynamic=False)
    assert ours == theirs and "\r" not in ours


def test_ascii_stdout_falls_back_to_equals_signs(keras_progbar):
    script = steps_script(5, 0.3, lambda i: [("loss", 0.3)])
    ours, theirs = both(keras_progbar, script, 5, encoding="ascii")
    assert ours == theirs and "=" in ours and "━" not in ours


@settings(max_examples=40, deadline=None)
@given(target=st.one_of(st.none(), st.integers(1, 2000)),
       verbose=st.sampled_from([1, 2]),
       width=st.integers(1, 30),
       moves=st.lists(st.tuples(st.integers(0, 400), st.floats(0, 90),
                                st.floats(-2, 2, allow_nan=False),
                                st.sampled_from([None, True, False])),
                      min_size=1, max_size=12))
def test_random_sessions_match_keras(keras_progbar, target, verbose, width, moves):
    now, current, steps = 50.0, 0, []
    for advance, seconds, value, finalize in moves:
        current += advance
        now += seconds
        kwargs = {} if finalize is None else {"finalize": finalize}
        steps.append((now, "update", (current, [("loss", value), ("b", value * value)]),
                      kwargs))
    script = {"start": 50.0, "steps": steps}
    ours, theirs = both(keras_progbar, script, target, verbose=verbose, width=width,
                        stateful_metrics=["b"])
    assert ours == theirs


def test_values_function_is_read_only_when_shown(keras_progbar):
    """With no averaged metric, a function for ``values`` is called on redraws only, and
    the output is the one Keras prints for the plain lists."""
    calls = []

    def values_at(i):
        def read():
            calls.append(i)
            return [("accuracy", i / 400), ("loss", 1 / i)]
        return read

    plain = steps_script(300, 0.001, lambda i: [("accuracy", i / 400), ("loss", 1 / i)])
    lazy = {"start": plain["start"], "steps": [
        (when, method, (args[0], values_at(args[0])), kwargs)
        for when, method, args, kwargs in plain["steps"]]}
    clock = FakeClock()
    ours = run(lambda c: Progbar(300, clock=c, stateless_metrics=()), lazy, clock)
    theirs = both(keras_progbar, plain, 300, stateless_metrics=())[1]
    assert ours == theirs
    assert 3 < len(calls) == ours.count("\r") < 20
    averaged = run(lambda c: Progbar(300, clock=c), lazy, clock)
    assert averaged == both(keras_progbar, plain, 300)[1]
