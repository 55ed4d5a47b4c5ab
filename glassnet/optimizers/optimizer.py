"""The Optimizer base class: Keras 3's optimizer API over flat NumPy buffers.

An optimizer is built on a list of variables (``build``), then each ``apply(grads,
variables)`` runs one step: gradients are copied into the optimizer's gradient buffer,
unscaled, accumulated, clipped, weight decay shrinks the variables, the update rule runs,
the moving average (EMA) is updated, constraints are applied and ``iterations`` grows by one.

Subclasses describe their state and write their update rule once, as in-place array math:

- ``slot_groups()``: the per-variable slots, e.g. ``[("momentum", "velocity")]``;
- ``scratch_count``: how many scratch arrays the rule needs (preallocated, never reallocated);
- ``update_coefficients(learning_rate, step)``: the step's scalars (bias corrections, ...);
- ``update_rule(param, grad, slots, scratch, coefficients)``: the update itself.

The rule runs once on the flat buffers (all variables adopted into one buffer, see
:mod:`glassnet.optimizers.state`) or once per variable on the views; ``grad`` belongs to
the optimizer and may be overwritten.

Example:
    >>> opt = SGD(learning_rate=0.1)
    >>> w = Variable(np.ones(3))
    >>> opt.apply([np.ones(3)], [w])
    >>> w.numpy(), int(opt.iterations)
    (array([0.9, 0.9, 0.9], dtype=float32), 1)
"""

from __future__ import annotations

import numbers
import re
import warnings

import numpy as np

from glassnet.core.tape import no_grad
from glassnet.core.variable import Variable
from glassnet.optimizers import processing
from glassnet.optimizers.schedules import LearningRateSchedule
from glassnet.optimizers.schedules import deserialize as deserialize_schedule
from glassnet.optimizers.schedules import serialize as serialize_schedule
from glassnet.optimizers.state import OptimizerState, state_variable
from glassnet.optimizers.values import (StepCount, current_rate, is_rate_function,
                                       learning_rate_value, make_rate, read_rate)
from glassnet.utils.naming import to_snake_case, unique_name

#: Every Optimizer subclass by class name, so configs and model files can name them.
OPTIMIZER_CLASSES: dict = {}

