"""Utilities, as in ``keras.utils``: seeding, one-hot labels, padding, progress bars.

Example:
    >>> from glassnet.utils import to_categorical, set_random_seed
    >>> set_random_seed(42)
    >>> to_categorical([0, 2], num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
"""

from __future__ import annotations

import importlib

from glassnet.core.random import set_random_seed
from glassnet.utils.numerical_utils import normalize, to_categorical
from glassnet.utils.sequence_utils import pad_sequences
from glassnet.utils import np_utils  # noqa: E402 - the old keras.utils.np_utils path

_LAZY = {
    "Progbar": ("glassnet.utils.progbar", "Progbar"),
    "print_summary": ("glassnet.utils.summary", "print_summary"),
    "PyDataset": ("glassnet.utils.py_dataset", "PyDataset"),
    "Sequence": ("glassnet.utils.py_dataset", "Sequence"),
    "plot_model": ("glassnet.utils.model_visualization", "plot_model"),
    "model_to_dot": ("glassnet.utils.model_visualization", "model_to_dot"),
    "load_img": ("glassnet.utils.image_utils", "load_img"),
    "img_to_array": ("glassnet.utils.image_utils", "img_to_array"),
    "array_to_img": ("glassnet.utils.image_utils", "array_to_img"),
    "save_img": ("glassnet.utils.image_utils", "save_img"),
    "pack_x_y_sample_weight": ("glassnet.training.step_data", "pack_x_y_sample_weight"),
    "unpack_x_y_sample_weight": ("glassnet.training.step_data", "unpack_x_y_sample_weight"),
}


def __getattr__(name: str):
    if name in _LAZY:
        module_name, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module_name), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'glassnet.utils' has no attribute {name!r}")


__all__ = ["set_random_seed", "to_categorical", "normalize", "pad_sequences", "Progbar",
           "print_summary", "plot_model", "model_to_dot", "load_img", "img_to_array",
           "array_to_img", "save_img", "PyDataset", "Sequence", "pack_x_y_sample_weight", "unpack_x_y_sample_weight"]
