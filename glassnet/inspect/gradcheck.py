"""gradcheck: compare a whole model's back-propagation with numerical gradients in float64.

For every weight that trains, the analytic gradient of the compiled loss (plus penalties)
is compared with central differences ``(L(w + eps) - L(w - eps)) / (2 eps)``.  Both run in
float64: for the duration of the check every layer computes in float64 and every weight is
a float64 copy; afterwards the model's own arrays are put back untouched (so the check
changes nothing, not even BatchNorm's moving statistics).  Random layers draw the same
numbers on every forward pass, so dropout does not disturb the differences.

The error of a weight is ``max |backprop - numerical| / max |gradient|`` over the checked
entries, the gradient's largest magnitude taken over the whole weight: relative to the
gradient's scale, so that entries whose gradient is zero do not divide by zero.  The scale
is at least the differences' own rounding noise (100 ulp of the loss / eps), so a gradient
that is exactly zero (a bias before BatchNorm) is not reported as wrong.  Below about 1e-7
the gradients agree; a wrong backward pass typically gives 1e-2 or more.

Example:
    >>> result = glassnet.gradcheck(model, x[:8], y[:8])
    >>> print(result)
    >>> result.max_error < 1e-7
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glassnet.core.tape import run_backward
from glassnet.inspect.recorder import generators_of

FLOAT64 = np.dtype("float64")


@dataclass(frozen=True)
class WeightCheck:
    """The check of one weight: how many entries were compared and the errors found."""

    layer: str
    weight: str
    shape: tuple
    checked: int
    max_abs_error: float
    relative_error: float


class GradcheckResult:
    """Per-weight checks; ``worst`` maps each layer to its worst relative error."""

    def __init__(self, checks: list, loss: float):
        self.checks = checks
        self.loss = loss

    @property
    def worst(self) -> dict:
        result: dict = {}
        for c in self.checks:
            result[c.layer] = max(result.get(c.layer, 0.0), c.relative_error)
        return result

    @property
    def max_error(self) -> float:
        return max((c.relative_error for c in self.checks), default=0.0)

    def passed(self, tolerance: float = 1e-6) -> bool:
        """Whether every weight's relative error is below ``tolerance``."""
        return self.max_error < tolerance

    def __str__(self) -> str:
        header = ("layer", "weight", "shape", "checked", "max abs error", "relative error")
        rows = [(c.layer, c.weight, str(c.shape), str(c.checked), f"{c.max_abs_error:.3e}",
                 f"{c.relative_error:.3e}") for c in self.checks]
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        line = lambda r: "  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(r, widths)))
        worst = ", ".join(f"{k}: {v:.2e}" for k, v in self.worst.items())
        return "\n".join([f"Gradient check in float64 (loss {self.loss:.6g})", line(header),
                          "-" * (sum(widths) + 2 * (len(widths) - 1))]
                         + [line(r) for r in rows] + [f"worst per layer: {worst}"])

    __repr__ = __str__


class _Float64:
    """Context: the model's layers compute in float64 on float64 copies of its weights."""

    def __init__(self, model):
        self.layers = model._flatten_layers()
        self.weights = list(model.weights)

    def __enter__(self):
        self.saved_layers = [(l, l.dtype, l.compute_dtype) for l in self.layers]
        self.saved_data = [(v, v.data) for v in self.weights]
        for layer in self.layers:
            object.__setattr__(layer, "dtype", "float64")
            object.__setattr__(layer, "compute_dtype", FLOAT64)
        for v in self.weights:
            # Rebinding (not assigning) keeps the model's own arrays, which may be views into
            # an optimizer's buffer, untouched; they are bound back on exit.
            v.data = np.array(v.data, dtype=FLOAT64 if v.data.dtype.kind == "f" else v.data.dtype)
        return self

    def __exit__(self, *exc):
        for layer, dtype, compute_dtype in self.saved_layers:
            object.__setattr__(layer, "dtype", dtype)
            object.__setattr__(layer, "compute_dtype", compute_dtype)
        for v, data in self.saved_data:
            v.data = data
        return None


