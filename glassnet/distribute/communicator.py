"""The MPI calls data-parallel training needs, each with a time limit.

Every collective is started non-blocking and polled, so a rank whose peer died or hung
stops with a clear message after ``timeout`` seconds instead of waiting forever.

Example:
    >>> comm = Communicator()
    >>> comm.allreduce_sum_(gradients)   # in place, summed over all ranks
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np


def _mpi():
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise ImportError(
            "glassnet.distribute needs mpi4py and an MPI library: "
            "apt-get install openmpi-bin libopenmpi-dev && pip install glassnet[mpi]"
        ) from error
    return MPI


class DistributedError(RuntimeError):
    """A rank could not complete a collective step (a peer died, hung or raised)."""


#: Seconds a wait polls without sleeping before it starts to back off.
SPIN = 0.2


class Communicator:
    """A thin wrapper of an MPI communicator with bounded waits."""

    def __init__(self, comm=None, timeout: float | None = None):
        self.MPI = _mpi()
        self.comm = comm if comm is not None else self.MPI.COMM_WORLD
        self.rank = self.comm.Get_rank()
        self.size = self.comm.Get_size()
        self.timeout = float(timeout if timeout is not None else
                             os.environ.get("GLASSNET_DISTRIBUTE_TIMEOUT", 60))

    def _wait(self, request, what: str) -> None:
        # MPI moves a non-blocking collective forward only inside MPI calls, so the first
        # SPIN seconds poll without pause (a step's allreduce takes about a millisecond);
        # after that the polls back off to one per millisecond until the deadline.
        if request.Test():
            return
        start = time.monotonic()
        deadline = start + self.timeout
        while time.monotonic() - start < SPIN:
            if request.Test():
                return
        pause = 0.0
        while not request.Test():
            if time.monotonic() > deadline:
                self.abort(f"rank {self.rank} of {self.size}: no answer from the other ranks "
                           f"within {self.timeout:.0f} s during {what}; another rank has "
                           "probably died or hung. Stopping all ranks.")
            time.sleep(pause)
            pause = min(0.001, pause + 0.00005)

    def allreduce_sum_(self, buffer: np.ndarray, what: str = "the gradient allreduce") -> None:
        """Replace ``buffer`` (contiguous) by its sum over all ranks."""
        if self.size == 1:
            return
        request = self.comm.Iallreduce(self.MPI.IN_PLACE, buffer, op=self.MPI.SUM)
        self._wait(request, what)

    def broadcast_(self, buffer: np.ndarray, root: int = 0, what: str = "a broadcast") -> None:
        """Overwrite ``buffer`` on every rank with root's values."""
        if self.size == 1:
            return
        request = self.comm.Ibcast(buffer, root=root)
        self._wait(request, what)

    def broadcast_json(self, value, root: int = 0, what: str = "a broadcast"):
        """Root's JSON-serialisable ``value`` on every rank (no pickle involved)."""
        if self.size == 1:
            return value
        payload = json.dumps(value).encode() if self.rank == root else b""
        length = np.array([len(payload)], dtype=np.int64)
        self.broadcast_(length, root, what)
        data = np.frombuffer(payload, dtype=np.uint8).copy() if self.rank == root else \
            np.empty(int(length[0]), dtype=np.uint8)
        self.broadcast_(data, root, what)
        return json.loads(data.tobytes().decode())

    def barrier(self, what: str = "a barrier") -> None:
        if self.size == 1:
            return
        self._wait(self.comm.Ibarrier(), what)

    def abort(self, message: str, code: int = 1) -> None:
        """Print ``message`` and end every rank of the job."""
        print(f"glassnet.distribute: {message}", file=sys.stderr, flush=True)
        self.comm.Abort(code)
        raise DistributedError(message)  # pragma: no cover - Abort does not return
