"""What one step sees and returns: Keras's packing of ``(x, y, sample_weight)`` for custom
``train_step`` / ``test_step`` / ``predict_step``, and the conversions of logs and outputs.

Example:
    >>> pack_x_y_sample_weight(x)            # x alone when there is no y
    >>> pack_x_y_sample_weight(x, y)         # (x, y)
    >>> x, y, sample_weight = unpack_x_y_sample_weight(data)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.tensor import Tensor


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """``x`` alone (a tuple ``x`` becomes ``(x,)``), ``(x, y)`` or ``(x, y, sample_weight)``."""
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from what ``pack_x_y_sample_weight`` made (missing → None)."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError("Data of a step must be x, (x,), (x, y) or (x, y, sample_weight); "
                     f"received a tuple of length {len(data)}.")


def pythonify_logs(logs) -> dict:
    """Logs with Tensors and NumPy scalars turned into Python floats (nested dicts flattened)."""
    result = {}
    for key, value in (logs or {}).items():
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        if isinstance(value, Tensor):
            value = value.data
        if isinstance(value, (np.ndarray, np.generic)) and np.size(value) == 1:
            value = float(value)
        result[key] = value
    return result


def arrays(structure):
    """NumPy arrays from (nested) Tensors."""
    if isinstance(structure, Tensor):
        return structure.data
    if isinstance(structure, dict):
        return {k: arrays(v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [arrays(v) for v in structure]
    return structure


def concatenate_batches(outputs: list):
    """One array (or list / dict of arrays) from the per-batch predictions."""
    if not outputs:
        return np.zeros((0,), dtype=np.float32)
    first = outputs[0]
    if isinstance(first, dict):
        return {k: np.concatenate([o[k] for o in outputs]) for k in first}
    if isinstance(first, (list, tuple)):
        return [np.concatenate([o[i] for o in outputs]) for i in range(len(first))]
    return np.concatenate(outputs)
