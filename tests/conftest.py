"""Shared fixtures: the reference libraries (PyTorch, Keras 3 on torch) and data paths.

Reference tests use the ``torch`` / ``keras`` fixtures.  They are skipped where the
library is not installed, except when GLASSNET_REQUIRE_REFERENCES=1 (set by CI), where a
missing reference is a failure instead.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATASETS = Path(os.environ.get("GLASSNET_SHARED_DATASETS",
                                      ROOT.parent / "shared" / "datasets"))


def _reference(name: str, module_level: bool = False):
    """Import a reference library; without it, skip (or fail where references are required).
    ``module_level=True`` for a test module that imports it at the top."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        if os.environ.get("GLASSNET_REQUIRE_REFERENCES") == "1":
            pytest.fail(f"reference library {name!r} is required here but missing: {error}")
        pytest.skip(f"reference library {name!r} is not installed",
                    allow_module_level=module_level)


@pytest.fixture(scope="session")
def torch():
    module = _reference("torch")
    module.set_num_threads(1)
    return module


@pytest.fixture(scope="session")
def keras():
    _reference("torch")
    module = _reference("keras")
    if module.backend.backend() != "torch":
        pytest.skip("Keras is configured for another backend than torch")
    return module


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    if not SHARED_DATASETS.exists():
        pytest.skip(f"shared datasets not found at {SHARED_DATASETS}")
    return SHARED_DATASETS


@pytest.fixture(scope="session")
def mnist_arrays(shared_datasets):
    """Full MNIST from the shared IDX files: (x_train, y_train), (x_test, y_test), uint8."""
    import gzip

    def read(name, offset):
        with gzip.open(shared_datasets / "mnist" / name, "rb") as f:
            return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)

    x_train = read("train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
    y_train = read("train-labels-idx1-ubyte.gz", 8)
    x_test = read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
    y_test = read("t10k-labels-idx1-ubyte.gz", 8)
    return (x_train, y_train), (x_test, y_test)


@pytest.fixture(autouse=True)
def _fresh_names():
    """Each test starts with automatic layer names from 'dense' again."""
    from glassnet.utils.naming import reset_names
    reset_names()
    yield
