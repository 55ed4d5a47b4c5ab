"""Turn what users pass to fit / evaluate / predict into batches of NumPy arrays.

Accepted: NumPy arrays of any numeric or bool dtype, lists, pandas DataFrames and Series,
glassnet Tensors, lists or dicts of those for several inputs, and generators or Sequence
objects yielding ``(x, y)`` / ``(x, y, sample_weight)`` batches.

Example:
    >>> data = ArrayData(x, y, batch_size=32)
    >>> for step, (xb, yb, wb) in enumerate(data.batches(shuffle=True)):
    ...     ...
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.core import random as glassnet_random
from glassnet.core.tensor import Tensor


def to_array(value, argument: str = "x", text: bool = False):
    """One array (or a list/dict of arrays) from user data; bool becomes float32.

    ``text=True`` (a model whose input is a string Input, read by TextVectorization) lets
    arrays of strings through."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {key: to_array(v, f"{argument}[{key!r}]", text) for key, v in value.items()}
    # A list of arrays is one array per model input; a list of numbers or of Python
    # lists is the data itself (e.g. the XOR table written out by hand).
    if isinstance(value, (list, tuple)) and value and all(_is_array_like(v) for v in value):
        return [to_array(v, f"{argument}[{i}]", text) for i, v in enumerate(value)]
    if isinstance(value, Tensor):
        array = value.data
    elif hasattr(value, "to_numpy"):  # pandas DataFrame / Series
        array = value.to_numpy()
    else:
        array = np.asarray(value)
    if text and (array.dtype.kind in "US" or (
            array.dtype == object and all(isinstance(v, str) for v in array.reshape(-1)))):
        return array.astype(str)
    if array.dtype == object:
        try:
            array = array.astype(np.float32)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"{argument} has dtype object and could not be converted to numbers ({error}). "
                f"Convert it first, e.g. {argument} = {argument}.astype('float32'), after "
                "encoding any text columns.") from None
    if array.dtype.kind == "b":
        array = array.astype(np.float32)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{argument} must hold numbers; received an array of dtype "
                         f"{array.dtype}.")
    return array


def _is_array_like(value) -> bool:
    return isinstance(value, (np.ndarray, Tensor)) or hasattr(value, "to_numpy")


def flat_arrays(structure) -> list:
    if structure is None:
        return []
    if isinstance(structure, dict):
        return list(structure.values())
    if isinstance(structure, (list, tuple)):
        return list(structure)
    return [structure]


def num_samples(structure) -> int:
    return len(flat_arrays(structure)[0])


def take(structure, index):
    """Rows ``index`` (a slice or an index array) of every array in ``structure``."""
    if structure is None:
        return None
    if isinstance(structure, dict):
        return {key: value[index] for key, value in structure.items()}
    if isinstance(structure, list):
        return [value[index] for value in structure]
    return structure[index]


def check_finite(structure, argument: str = "x") -> None:
    """Raise if a float array holds NaN or inf, naming the first bad row."""
    for array in flat_arrays(structure):
        if array.dtype.kind != "f" or array.size == 0:
            continue
        total = np.add.reduce(array.reshape(-1), dtype=np.float64)
        if np.isfinite(total):
            continue
        bad = ~np.isfinite(array.reshape(len(array), -1)).all(axis=1)
        if bad.any():
            row = int(np.argmax(bad))
            raise ValueError(
                f"{argument} contains NaN or inf values ({int(bad.sum())} of {len(array)} "
                f"samples, the first at index {row}). Remove or impute them before training, "
                f"e.g. with np.nan_to_num({argument}) or by dropping those rows.")


def check_lengths(x, y, sample_weight) -> int:
    """All arrays must have the same number of samples, and at least one."""
    sizes = {"x": [len(a) for a in flat_arrays(x)], "y": [len(a) for a in flat_arrays(y)],
             "sample_weight": [len(a) for a in flat_arrays(sample_weight)]}
    distinct = {n for group in sizes.values() for n in group}
    if len(distinct) > 1:
        detail = " ".join(f"'{k}' sizes: {', '.join(map(str, v))}" for k, v in sizes.items()
                          if v)
        raise ValueError("Data cardinality is ambiguous: x and y must contain the same number "
                         f"of samples. Received: {detail}")
    n = distinct.pop() if distinct else 0
    if n == 0:
        raise ValueError("Expected at least one sample; received empty arrays "
                         f"(x has shape {[a.shape for a in flat_arrays(x)]}).")
    return n


