"""Sequence preprocessing: ``pad_sequences`` and the batch generator ``TimeseriesGenerator``.

Example:
    >>> from glassnet.preprocessing import sequence
    >>> sequence.pad_sequences([[1, 2], [3]], maxlen=3)
    array([[0, 1, 2],
           [0, 0, 3]], dtype=int32)
"""

from __future__ import annotations

import json

import numpy as np

from glassnet.utils.sequence_utils import pad_sequences

__all__ = ["pad_sequences", "TimeseriesGenerator"]


class TimeseriesGenerator:
    """Batches of sliding windows over a time series, for ``model.fit(generator)``.

    Sample ``k`` of the series is the window ``data[row - length:row:sampling_rate]`` with
    target ``targets[row]``, for ``row`` from ``start_index + length`` to ``end_index`` (the
    last index by default) in steps of ``stride``. ``shuffle=True`` draws ``batch_size`` rows
    at random (NumPy's global random state, seeded by ``set_random_seed``) for every batch;
    ``reverse=True`` flips each window in time.

    Example:
        >>> series = np.arange(10)
        >>> generator = TimeseriesGenerator(series, series, length=3, batch_size=2)
        >>> len(generator)
        4
        >>> x, y = generator[0]
        >>> x.tolist(), y.tolist()
        ([[0, 1, 2], [1, 2, 3]], [3, 4])
    """

    def __init__(
        self,
        data,
        targets,
        length: int,
        sampling_rate: int = 1,
        stride: int = 1,
        start_index: int = 0,
        end_index: int | None = None,
        shuffle: bool = False,
        reverse: bool = False,
        batch_size: int = 128,
        workers: int = 1,
        use_multiprocessing: bool = False,
        max_queue_size: int = 10,
    ):
        if len(data) != len(targets):
            raise ValueError(
                "TimeseriesGenerator: `data` and `targets` must have the same length. "
                f"Received: len(data)={len(data)}, len(targets)={len(targets)}"
            )
        self.data = data
        self.targets = targets
        self.length = length
        self.sampling_rate = sampling_rate
        self.stride = stride
        # The first row that has `length` steps of history before it.
        self.start_index = start_index + length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle = shuffle
        self.reverse = reverse
        self.batch_size = batch_size
        # Accepted for Keras's PyDataset signature; batches are produced in this process.
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size
        if self.start_index > self.end_index:
            raise ValueError(
                "TimeseriesGenerator: start_index + length must not exceed end_index, or no "
                f"step is left to predict. Received: start_index + length={self.start_index}, "
                f"end_index={self.end_index}"
            )

    def __len__(self) -> int:
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def _rows(self, index: int) -> np.ndarray:
        if self.shuffle:
            return np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        first = self.start_index + self.batch_size * self.stride * index
        last = min(first + self.batch_size * self.stride, self.end_index + 1)
        return np.arange(first, last, self.stride)

    def __getitem__(self, index: int):
        if not 0 <= index < len(self):
            raise IndexError(
                f"TimeseriesGenerator has {len(self)} batches. Received: index={index}"
            )
        rows = self._rows(index)
        samples = np.array([self.data[row - self.length:row:self.sampling_rate]
                            for row in rows])
        targets = np.array([self.targets[row] for row in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def on_epoch_end(self) -> None:
        """Called by ``fit`` after each epoch; nothing to do (shuffling is per batch)."""

    def get_config(self) -> dict:
        """The settings, with ``data`` and ``targets`` as JSON strings.

        Example:
            >>> TimeseriesGenerator([1, 2, 3], [1, 2, 3], length=1).get_config()["data"]
            '[1, 2, 3]'
        """
        def as_json(values, name):
            if isinstance(values, np.ndarray):
                values = values.tolist()
            try:
                return json.dumps(values)
            except TypeError as error:
                raise TypeError(
                    f"TimeseriesGenerator: `{name}` cannot be written as JSON ({error})."
                ) from None

        return {
            "data": as_json(self.data, "data"),
            "targets": as_json(self.targets, "targets"),
            "length": self.length,
            "sampling_rate": self.sampling_rate,
            "stride": self.stride,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "shuffle": self.shuffle,
            "reverse": self.reverse,
            "batch_size": self.batch_size,
        }

    def to_json(self, **kwargs) -> str:
        """``{"class_name": "TimeseriesGenerator", "config": get_config()}`` as JSON.

        Example:
            >>> TimeseriesGenerator([1, 2], [1, 2], length=1).to_json()[:14]
            '{"class_name":'
        """
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)