def _owners(model) -> dict:
    owners = {}
    for layer in model._flatten_layers():
        for v in layer._own_variables:
            owners.setdefault(id(v), layer.name)
    return owners


def _as_float64(value):
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(FLOAT64)
    if isinstance(value, (list, tuple)):
        return type(value)(_as_float64(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_float64(v) for k, v in value.items()}
    return value


def gradcheck(model, x, y=None, sample_weight=None, samples: int | None = 20,
              eps: float = 1e-6, seed: int = 0, training: bool = True) -> GradcheckResult:
    """Compare back-propagation with central differences for every weight of ``model``.

    Args:
        model: a compiled model (its loss is the function checked).
        x, y, sample_weight: a small batch.
        samples: entries checked per weight, chosen at random (None checks all of them;
            each entry costs two forward passes).
        eps: the finite-difference step (in float64).
        seed: chooses the sampled entries.
        training: run layers in training mode, as a training step does.

    Example:
        >>> print(gradcheck(model, x_train[:16], y_train[:16], samples=10))
    """
    model._assert_compiled("gradcheck")
    x, y, sample_weight = model._prepare(x, y, sample_weight)
    if not model._compile_loss_built:
        model._build_compiled((x, y, sample_weight))
    x, y, sample_weight = _as_float64(x), _as_float64(y), _as_float64(sample_weight)
    variables = model._variables_to_train()
    owners = _owners(model)
    rng = np.random.default_rng(seed)
    frozen = [v for v in variables if not v.requires_grad]
    checks = []
    with _SameRandomNumbers(model) as fixed, _Float64(model):
        for v in frozen:
            v.requires_grad = True
        try:
            def loss_value():
                fixed.reset()
                y_pred = model(x, training=training)
                return model.compute_loss(x, y, y_pred, sample_weight)

            loss = loss_value()
            if loss.data.dtype != FLOAT64:
                raise RuntimeError(
                    "gradcheck could not run this model in float64: its loss came out as "
                    f"{loss.data.dtype}. Received: loss dtype {loss.data.dtype}")
            found = run_backward([loss], [np.ones_like(loss.data)])
            # Central differences carry rounding noise of about ulp(loss) / eps; gradients
            # below a hundred times that are zero as far as the check can tell.
            noise = 100 * np.finfo(FLOAT64).eps * max(1.0, abs(float(loss.data))) / eps
            for v in variables:
                analytic = found.get(id(v))
                analytic = np.zeros_like(v.data) if analytic is None else np.asarray(analytic)
                flat = v.data.reshape(-1)
                if samples is None or flat.size <= samples:
                    picked = np.arange(flat.size)
                else:
                    picked = np.sort(rng.choice(flat.size, samples, replace=False))
                numeric = np.empty(len(picked))
                for k, i in enumerate(picked):
                    original = flat[i]
                    flat[i] = original + eps
                    plus = float(loss_value().data)
                    flat[i] = original - eps
                    minus = float(loss_value().data)
                    flat[i] = original
                    numeric[k] = (plus - minus) / (2 * eps)
                chosen = analytic.reshape(-1)[picked]
                error = float(np.max(np.abs(chosen - numeric), initial=0.0))
                scale = max(float(np.max(np.abs(analytic), initial=0.0)),
                            float(np.max(np.abs(numeric), initial=0.0)), noise)
                checks.append(WeightCheck(owners.get(id(v), "?"), v.name, tuple(v.shape),
                                          len(picked), error, error / scale))
        finally:
            for v in frozen:
                v.requires_grad = False
    return GradcheckResult(checks, float(loss.data))


class _SameRandomNumbers:
    """Context: ``reset()`` rewinds every random generator the model uses to where it was on
    entry, so each forward pass draws the same dropout masks; on exit they are rewound too."""

    def __init__(self, model):
        self.generators = generators_of(model)

    def __enter__(self):
        self.states = [g.bit_generator.state for g in self.generators]
        return self

    def reset(self) -> None:
        for g, state in zip(self.generators, self.states):
            g.bit_generator.state = state

    def __exit__(self, *exc):
        self.reset()
        return None
