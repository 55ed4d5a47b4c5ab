"""Random initializers with Keras 3's formulas.

Variance scaling draws with variance ``scale / n`` where n is fan_in, fan_out or their
average; Glorot, He and LeCun are its named cases.  Truncated normals redraw values
beyond two standard deviations.

Example:
    >>> w = GlorotUniform(seed=1)((784, 50))
    >>> float(abs(w).max()) <= (6 / (784 + 50)) ** 0.5
    True
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.initializers.initializer import SeededInitializer

# Standard deviation of a unit normal truncated to [-2, 2]; dividing by it restores the
# intended variance after truncation.
TRUNCATED_STD = 0.87962566103423978


def compute_fans(shape) -> tuple:
    """(fan_in, fan_out) as Keras computes them; conv kernels multiply by the window size."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


def truncated_normal(rng, shape, mean: float, stddev: float, dtype) -> np.ndarray:
    """Normal values, redrawn until all lie within two standard deviations of the mean."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2
    return (values * stddev + mean).astype(dtype)


class RandomNormal(SeededInitializer):
    """Normal with ``mean`` and ``stddev`` (0.05)."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        values = self._rng().normal(self.mean, self.stddev, shape)
        return values.astype(dtype or "float32")

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(SeededInitializer):
    """Uniform on [minval, maxval) (default [-0.05, 0.05))."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        values = self._rng().uniform(self.minval, self.maxval, shape)
        return values.astype(dtype or "float32")

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


class TruncatedNormal(SeededInitializer):
    """Normal with ``mean`` and ``stddev`` (0.05), cut at two standard deviations."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return truncated_normal(self._rng(), shape, self.mean, self.stddev, dtype or "float32")

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class VarianceScaling(SeededInitializer):
    """Variance ``scale / n`` with n = fan_in, fan_out or fan_avg; distribution
    'truncated_normal', 'untruncated_normal' or 'uniform'."""

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed=None):
        if scale <= 0:
            raise ValueError(f"VarianceScaling expects scale > 0; received scale={scale}.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("VarianceScaling expects mode 'fan_in', 'fan_out' or 'fan_avg'; "
                             f"received mode={mode!r}.")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError("VarianceScaling expects distribution 'truncated_normal', "
                             f"'untruncated_normal' or 'uniform'; received {distribution!r}.")
        super().__init__(seed)
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, dtype=None):
        dtype = dtype or "float32"
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        rng = self._rng()
        if self.distribution == "truncated_normal":
            return truncated_normal(rng, shape, 0.0, math.sqrt(variance) / TRUNCATED_STD, dtype)
        if self.distribution == "untruncated_normal":
            return rng.normal(0.0, math.sqrt(variance), shape).astype(dtype)
        limit = math.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, shape).astype(dtype)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                **super().get_config()}


def _named(scale: float, mode: str, distribution: str, doc: str):
    class Named(VarianceScaling):
        __doc__ = doc

        def __init__(self, seed=None):
            super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed)

        def get_config(self) -> dict:
            return {"seed": self.seed}

    return Named


GlorotUniform = _named(1.0, "fan_avg", "uniform",
                       "Uniform on +-sqrt(6 / (fan_in + fan_out)) (Keras's default kernel).")
GlorotNormal = _named(1.0, "fan_avg", "truncated_normal",
                      "Truncated normal, stddev sqrt(2 / (fan_in + fan_out)).")
HeUniform = _named(2.0, "fan_in", "uniform", "Uniform on +-sqrt(6 / fan_in).")
HeNormal = _named(2.0, "fan_in", "truncated_normal", "Truncated normal, stddev sqrt(2 / fan_in).")
LecunUniform = _named(1.0, "fan_in", "uniform", "Uniform on +-sqrt(3 / fan_in).")
LecunNormal = _named(1.0, "fan_in", "truncated_normal",
                     "Truncated normal, stddev sqrt(1 / fan_in).")
for _cls, _name in ((GlorotUniform, "GlorotUniform"), (GlorotNormal, "GlorotNormal"),
                    (HeUniform, "HeUniform"), (HeNormal, "HeNormal"),
                    (LecunUniform, "LecunUniform"), (LecunNormal, "LecunNormal")):
    _cls.__name__ = _cls.__qualname__ = _name


class Orthogonal(SeededInitializer):
    """A (semi-)orthogonal matrix times ``gain``, from the QR decomposition of a normal draw
    (Keras's default recurrent kernel)."""

    def __init__(self, gain: float = 1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError("Orthogonal initializer needs a shape of rank >= 2; "
                             f"received {tuple(shape)}.")
        rows = int(np.prod(shape[:-1]))
        cols = shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        a = self._rng().standard_normal(flat)
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(dtype or "float32")

    def get_config(self) -> dict:
        return {"gain": self.gain, **super().get_config()}
