"""The demo run shared by the demo tests: ``python -m glassnet demo`` with its default
settings, offline (an empty GLASSNET_HOME and the dataset URL on a closed local port)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def offline_env(home: Path) -> dict:
    env = dict(os.environ, GLASSNET_HOME=str(home), GLASSNET_DATASETS_URL=closed_port_url())
    # As a learner runs it: no backend chosen for matplotlib, no BLAS thread count set.
    for name in ("MPLBACKEND", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        env.pop(name, None)
    return env


@dataclass
class DemoRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    output: Path
    home: Path


def run_demo(tmp: Path, *args: str) -> DemoRun:
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    output = tmp / "report"
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "glassnet", "demo", "--output", str(output),
                             *args], env=offline_env(home), capture_output=True, text=True,
                            timeout=600, cwd=tmp)
    return DemoRun(result.returncode, result.stdout, result.stderr,
                   time.perf_counter() - started, output, home)


@pytest.fixture(scope="session")
def default_demo(tmp_path_factory) -> DemoRun:
    """One run with the default settings, shared by the end-to-end and browser tests."""
    run = run_demo(tmp_path_factory.mktemp("demo"))
    assert run.returncode == 0, f"demo failed:\n{run.stdout}\n{run.stderr}"
    return run