class Optimizer:
    """Base class of all optimizers (see the module docstring for the subclass contract)."""

    scratch_count = 0

    _keras_style = False  # True for subclasses that define Keras's update_step instead

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        OPTIMIZER_CLASSES.setdefault(cls.__name__, cls)
        cls._keras_style = cls.update_step is not Optimizer.update_step

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema: bool = False, ema_momentum: float = 0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name: str | None = None, **kwargs):
        if "lr" in kwargs:  # the Keras 2 spelling, still common in books
            warnings.warn("The `lr` argument is deprecated; use `learning_rate` instead.",
                          stacklevel=3)
            learning_rate = kwargs.pop("lr")
        decay = kwargs.pop("decay", None)
        for legacy in ("is_legacy_optimizer", "jit_compile"):  # found in saved configs
            kwargs.pop(legacy, None)
        if kwargs:
            unknown = ", ".join(repr(k) for k in kwargs)
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): "
                            f"{unknown}.")
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. "
                             f"Received: gradient_accumulation_steps="
                             f"{gradient_accumulation_steps}")
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError("`ema_momentum` must be in the range [0, 1]. "
                                 f"Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. "
                                 f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be "
                             f"set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.decay = float(decay) if decay else 0.0
        self.built = False
        self._state: OptimizerState | None = None
        self._extra_variables: list = []
        self._iteration = Variable(np.zeros((), np.int32), trainable=False, name="iteration",
                                   path=f"{self.name}/iteration")
        self._learning_rate = make_rate(learning_rate, self.name)
        self._exclude_ids: set = set()
        self._exclude_pattern = None
        self._decay_mask = None
        self._warned_missing: set = set()

    # --- the contract for subclasses -----------------------------------------------------
    def slot_groups(self) -> list:
        """Per-variable slots, as groups interleaved per variable (Keras's variable order)."""
        return []

    def slot_initial_value(self, slot_name: str) -> float:
        return 0.0

    def update_coefficients(self, learning_rate: float, step: int) -> tuple:
        """The scalars of this step (Python floats); called once per update step."""
        return (learning_rate,)

    def update_rule(self, param, grad, slots: dict, scratch: list, coefficients) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define update_rule().")

    def update_step(self, gradient, variable, learning_rate) -> None:
        """Keras-style per-variable update for custom optimizers (used only if overridden)."""
        raise NotImplementedError

    # --- step count and learning rate ----------------------------------------------------
    @property
    def iterations(self) -> StepCount:
        """How many steps were applied (divided by gradient_accumulation_steps if set)."""
        count = int(self._iteration.data)
        if self.gradient_accumulation_steps:
            return StepCount(count // self.gradient_accumulation_steps)
        return StepCount(count, self._iteration)

    @property
    def learning_rate(self):
        """The learning rate now: a Variable (float rates) or the schedule's current value.

        With Keras 2's ``decay`` this is the undecayed base rate, as Keras 2 reported it.
        """
        return read_rate(self._learning_rate, int(self._iteration.data))

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        current = self._learning_rate
        if is_rate_function(value):
            self._learning_rate = value
        elif isinstance(current, LearningRateSchedule):
            raise TypeError(
                f"Optimizer '{self.name}' was created with a LearningRateSchedule, so its "
                "learning rate cannot be set. Create the optimizer with a float "
                f"learning_rate to be able to change it. Received: learning_rate={value!r}")
        elif isinstance(current, Variable):
            current.assign(learning_rate_value(value))
        else:
            self._learning_rate = make_rate(value, self.name)

    lr = learning_rate  # the Keras 2 name, read and written by older callbacks and books

    def _current_learning_rate(self, count: int) -> float:
        return current_rate(self._learning_rate, count, self.decay)

    # --- building ------------------------------------------------------------------------
    def build(self, variables) -> None:
        """Create the slots for ``variables`` and adopt them into one flat buffer if possible."""
        if self.built:
            return
        groups = []
        if self.use_ema:
            groups.append(("average",))
        if self.gradient_accumulation_steps:
            groups.append(("gradient_accumulator",))
        groups += list(self.slot_groups())
        names = {name for group in groups for name in group}
        initial = {name: self.slot_initial_value(name) for name in names}
        self._state = OptimizerState(self, variables, groups, initial, self.scratch_count)
        self._decay_mask = None
        self.built = True

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None,
                     **kwargs) -> Variable:
        """A new optimizer variable (listed in ``variables``, saved with the optimizer)."""
        from glassnet import initializers

        dtype = np.dtype(dtype or np.float32)
        if isinstance(initializer, numbers.Number):
            value = np.full(shape, initializer, dtype)
        else:
            value = np.asarray(initializers.get(initializer)(tuple(shape), dtype=dtype))
        name = name or "variable"
        variable = state_variable(value.astype(dtype, copy=False), name, f"{self.name}/{name}")
        self._extra_variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None,
                                    initializer="zeros") -> Variable:
        """A zero (or ``initializer``) variable shaped like ``reference_variable``."""
        path = getattr(reference_variable, "path", None) or reference_variable.name
        return self.add_variable(reference_variable.shape, initializer,
                                 reference_variable.dtype,
                                 f"{path.replace('/', '_')}_{name or 'var'}")

    def _get_variable_index(self, variable) -> int:
        return self._state.index[id(variable)]

    @property
    def variables(self) -> list:
        """The optimizer's state: the step count, the learning rate, then every slot."""
        found = [self._iteration]
        if isinstance(self._learning_rate, Variable):
            found.append(self._learning_rate)
        if self._state is not None:
            found += self._state.slot_variables
        return found + self._extra_variables

    # --- applying gradients --------------------------------------------------------------
    def apply_gradients(self, grads_and_vars) -> StepCount:
        """``apply`` for a list of (gradient, variable) pairs; returns ``iterations``."""
        pairs = list(grads_and_vars)
        if pairs:
            grads, variables = zip(*pairs)
            self.apply(list(grads), list(variables))
        return self.iterations

    #: Set by a distribution strategy: ``reducer(state, indices)`` combines the gradients
    #: (``state.grad_flat`` or ``state.grad_views``) across processes before each update.
    gradient_reducer = None

    def apply(self, grads, trainable_variables=None) -> None:
        """One update of ``trainable_variables`` (default: the built ones) by ``grads``."""
        grads = grads if isinstance(grads, list) else list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"Optimizer '{self.name}' is not built: pass the variables with the "
                    "gradients, or call `optimizer.build(trainable_variables)` first.")
            indices = None
            expected = len(self._state.variables)
        else:
            if not isinstance(trainable_variables, (list, tuple)):
                trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
            indices = self._state.match(trainable_variables)
            expected = len(trainable_variables)
        if len(grads) != expected:
            raise ValueError(f"Optimizer '{self.name}' received {len(grads)} gradients for "
                             f"{expected} variables; pass one gradient per variable.")
        indices = self._take_gradients(grads, indices)
        if self.gradient_reducer is not None:
            # Data-parallel training: average the gradients across processes in place.
            self.gradient_reducer(self._state, indices)
        self._step(indices)

    def _take_gradients(self, grads, indices):
        """Copy the gradients into the optimizer's buffer; warn (once) about missing ones."""
        indices, missing = self._state.take_gradients(grads, indices)
        if missing:
            paths = tuple(self._state.variables[i].path for i in missing)
            if paths not in self._warned_missing:
                self._warned_missing.add(paths)
                warnings.warn(f"Gradients do not exist for variables {list(paths)} when "
                              "minimizing the loss; they are left unchanged.", stacklevel=4)
        return indices

    def _step(self, indices) -> None:
        state = self._state
        counter = self._iteration.data
        count = int(counter)
        steps = self.gradient_accumulation_steps
        if self.loss_scale_factor is not None or steps:
            grads = processing.gradient_arrays(state, indices)
            if self.loss_scale_factor is not None:
                for grad in grads:
                    grad /= np.float32(self.loss_scale_factor)
        if steps:
            accumulators = processing.slot_arrays(state, "gradient_accumulator", indices)
            if (count + 1) % steps == 0:
                for grad, accumulated in zip(grads, accumulators):
                    grad += accumulated
                    grad /= np.float32(steps)
                self._update(indices, count)
                for accumulated in processing.slot_arrays(state, "gradient_accumulator", None):
                    accumulated.fill(0)
            else:
                for grad, accumulated in zip(grads, accumulators):
                    accumulated += grad
        else:
            self._update(indices, count)
        if self.use_ema:
            processing.update_moving_average(self, count // steps if steps else count)
        variables = state.variables
        for i in range(len(variables)) if indices is None else indices:
            constraint = variables[i].constraint
            if constraint is not None:
                with no_grad():
                    variables[i].assign(constraint(variables[i]))
        counter[()] = count + 1

    def _update(self, indices, count: int) -> None:
        state = self._state
        if self.clipnorm or self.global_clipnorm or self.clipvalue:
            processing.clip_gradients(self, state, indices)
        learning_rate = self._current_learning_rate(count)
        if self.weight_decay is not None:
            processing.decay_weights(self, state, indices, learning_rate)
        steps = self.gradient_accumulation_steps
        coefficients = self.update_coefficients(learning_rate,
                                                (count // steps if steps else count) + 1)
        variables = state.variables
        if self._keras_style:
            for i in range(len(variables)) if indices is None else indices:
                with no_grad():
                    self.update_step(state.grad_views[i], variables[i], learning_rate)
        elif indices is None and state.flat:
            state.ensure_adopted()
            self.update_rule(state.param_flat, state.grad_flat, state.slot_flat,
                             state.scratch_flat, coefficients)
        else:
            grads, slots, scratch = state.grad_views, state.slots_of, state.scratch_of
            for i in range(len(variables)) if indices is None else indices:
                self.update_rule(variables[i].data, grads[i], slots[i], scratch[i],
                                 coefficients)

    def finalize_variable_values(self, var_list) -> None:
        """With ``use_ema``, overwrite the variables with their moving averages."""
        if not self.use_ema or self._state is None:
            return
        averages = self._state.slot_views["average"]
        if len(var_list) != len(averages):
            raise ValueError(f"Optimizer '{self.name}' keeps averages for {len(averages)} "
                             f"variables; received {len(var_list)} variables.")
        for variable, average in zip(var_list, averages):
            variable.assign(average)

    def scale_loss(self, loss):
        """``loss * loss_scale_factor`` when a loss scale is set, else ``loss``."""
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Skip weight decay for these variables, or for names containing any of ``var_names``.

        Example:
            >>> opt = AdamW()
            >>> opt.exclude_from_weight_decay(var_names=["bias"])
        """
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None
        self._decay_mask = None

    def _use_weight_decay(self, variable) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        pattern = self._exclude_pattern
        return pattern is None or pattern.search(variable.name) is None

    # --- saving --------------------------------------------------------------------------
    def save_own_variables(self, store: dict) -> None:
        """Write the state into ``store`` as '0', '1', ... -> arrays (Keras's layout)."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store: dict) -> None:
        """Restore the state written by ``save_own_variables`` (the optimizer must be built)."""
        variables = self.variables
        if len(store.keys()) != len(variables):
            hint = (" It has not been built yet: call `optimizer.build(variables)` first."
                    if not self.built else "")
            warnings.warn(f"Skipping variable loading for optimizer '{self.name}': it has "
                          f"{len(variables)} variables, the saved state has {len(store.keys())}."
                          + hint, stacklevel=2)
            return
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def set_weights(self, weights) -> None:
        """Assign a list of arrays to ``variables``, in order."""
        if not self.built:
            raise ValueError(f"Optimizer '{self.name}' is not built; call "
                             "`optimizer.build(trainable_variables)` before `set_weights()`.")
        for variable, weight in zip(self.variables, weights):
            if tuple(variable.shape) != tuple(np.shape(weight)):
                raise ValueError(f"Optimizer variable '{variable.path}' has shape "
                                 f"{tuple(variable.shape)}; received a weight of shape "
                                 f"{tuple(np.shape(weight))}.")
            variable.assign(weight)

    # --- config --------------------------------------------------------------------------
    def get_config(self) -> dict:
        rate = self._learning_rate
        if isinstance(rate, Variable):
            rate = float(rate.numpy())
        elif isinstance(rate, LearningRateSchedule):
            rate = serialize_schedule(rate)
        else:
            rate = {"class_name": "function", "config": getattr(rate, "__name__", repr(rate)),
                    "module": getattr(rate, "__module__", None), "registered_name": None}
        config = {"name": self.name, "learning_rate": rate, "weight_decay": self.weight_decay,
                  "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                  "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                  "ema_momentum": self.ema_momentum,
                  "ema_overwrite_frequency": self.ema_overwrite_frequency,
                  "loss_scale_factor": self.loss_scale_factor,
                  "gradient_accumulation_steps": self.gradient_accumulation_steps}
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_schedule(config["learning_rate"],
                                                           custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        rate = self._learning_rate
        shown = f"{float(rate.data):g}" if isinstance(rate, Variable) else type(rate).__name__
        return (f"<{type(self).__name__} name={self.name}, learning_rate={shown}, "
                f"iterations={int(self._iteration.data)}>")

