"""MPIDataParallel: the same training script on several processes, each taking a share of
every global batch, with gradients averaged by one allreduce per step.

    strategy = glassnet.distribute.MPIDataParallel()
    with strategy.scope():
        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    model.fit(x, y, batch_size=128, epochs=5)     # 128 = the global batch

Run it with ``mpirun -n 4 python train.py``.  Rank 0 prints the progress bar and writes
checkpoints; every rank ends with the same weights.
"""

from __future__ import annotations

import contextlib
import sys

import numpy as np

from glassnet.core import random as glassnet_random
from glassnet.distribute.communicator import Communicator
from glassnet.distribute.sharding import ShardedData
from glassnet.training.data_adapter import ArrayData


class _Current:
    strategy = None  # the strategy whose scope() is active
    process = None  # the strategy this process created (its rank decides who prints)


def current_strategy():
    """The strategy whose ``scope()`` is active, or None."""
    return _Current.strategy


def process_strategy():
    """The data-parallel strategy this process created, or None."""
    return _Current.process


class MPIDataParallel:
    """Synchronous data parallelism over MPI (see the module docstring).

    Args:
        comm: an mpi4py communicator (default MPI.COMM_WORLD).
        timeout: seconds a collective may wait for the other ranks before all stop
            (default 60, or $GLASSNET_DISTRIBUTE_TIMEOUT).
        blas_threads: BLAS threads per rank (default 1: one rank per core); None leaves
            the BLAS setting alone.
    """

    def __init__(self, comm=None, timeout: float | None = None, blas_threads: int | None = 1):
        self.comm = Communicator(comm, timeout)
        self.rank = self.comm.rank
        self.num_replicas_in_sync = self.size = self.comm.size
        if blas_threads:
            from glassnet.utils import blas
            blas.set_num_threads(int(blas_threads))
        self._install_excepthook()
        _Current.process = self

    @property
    def is_chief(self) -> bool:
        return self.rank == 0

    @contextlib.contextmanager
    def scope(self):
        """Models compiled inside this block train data-parallel."""
        previous = _Current.strategy
        _Current.strategy = self
        try:
            yield self
        finally:
            _Current.strategy = previous

    def _install_excepthook(self) -> None:
        previous = sys.excepthook
        comm = self.comm

        def hook(kind, value, traceback):
            previous(kind, value, traceback)
            if comm.size > 1:
                comm.abort(f"rank {comm.rank} of {comm.size} stopped with "
                           f"{kind.__name__}: {value}. Stopping all ranks.")

        sys.excepthook = hook

    # --- hooks used by compile and fit ----------------------------------------------------
    def attach(self, model) -> None:
        """Called by ``compile``: route the optimizer's gradients through the allreduce."""
        model._distribution = self
        model.optimizer.gradient_reducer = self._reduce_gradients

    def on_fit_begin(self, model, verbose: int) -> int:
        """Start every rank from rank 0's weights, optimizer state and random state."""
        for variable in model.weights:
            self._broadcast_variable(variable, "the initial weights")
        optimizer = model.optimizer
        if getattr(optimizer, "built", False):
            for variable in optimizer.variables:
                self._broadcast_variable(variable, "the optimizer state")
        state = glassnet_random.get_state()
        glassnet_random.set_state(self.comm.broadcast_json(state, what="the random state"))
        return verbose if self.is_chief else 0

    def _broadcast_variable(self, variable, what: str) -> None:
        data = variable.data if hasattr(variable, "data") else np.asarray(variable)
        if isinstance(data, np.ndarray) and data.flags.c_contiguous and data.ndim:
            self.comm.broadcast_(data, what=what)
        else:
            original = np.asarray(variable.numpy())
            value = np.array(original, copy=True).reshape(-1)  # 0-d (a step count) too
            self.comm.broadcast_(value, what=what)
            variable.assign(value.reshape(original.shape))

    def shard(self, data):
        """This rank's share of each global batch."""
        if not isinstance(data, ArrayData):
            raise ValueError("Data-parallel fit/evaluate supports in-memory arrays; received "
                             f"{type(data).__name__}. Load the data into arrays first.")
        return ShardedData(data, self.rank, self.size)

    def agree(self, flag: bool) -> bool:
        """Rank 0's value of ``flag`` on every rank (so all ranks take the same branch)."""
        return bool(self.comm.broadcast_json(bool(flag), what="a training decision"))

    def any(self, flag: bool) -> bool:
        """True on every rank if ``flag`` is true on any rank."""
        buffer = np.array([1.0 if flag else 0.0])
        self.comm.allreduce_sum_(buffer, "a stop decision")
        return bool(buffer[0] > 0)

    def reduce_logs(self, model) -> dict:
        """The model's logs for all ranks' samples together (metric states summed)."""
        variables = [v for metric in model.metrics for v in metric.variables]
        local = [np.array(v.data, copy=True) for v in variables]
        if not local:
            return model.get_metrics_result()
        flat = np.concatenate([a.reshape(-1).astype(np.float64) for a in local])
        self.comm.allreduce_sum_(flat, "the metrics reduction")
        offset = 0
        try:
            for variable, array in zip(variables, local):
                size = array.size
                variable.data[...] = flat[offset:offset + size].reshape(array.shape)
                offset += size
            return model.get_metrics_result()
        finally:
            for variable, array in zip(variables, local):
                variable.data[...] = array

    def _reduce_gradients(self, state, indices) -> None:
        """Global-batch gradient = sum over ranks of (rows_r / rows) * local mean gradient."""
        shard = glassnet_random.BatchShard.current
        scale = (shard.stop - shard.start) / shard.rows if shard is not None and shard.rows \
            else 1.0 / self.size
        if indices is None and state.grad_flat is not None:
            buffers = [state.grad_flat]
        else:
            buffers = [state.grad_views[i] for i in (range(len(state.grad_views))
                                                      if indices is None else indices)]
        for buffer in buffers:
            buffer *= buffer.dtype.type(scale)
            self.comm.allreduce_sum_(buffer)
