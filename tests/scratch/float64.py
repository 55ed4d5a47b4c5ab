"""Run a glassnet model entirely in float64 (for comparisons at 1e-10)."""

import numpy as np


def float64_throughout(model):
    """Make the model itself compute in float64, not only its Dense layers.

    A model is a layer whose compute dtype defaults to float32, so calling it casts float64
    inputs to float32 before its first layer sees them (Keras 3 does the same); that alone
    moves the outputs by about 1e-8.  ``glassnet.config.set_floatx('float64')`` would be the
    Keras way, but glassnet layers do not read floatx yet.
    """
    model.dtype = "float64"
    model.compute_dtype = np.dtype("float64")
    return model
