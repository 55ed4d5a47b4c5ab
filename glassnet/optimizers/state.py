"""Where an optimizer keeps its numbers: one flat buffer per kind, one view per variable.

When every variable has the same floating dtype and no other live optimizer owns them, the
optimizer *adopts* them: their values are copied into one contiguous buffer and each
``variable.data`` becomes a view of it.  Gradients, slots (momentums, velocities, ...) and
scratch space get the same layout, so an update rule can run once over all parameters with
a handful of in-place ufuncs, or once per variable on the matching views.  Both give the
same numbers: the views *are* the flat buffers.

Example:
    >>> kernel, bias = Variable(np.ones((2, 3))), Variable(np.zeros(3))
    >>> state = OptimizerState(opt, [kernel, bias], [("momentum",)], {}, scratch_count=1)
    >>> state.param_flat.shape, np.shares_memory(kernel.data, state.param_flat)
    ((9,), True)
"""

from __future__ import annotations

import operator
import weakref

import numpy as np

from glassnet.core.tensor import Tensor
from glassnet.core.variable import Variable


def state_variable(array: np.ndarray, name: str, path: str) -> Variable:
    """A non-trainable Variable whose ``data`` is ``array`` itself (optimizer storage).

    Example:
        >>> buffer = np.zeros(4, np.float32)
        >>> state_variable(buffer[:2], "bias_momentum", "sgd/bias_momentum").data.base is buffer
        True
    """
    variable = Variable(np.zeros((), array.dtype), trainable=False, name=name, path=path)
    variable.data = array  # the storage itself, so reading the variable shows live values
    return variable


def owned_elsewhere(variable, optimizer) -> bool:
    """True when another optimizer that is still alive keeps this variable in its buffer.

    Example:
        >>> first.build([kernel])
        >>> owned_elsewhere(kernel, second), owned_elsewhere(kernel, first)
        (True, False)
    """
    owner_ref = getattr(variable, "_buffer_owner", None)
    owner = owner_ref() if owner_ref is not None else None
    return owner is not None and owner is not optimizer


class OptimizerState:
    """Layout and storage for one optimizer built on a list of variables."""

    def __init__(self, optimizer, variables, slot_groups, slot_initial: dict,
                 scratch_count: int):
        self.variables = list(variables)
        self.index: dict = {}
        for i, variable in enumerate(self.variables):
            if not hasattr(variable, "data"):
                raise TypeError(
                    f"Optimizer '{optimizer.name}' expects glassnet Variables; received "
                    f"{type(variable).__name__} at position {i}.")
            if id(variable) in self.index:
                raise ValueError(
                    f"Optimizer '{optimizer.name}' received the variable "
                    f"'{_path(variable)}' twice in its variable list.")
            self.index[id(variable)] = i
        self.shapes = [tuple(v.data.shape) for v in self.variables]
        self.sizes = [int(np.prod(shape)) for shape in self.shapes]
        self.offsets = [0]
        for size in self.sizes:
            self.offsets.append(self.offsets[-1] + size)
        self.total = self.offsets[-1]
        dtypes = {np.dtype(v.data.dtype) for v in self.variables}
        self.dtype = dtypes.pop() if len(dtypes) == 1 else None

        self.param_flat = None
        self.param_views = None
        if self._can_adopt(optimizer):
            self._adopt(weakref.ref(optimizer))

        self.grad_flat, self.grad_views = self._allocate(0.0)
        # slots: name -> (flat buffer or None, per-variable arrays); kept in Keras's order.
        self.slot_flat: dict = {}
        self.slot_views: dict = {}
        self.slot_variables: list = []
        prefix = optimizer.name
        for group in slot_groups:
            for name in group:
                flat, views = self._allocate(float(slot_initial.get(name, 0.0)))
                self.slot_flat[name] = flat
                self.slot_views[name] = views
            for i, variable in enumerate(self.variables):
                for name in group:
                    slot_name = f"{_path(variable).replace('/', '_')}_{name}"
                    self.slot_variables.append(state_variable(
                        self.slot_views[name][i], slot_name, f"{prefix}/{slot_name}"))
        self.slots_of = [{name: views[i] for name, views in self.slot_views.items()}
                         for i in range(len(self.variables))]
        scratch = [self._allocate(0.0) for _ in range(scratch_count)]
        self.scratch_flat = [flat for flat, _ in scratch]
        self.scratch_of = [[views[i] for _, views in scratch]
                           for i in range(len(self.variables))]
        self.flat = self.param_flat is not None

    # --- building ----------------------------------------------------------------------
    def _can_adopt(self, optimizer) -> bool:
        if self.dtype is None or self.dtype.kind != "f" or self.total == 0:
            return False
        return all(isinstance(v, Variable) and not owned_elsewhere(v, optimizer)
                   for v in self.variables)

    def _adopt(self, owner) -> None:
        self.param_flat = np.empty(self.total, self.dtype)
        self.param_views = self._views(self.param_flat)
        for variable, view in zip(self.variables, self.param_views):
            np.copyto(view, variable.data)
            variable.data = view
            variable._buffer_owner = owner

    def _views(self, flat: np.ndarray) -> list:
        return [flat[start:start + size].reshape(shape) for start, size, shape
                in zip(self.offsets, self.sizes, self.shapes)]

    def _allocate(self, fill: float):
        """A flat buffer and its per-variable views, or separate arrays for mixed dtypes."""
        if self.dtype is not None:
            flat = np.full(self.total, fill, self.dtype)
            return flat, self._views(flat)
        return None, [np.full(v.data.shape, fill, v.data.dtype) for v in self.variables]

    # --- stepping ----------------------------------------------------------------------
    def match(self, variables) -> list | None:
        """None when ``variables`` is the built list in order, else their indices."""
        built = self.variables
        if len(variables) == len(built) and all(map(operator.is_, variables, built)):
            return None
        indices = []
        for variable in variables:
            i = self.index.get(id(variable))
            if i is None:
                raise ValueError(
                    f"Unknown variable: '{_path(variable)}'. This optimizer was built for "
                    "another list of variables; create a new optimizer for new variables.")
            indices.append(i)
        return indices

    def take_gradients(self, grads, indices):
        """Copy each gradient into its view; return (indices with a gradient, missing ones).

        ``indices`` None means the built variables in order, and stays None when every
        gradient is present (the flat path).  Gradients may be arrays, Tensors or lists.
        """
        views = self.grad_views
        missing = []
        for i, grad in zip(range(len(grads)) if indices is None else indices, grads):
            if grad is None:
                missing.append(i)
                continue
            if type(grad) is not np.ndarray:
                grad = grad.data if isinstance(grad, Tensor) else np.asarray(grad)
            view = views[i]
            if grad is not view:  # a backward pass may write straight into the views
                if grad.shape != view.shape:
                    raise ValueError(
                        f"Gradient for variable '{_path(self.variables[i])}' has shape "
                        f"{grad.shape}; expected {view.shape}, the variable's shape.")
                np.copyto(view, grad)
        if not missing:
            return indices, missing
        if len(missing) == len(grads):
            raise ValueError("No gradients provided for any variable.")
        skip = set(missing)
        present = [i for i in (range(len(views)) if indices is None else indices)
                   if i not in skip]
        return present, missing

    def ensure_adopted(self) -> None:
        """Re-adopt any variable whose ``data`` was rebound instead of assigned in place."""
        for variable, view in zip(self.variables, self.param_views):
            if variable.data is not view:
                np.copyto(view, variable.data)
                variable.data = view


def _path(variable) -> str:
    return str(getattr(variable, "path", None) or getattr(variable, "name", "variable"))
