"""Each rank's share of every global batch.

All ranks hold the same data and the same random state, so they draw the same
permutation; rank r then takes its contiguous part of each global batch (np.array_split).

Example:
    >>> for x, y, w in ShardedData(ArrayData(x, y, batch_size=128), rank=0, size=2).batches(True):
    ...     ...   # 64 rows of each global batch of 128
"""

from __future__ import annotations

import numpy as np

from glassnet.core import random as glassnet_random
from glassnet.training.data_adapter import take


class ShardedData:
    """Wraps in-memory ``ArrayData``: same steps, this rank's rows of each batch."""

    def __init__(self, data, rank: int, size: int):
        self.data, self.rank, self.size = data, rank, size
        self.steps = data.steps
        self.batch_size = data.batch_size

    def batches(self, shuffle: bool = False):
        data = self.data
        order = glassnet_random.generator().permutation(data.n) if shuffle else \
            np.arange(data.n)
        try:
            for step in range(self.steps):
                rows = order[step * data.batch_size:(step + 1) * data.batch_size]
                bounds = np.linspace(0, len(rows), self.size + 1).astype(int)
                start, stop = int(bounds[self.rank]), int(bounds[self.rank + 1])
                glassnet_random.BatchShard.current = glassnet_random.BatchShard(
                    len(rows), start, stop)
                index = rows[start:stop]
                if not shuffle:
                    index = slice(int(index[0]), int(index[-1]) + 1) if len(index) else \
                        slice(0, 0)
                yield (take(data.x, index), take(data.y, index),
                       take(data.sample_weight, index))
        finally:
            glassnet_random.BatchShard.current = None
