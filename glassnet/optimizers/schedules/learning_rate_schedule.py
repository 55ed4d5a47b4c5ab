"""Learning-rate schedules: the learning rate as a function of the optimizer step.

Pass one as ``learning_rate`` and the optimizer evaluates it at ``optimizer.iterations``
before every update.  Each schedule computes in float32 as Keras does and accepts a step
number or an array of steps (handy for plotting), returning a float32 Tensor.

Example:
    >>> schedule = ExponentialDecay(initial_learning_rate=0.1, decay_steps=100,
    ...                             decay_rate=0.96)
    >>> schedule(100).numpy()
    array(0.096, dtype=float32)
    >>> opt = glassnet.optimizers.SGD(learning_rate=schedule)
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.core.tensor import Tensor

_F = np.float32


def _steps(step) -> np.ndarray:
    if isinstance(step, Tensor):
        step = step.data
    return np.asarray(step).astype(np.float32)


def _result(value) -> Tensor:
    return Tensor(np.asarray(value, dtype=np.float32))


def _check_steps(name: str, value) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class LearningRateSchedule:
    """Base class: subclasses define ``__call__(step)`` and ``get_config()``.

    Example:
        >>> class Halving(LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 0.1 * 0.5 ** (step // 1000)
        ...     def get_config(self):
        ...         return {}
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(step)`.")

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
            "to be serializable.")

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (floored if staircase).

    Example:
        >>> ExponentialDecay(0.1, 10, 0.5, staircase=True)(15).numpy()
        array(0.05, dtype=float32)
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        p = _steps(step) / _F(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return _result(_F(self.initial_learning_rate) * np.power(_F(self.decay_rate), p))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` up to ``boundaries[0]`` (inclusive), ``values[1]`` up to the next, ...

    Example:
        >>> schedule = PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
        >>> schedule(np.array([100, 101, 500])).numpy()
        array([1. , 0.5, 0.1], dtype=float32)
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = step.data if isinstance(step, Tensor) else np.asarray(step)
        # searchsorted(side="left") is the first boundary >= step: steps equal to a boundary
        # still get the earlier value, as in Keras.
        index = np.searchsorted(np.asarray(self.boundaries), step, side="left")
        return _result(np.asarray(self.values, dtype=np.float32)[index])

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)`` (floored if staircase).

    Example:
        >>> InverseTimeDecay(0.1, 1, 0.5)(2).numpy()
        array(0.05, dtype=float32)
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        p = _steps(step) / _F(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return _result(_F(self.initial_learning_rate) / (_F(1) + _F(self.decay_rate) * p))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From ``initial_learning_rate`` to ``end_learning_rate`` as ``(1 - step/decay_steps)**power``.

    With ``cycle=True`` the decay restarts with ``decay_steps`` stretched to the next
    multiple above the step.

    Example:
        >>> PolynomialDecay(1.0, 10, end_learning_rate=0.0)(5).numpy()
        array(0.5, dtype=float32)
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        step = _steps(step)
        decay_steps = _F(self.decay_steps)
        if self.cycle:
            multiplier = np.where(step == 0, _F(1), np.ceil(step / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = np.minimum(step, decay_steps)
        p = step / decay_steps
        start, end = _F(self.initial_learning_rate), _F(self.end_learning_rate)
        return _result((start - end) * np.power(_F(1) - p, _F(self.power)) + end)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Half a cosine from the rate down to ``alpha`` times it, after an optional linear warmup.

    Without warmup: ``lr * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decay_steps)) + alpha)``.
    With ``warmup_target``, the rate first rises linearly to it over ``warmup_steps``.

    Example:
        >>> CosineDecay(1.0, 100)(np.array([0, 50, 100])).numpy()
        array([1.        , 0.49999997, 0.        ], dtype=float32)
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_steps("decay_steps", decay_steps)

    def _decayed(self, step, decay_from):
        cosine = _F(0.5) * (_F(1) + np.cos(_F(math.pi) * (step / _F(self.decay_steps))))
        return decay_from * ((_F(1) - _F(self.alpha)) * cosine + _F(self.alpha))

    def __call__(self, step):
        step = _steps(step)
        start = _F(self.initial_learning_rate)
        if self.warmup_target is None:
            return _result(self._decayed(np.minimum(step, _F(self.decay_steps)), start))
        target, warmup = _F(self.warmup_target), _F(self.warmup_steps)
        step = np.minimum(step, _F(self.decay_steps) + warmup)
        with np.errstate(divide="ignore", invalid="ignore"):
            warming = (target - start) * (step / warmup) + start
        return _result(np.where(step < warmup, warming, self._decayed(step - warmup, target)))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): each period is ``t_mul`` times longer and
    starts ``m_mul`` times lower than the one before.

    Example:
        >>> schedule = CosineDecayRestarts(1.0, first_decay_steps=10)
        >>> schedule(np.array([0, 10, 30])).numpy()  # periods of 10, 20, 40, ... steps
        array([1., 1., 1.], dtype=float32)
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_steps("first_decay_steps", first_decay_steps)

    def __call__(self, step):
        fraction = _steps(step) / _F(self.first_decay_steps)
        t_mul, alpha = _F(self._t_mul), _F(self.alpha)
        if t_mul == _F(1):
            restart = np.floor(fraction)
            fraction = fraction - restart
        else:  # periods grow geometrically: find which one the step falls in
            restart = np.floor(np.log(_F(1) - fraction * (_F(1) - t_mul)) / np.log(t_mul))
            done = (_F(1) - np.power(t_mul, restart)) / (_F(1) - t_mul)
            fraction = (fraction - done) / np.power(t_mul, restart)
        scale = np.power(_F(self._m_mul), restart)
        cosine = _F(0.5) * scale * (_F(1) + np.cos(_F(math.pi) * fraction))
        return _result(_F(self.initial_learning_rate) * ((_F(1) - alpha) * cosine + alpha))

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


SCHEDULES = {cls.__name__: cls for cls in (
    ExponentialDecay, PiecewiseConstantDecay, InverseTimeDecay, PolynomialDecay, CosineDecay,
    CosineDecayRestarts)}


def serialize(schedule: LearningRateSchedule) -> dict:
    """A schedule as a config dict (Keras's layout), e.g. for ``Optimizer.get_config()``."""
    from glassnet.saving.registry import registered_name

    return {"module": "keras.optimizers.schedules", "class_name": type(schedule).__name__,
            "config": schedule.get_config(), "registered_name": registered_name(type(schedule))}


def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """Rebuild a schedule from :func:`serialize`'s dict (built-in or registered classes only)."""
    from glassnet.saving.registry import get_registered_object
    from glassnet.utils.naming import lookup

    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("A learning rate schedule config must be a dict with 'class_name' and "
                         f"'config'. Received: config={config!r}")
    name = config["class_name"]
    cls = (get_registered_object(config.get("registered_name") or name, custom_objects)
           or SCHEDULES.get(name) or lookup("learning rate schedule", name, SCHEDULES))
    return cls.from_config(dict(config.get("config", {})))
