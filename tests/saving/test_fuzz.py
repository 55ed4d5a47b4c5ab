"""Fuzzing: valid model files with bytes or JSON fields changed.  ``load_model`` must either
load a model or raise ModelFileError, never another exception, and never hang (every
example runs under an alarm).  600 examples in all."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import tempfile
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import glassnet
from glassnet.saving import ModelFileError, load_model
from tests.saving import files

pytestmark = [pytest.mark.filterwarnings("ignore"),
              pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM")]

SECONDS_PER_EXAMPLE = 20
FUZZ = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so that no ``except Exception`` hides it."""


@contextlib.contextmanager
def alarm(seconds: float):
    def ring(signum, frame):
        raise Hang(f"load_model ran for more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _seeded_model():
    model = glassnet.Sequential([glassnet.layers.Input((3,)),
                                 glassnet.layers.Dense(4, activation="tanh"),
                                 glassnet.layers.Dropout(0.5, seed=3),
                                 glassnet.layers.Dense(1)])
    model.compile(optimizer=glassnet.optimizers.SGD(0.1, momentum=0.9), loss="mse",
                  metrics=["mae"])
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    model.fit(x, x[:, :1], epochs=1, verbose=0)
    return model


def _file_bytes(make) -> bytes:
    glassnet.utils.set_random_seed(0)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "m.keras")
        make().save(path)
        with open(path, "rb") as f:
            return f.read()


SOURCES = {}


def _sources() -> dict:
    if not SOURCES:
        SOURCES["sequential"] = _file_bytes(files.small_model)
        SOURCES["functional"] = _file_bytes(files.functional_model)
        SOURCES["seeded"] = _file_bytes(_seeded_model)
        SOURCES["nested"] = _file_bytes(files.nested_model)
    return SOURCES


def _members(raw: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(content: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _check(raw: bytes, tmp_path) -> None:
    path = tmp_path / "fuzzed.keras"
    path.write_bytes(raw)
    with alarm(SECONDS_PER_EXAMPLE):
        try:
            model = load_model(path)
        except ModelFileError:
            return
    assert isinstance(model, glassnet.Model)


source_names = st.sampled_from(["sequential", "functional", "seeded", "nested"])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40) |
    st.sampled_from([0, 1, -1, 2**31, 2**31 - 1, 2**24, 10**6]) |
    st.floats(allow_nan=True, allow_infinity=True) |
    st.sampled_from(["", "Dense", "Functional", "Sequential", "InputLayer", "relu", "os",
                     "system", "__keras_tensor__", "__tuple__", "../x", "function", "mse",
                     "float64", "int8", "PCG64", "MT19937", "-5", "0", "99999999999"]) |
    st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) |
    st.dictionaries(st.sampled_from(["class_name", "config", "name", "module", "units",
                                     "registered_name", "keras_history", "value"]),
                    children, max_size=3),
    max_leaves=6)


def _paths(tree, prefix=()):
    """Every (path, value) in a JSON tree."""
    yield prefix, tree
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from _paths(value, prefix + (i,))


def _set(tree, path, value, delete=False):
    if not path:
        return value
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        if isinstance(parent, dict):
            parent.pop(path[-1])
        else:
            parent.pop(path[-1])
    else:
        parent[path[-1]] = value
    return tree


@FUZZ
@given(source=source_names, data=st.data())
def test_random_bytes_in_the_file(tmp_path_factory, source, data):
    raw = bytearray(_sources()[source])
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[:data.draw(st.integers(0, len(raw)))]
    _check(bytes(raw), tmp_path_factory.mktemp("bytes"))


@FUZZ
@given(source=source_names, data=st.data())
def test_random_bytes_in_a_member(tmp_path_factory, source, data):
    """Members damaged inside a zip that is itself valid (CRCs recomputed)."""
    content = _members(_sources()[source])
    name = data.draw(st.sampled_from(sorted(content)))
    member = bytearray(content[name])
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(member) - 1))
        member[position] = data.draw(st.integers(0, 255))
    content[name] = bytes(member)
    _check(_zip(content), tmp_path_factory.mktemp("member"))


@FUZZ
@given(source=source_names, data=st.data())
def test_json_fields_changed(tmp_path_factory, source, data):
    content = _members(_sources()[source])
    name = data.draw(st.sampled_from(["config.json", "config.json", "config.json",
                                      "training_state.json"]))
    tree = json.loads(content[name])
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_paths(tree))
        path, _ = data.draw(st.sampled_from(paths))
        if path and data.draw(st.integers(0, 4)) == 0:
            tree = _set(tree, path, None, delete=True)
        else:
            tree = _set(tree, path, data.draw(json_values))
    content[name] = json.dumps(tree).encode()
    _check(_zip(content), tmp_path_factory.mktemp("json"))


@FUZZ
@given(source=source_names, data=st.data())
def test_arrays_changed(tmp_path_factory, source, data):
    content = _members(_sources()[source])
    name = data.draw(st.sampled_from(["model.weights.npz", "optimizer.npz"]))
    arrays = files.arrays_of(content[name])
    key = data.draw(st.sampled_from(sorted(arrays)))
    change = data.draw(st.sampled_from(["shape", "dtype", "drop", "rename", "scalar"]))
    value = arrays[key]
    if change == "shape":
        arrays[key] = np.zeros(tuple(data.draw(st.lists(st.integers(0, 5), max_size=3))),
                               value.dtype)
    elif change == "dtype":
        arrays[key] = value.astype(data.draw(st.sampled_from(
            ["int8", "uint64", "float16", "float64", "bool", "complex64", "U3"])))
    elif change == "drop":
        arrays.pop(key)
    elif change == "rename":
        arrays[data.draw(st.sampled_from(["x", "layers/x/vars/0", "99", "__manifest__"]))] = \
            arrays.pop(key)
    else:
        arrays[key] = np.float32(data.draw(st.floats(allow_nan=True)))
    content[name] = files.npz_of(arrays)
    _check(_zip(content), tmp_path_factory.mktemp("arrays"))
