"""Data-parallel training over MPI (``mpirun -n 4 python train.py``).

Example:
    >>> strategy = glassnet.distribute.MPIDataParallel()
    >>> with strategy.scope():
    ...     model = make_model()
    ...     model.compile(optimizer="adam", loss="mse")
    >>> model.fit(x, y, batch_size=128)
"""

from glassnet.distribute.communicator import Communicator, DistributedError
from glassnet.distribute.strategy import MPIDataParallel, current_strategy, process_strategy


def is_chief() -> bool:
    """True unless this process is a non-zero rank of a data-parallel job: only the chief
    prints progress and writes checkpoints."""
    strategy = process_strategy()
    return strategy is None or strategy.is_chief


__all__ = ["Communicator", "DistributedError", "MPIDataParallel", "current_strategy",
           "is_chief", "process_strategy"]