def expand_rank1(x, expected_ndim: int | None):
    """A 1-D x of scalars (one feature per sample) becomes a column, as old Keras did."""
    def fix(array):
        if array.ndim == 1 and expected_ndim in (None, 2):
            return array.reshape(-1, 1)
        return array

    if isinstance(x, dict):
        return {key: fix(value) for key, value in x.items()}
    if isinstance(x, list):
        return [fix(value) for value in x]
    return fix(x)


def class_weight_to_sample_weight(y, class_weight: dict) -> np.ndarray:
    """Per-sample weights from ``class_weight`` ({class index: weight}), as Keras."""
    y = np.asarray(flat_arrays(y)[0])
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = np.round(y.reshape(len(y), -1)[:, 0]).astype(np.int64)
    weights = np.ones(len(labels), dtype=np.float32)
    for cls, weight in class_weight.items():
        weights[labels == int(cls)] = weight
    return weights


def split_validation(x, y, sample_weight, validation_split: float):
    """Keep the first (1 - split) for training and the last part for validation."""
    if not 0 < validation_split < 1:
        raise ValueError("validation_split must be a float between 0 and 1; received "
                         f"validation_split={validation_split}.")
    n = num_samples(x)
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by validation_split={validation_split}.")
    head, tail = slice(0, split_at), slice(split_at, None)
    return ((take(x, head), take(y, head), take(sample_weight, head)),
            (take(x, tail), take(y, tail), take(sample_weight, tail)))


class ArrayData:
    """In-memory arrays cut into batches; shuffled per epoch by index when asked."""

    def __init__(self, x, y=None, sample_weight=None, batch_size: int | None = 32,
                 steps: int | None = None):
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.n = num_samples(x)
        self.batch_size = batch_size or 32
        if not isinstance(self.batch_size, (int, np.integer)) or self.batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer; received "
                             f"batch_size={batch_size!r}.")
        self.steps = math.ceil(self.n / self.batch_size)
        if steps is not None:
            self.steps = min(self.steps, int(steps))

    def batches(self, shuffle: bool = False):
        """Yield (x, y, sample_weight) batches; x[perm[i:j]] gathers a shuffled batch."""
        size = self.batch_size
        order = glassnet_random.generator().permutation(self.n) if shuffle else None
        for step in range(self.steps):
            start = step * size
            index = slice(start, min(start + size, self.n)) if order is None else \
                order[start:start + size]
            yield (take(self.x, index), take(self.y, index), take(self.sample_weight, index))


class GeneratorData:
    """Batches from a Python generator / iterable, or a Sequence (``__len__`` +
    ``__getitem__``), each batch ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``."""

    def __init__(self, source, steps: int | None = None):
        self.source = source
        self.is_sequence = hasattr(source, "__getitem__") and hasattr(source, "__len__") and \
            not isinstance(source, (list, tuple, np.ndarray))
        if steps is None and self.is_sequence:
            steps = len(source)
        self.steps = steps
        self._iterator = None

    def batches(self, shuffle: bool = False):
        if self.is_sequence:
            order = list(range(len(self.source)))
            if shuffle:
                order = list(glassnet_random.generator().permutation(len(order)))
            for step, i in enumerate(order):
                if self.steps is not None and step >= self.steps:
                    return
                yield unpack(self.source[int(i)])
            if hasattr(self.source, "on_epoch_end"):
                self.source.on_epoch_end()
            return
        if self._iterator is None or self.steps is None:
            self._iterator = iter(self.source)
        step = 0
        while self.steps is None or step < self.steps:
            try:
                batch = next(self._iterator)
            except StopIteration:
                if self.steps is not None and step == 0:
                    raise ValueError("The data generator is exhausted and yielded no batch; "
                                     "it must loop forever when steps_per_epoch is given.")
                self._iterator = None
                return
            yield unpack(batch)
            step += 1


def unpack(batch):
    """(x, y, sample_weight) from a batch given as x, (x,), (x, y) or (x, y, w)."""
    if isinstance(batch, tuple):
        if len(batch) == 1:
            return to_array(batch[0]), None, None
        if len(batch) == 2:
            return to_array(batch[0]), to_array(batch[1], "y"), None
        if len(batch) == 3:
            return (to_array(batch[0]), to_array(batch[1], "y"),
                    to_array(batch[2], "sample_weight"))
        raise ValueError("A data batch must be x, (x,), (x, y) or (x, y, sample_weight); "
                         f"received a tuple of {len(batch)} elements.")
    return to_array(batch), None, None


def is_generator_like(x) -> bool:
    if isinstance(x, (np.ndarray, list, tuple, dict, Tensor)) or hasattr(x, "to_numpy"):
        return False
    return hasattr(x, "__next__") or hasattr(x, "__iter__") or (
        hasattr(x, "__getitem__") and hasattr(x, "__len__"))
