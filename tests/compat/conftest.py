"""Fixtures for the import shim: a clean ``keras`` / ``tensorflow`` namespace per test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _shimmed(name: str) -> bool:
    return name.split(".", 1)[0] in ("keras", "tensorflow")


@pytest.fixture
def shim():
    """Install the shim with the real Keras (if another test imported it) set aside, and
    put everything back afterwards."""
    import glassnet.compat

    saved = {name: module for name, module in sys.modules.items() if _shimmed(name)}
    for name in saved:
        del sys.modules[name]
    glassnet.compat.install()
    assert glassnet.compat.is_installed()
    try:
        yield glassnet.compat
    finally:
        glassnet.compat.uninstall()
        for name in [n for n in sys.modules if _shimmed(n)]:
            del sys.modules[name]
        sys.modules.update(saved)


def run_python(code: str, *args, cwd=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    """Run ``python -c code`` (or ``python -m glassnet ...`` when code is None) from the repo."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg",
                       OPENBLAS_NUM_THREADS="1")
    environment.update(env or {})
    command = [sys.executable] + (["-c", code] if code is not None else []) + list(args)
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=environment,
                          timeout=timeout)
