"""Data-parallel training over MPI: equivalence with one process, failure, resume."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).with_name("train_script.py")


def _require_mpi():
    missing = [name for name in ("mpirun",) if shutil.which(name) is None]
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        missing.append("mpi4py")
    if missing:
        if os.environ.get("GLASSNET_REQUIRE_REFERENCES") == "1":
            pytest.fail(f"MPI is required here but missing: {missing}")
        pytest.skip(f"MPI not installed: {missing}")


def _env():
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1", PRTE_MCA_rmaps_default_mapping_policy=":oversubscribe",
               OPENBLAS_NUM_THREADS="1", PYTHONUNBUFFERED="1",
               # No hardware topology in shared memory at a fixed address (Open MPI 4.1's
               # daemons crashed on it now and then; see network_namespaces.py).
               OMPI_MCA_rtc_hwloc_vmhole="none")
    return env


def _mpirun(ranks: int, *args, timeout=240):
    command = ["mpirun", "-n", str(ranks), "--oversubscribe", sys.executable, str(SCRIPT),
               *map(str, args)]
    return subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=timeout)


def _single(*args, timeout=240):
    command = [sys.executable, str(SCRIPT), "--single", *map(str, args)]
    return subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=timeout)


def _weights(folder: Path, rank: int = 0):
    with np.load(folder / f"weights_rank{rank}.npz") as data:
        return [data[f"arr_{i}"] for i in range(len(data.files))]


def test_two_ranks_equal_one_process_on_the_global_batch(tmp_path):
    _require_mpi()
    parallel = _mpirun(2, "--out", tmp_path / "mpi")
    assert parallel.returncode == 0, parallel.stdout + parallel.stderr
    single = _single("--out", tmp_path / "one")
    assert single.returncode == 0, single.stdout + single.stderr
    rank0, rank1, one = (_weights(tmp_path / "mpi", 0), _weights(tmp_path / "mpi", 1),
                         _weights(tmp_path / "one"))
    for a, b in zip(rank0, rank1):
        np.testing.assert_array_equal(a, b)  # every rank applies the same update
    for a, b in zip(rank0, one):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=2e-6)
    h_mpi = json.loads((tmp_path / "mpi" / "history_rank0.json").read_text())
    h_one = json.loads((tmp_path / "one" / "history_rank0.json").read_text())
    assert h_mpi["loss"] == pytest.approx(h_one["loss"], rel=1e-4)
    assert h_mpi["accuracy"] == pytest.approx(h_one["accuracy"], abs=1e-6)
    # Only rank 0 prints the progress line.
    assert parallel.stdout.count("20/20") == 1


def test_a_second_fit_starts_from_the_same_optimizer_state(tmp_path):
    _require_mpi()
    parallel = _mpirun(2, "--out", tmp_path / "mpi", "--warm-up")
    assert parallel.returncode == 0, parallel.stdout + parallel.stderr
    single = _single("--out", tmp_path / "one", "--warm-up")
    assert single.returncode == 0, single.stdout + single.stderr
    for a, b, c in zip(_weights(tmp_path / "mpi", 0), _weights(tmp_path / "mpi", 1),
                       _weights(tmp_path / "one")):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(a, c, rtol=1e-4, atol=2e-6)


def test_a_killed_rank_stops_the_other_with_a_message(tmp_path):
    _require_mpi()
    start = time.monotonic()
    run = _mpirun(2, "--out", tmp_path, "--kill-rank", 1, "--kill-step", 3, timeout=120)
    elapsed = time.monotonic() - start
    assert run.returncode != 0
    assert elapsed < 60
    text = run.stdout + run.stderr
    assert "rank 1" in text.lower() or "rank: 1" in text.lower(), text


def test_resume_two_rank_checkpoint_on_one_rank(tmp_path):
    _require_mpi()
    checkpoint = tmp_path / "epoch1.keras"
    first = _mpirun(2, "--out", tmp_path / "a", "--epochs", 1, "--checkpoint", checkpoint)
    assert first.returncode == 0, first.stdout + first.stderr
    resumed = _single("--out", tmp_path / "b", "--epochs", 2, "--resume", checkpoint,
                      "--initial-epoch", 1)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    straight = _mpirun(2, "--out", tmp_path / "c", "--epochs", 2)
    assert straight.returncode == 0, straight.stdout + straight.stderr
    h_straight = json.loads((tmp_path / "c" / "history_rank0.json").read_text())
    h_resumed = json.loads((tmp_path / "b" / "history_rank0.json").read_text())
    assert h_resumed["loss"][0] == pytest.approx(h_straight["loss"][1], rel=1e-4)
    for a, b in zip(_weights(tmp_path / "c"), _weights(tmp_path / "b")):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=2e-6)


def test_two_hosts_over_tcp(tmp_path):
    """The multi-host path: two network namespaces act as two machines, mpirun launches one
    rank in each and the allreduce crosses TCP between them."""
    _require_mpi()
    from tests.distribute import network_namespaces
    reason = network_namespaces.available()
    if reason is not None:
        pytest.skip(f"cannot make two hosts on this machine: {reason}")
    with network_namespaces.TwoHosts(tmp_path) as hosts:
        command = ["mpirun", *hosts.mpirun_args(), "-n", "2", "-x", "OPENBLAS_NUM_THREADS=1",
                   sys.executable, str(SCRIPT), "--out", str(tmp_path / "hosts")]
        run = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout + run.stderr
    single = _single("--out", tmp_path / "one")
    assert single.returncode == 0, single.stdout + single.stderr
    for a, b, c in zip(_weights(tmp_path / "hosts", 0), _weights(tmp_path / "hosts", 1),
                       _weights(tmp_path / "one")):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(a, c, rtol=1e-4, atol=2e-6)
