"""Which array of a weights file belongs to which variable of a model.

Every variable gets a flat key from its place in the model, as Keras 3 names them:
``layers/<kind>/vars/<i>``, where ``<kind>`` is the snake-cased class name, numbered
within its parent when the kind repeats (``dense``, ``dense_1``, ...), and ``<i>`` is the
variable's index in its layer.  Sublayers nest (``layers/bidirectional/layers/lstm/...``).
The keys depend on the architecture only, not on the layer names, so weights load into a
freshly built copy of the model whatever its automatic names; loading ``by_name`` matches
top-level layers by their names instead (the names are kept in the file's manifest).

Example:
    >>> list(variable_map(Sequential([Input((3,)), Dense(2)])))
    ['layers/dense/vars/0', 'layers/dense/vars/1']
"""

from __future__ import annotations

import warnings

import numpy as np

from glassnet.saving.errors import ModelFileError
from glassnet.utils.naming import to_snake_case


def _children(layer) -> list:
    from glassnet.models.model import Model

    return list(layer.layers) if isinstance(layer, Model) else list(layer._layers)


def walk_layers(root) -> list:
    """``(path, layer)`` for every layer under ``root`` (not ``root`` itself), each once.

    Example:
        >>> [path for path, _ in walk_layers(Sequential([Input((3,)), Dense(2), Dense(1)]))]
        ['layers/dense', 'layers/dense_1']
    """
    result, seen = [], {id(root)}

    def visit(layer, prefix: str) -> None:
        counts: dict = {}
        for child in _children(layer):
            if id(child) in seen:
                continue
            seen.add(id(child))
            kind = to_snake_case(type(child).__name__)
            number = counts.get(kind, 0)
            counts[kind] = number + 1
            path = f"{prefix}layers/{kind if number == 0 else f'{kind}_{number}'}"
            result.append((path, child))
            visit(child, path + "/")

    visit(root, "")
    return result


def variable_map(root) -> dict:
    """``{key: Variable}`` for every variable of ``root``, in a fixed order.

    Example:
        >>> variable_map(model)["layers/dense/vars/0"] is model.layers[0].kernel
        True
    """
    found = {f"vars/{i}": v for i, v in enumerate(root._own_variables)}
    for path, layer in walk_layers(root):
        for i, variable in enumerate(layer._own_variables):
            found[f"{path}/vars/{i}"] = variable
    return found


def layer_names(root) -> dict:
    """``{layer path: layer name}`` for the manifest (used by ``by_name`` loading).

    Example:
        >>> layer_names(Sequential([Input((3,)), Dense(2, name="hidden")]))
        {'layers/dense': 'hidden'}
    """
    return {path: layer.name for path, layer in walk_layers(root)}


def arrays_of(root) -> dict:
    """``{key: array copy}`` of every variable.

    Example:
        >>> arrays_of(model)["layers/dense/vars/1"].shape
        (2,)
    """
    return {key: variable.numpy() for key, variable in variable_map(root).items()}


def _by_name_targets(root, saved_names: dict) -> dict:
    """Variables keyed by the saved paths of the layers that share their names."""
    saved_by_name = {}
    for path, name in saved_names.items():
        if path.count("/") == 1:  # a top-level layer
            saved_by_name.setdefault(name, path)
    targets = {}
    variables = variable_map(root)
    for path, layer in walk_layers(root):
        if path.count("/") != 1 or layer.name not in saved_by_name:
            continue
        saved_path = saved_by_name[layer.name]
        for key, variable in variables.items():
            if key.startswith(path + "/"):
                targets[saved_path + key[len(path):]] = variable
    return targets


def assign_arrays(root, arrays: dict, where: str, skip_mismatch: bool = False,
                  by_name: bool = False, saved_names: dict | None = None) -> None:
    """Load ``arrays`` into the variables of ``root``, all checked before any is changed.

    Missing or extra arrays and shape mismatches raise ``ModelFileError`` (with
    ``skip_mismatch``, the affected variables are skipped with a warning instead).

    Example:
        >>> assign_arrays(model, {"layers/dense/vars/0": kernel, ...}, "'w.npz'")
    """
    if by_name:
        targets = _by_name_targets(root, saved_names or {})
        arrays = {k: v for k, v in arrays.items() if k in targets}
    else:
        targets = variable_map(root)
    missing = [key for key in targets if key not in arrays]
    extra = [key for key in arrays if key not in targets]
    problems = []
    if missing and not by_name:
        problems.append(f"no arrays for {len(missing)} variable(s), e.g. {missing[:3]}")
    if extra:
        problems.append(f"{len(extra)} array(s) that match no variable, e.g. {extra[:3]}")
    pairs = []
    for key, variable in targets.items():
        if key not in arrays:
            continue
        value = arrays[key]
        if tuple(value.shape) != tuple(variable.shape):
            problems.append(f"array {key!r} has shape {tuple(value.shape)} but variable "
                            f"'{variable.path}' has shape {tuple(variable.shape)}")
            continue
        if np.dtype(variable.dtype).kind in "iub" and value.dtype.kind == "f":
            problems.append(f"array {key!r} holds {value.dtype} values for the integer "
                            f"variable '{variable.path}'")
            continue
        pairs.append((variable, value))
    if problems:
        message = (f"{where} does not fit model '{root.name}': " + "; ".join(problems[:6])
                   + ("; ..." if len(problems) > 6 else "") + ".")
        if not skip_mismatch:
            raise ModelFileError(message + " Build the same architecture before loading, or "
                                 "pass skip_mismatch=True to load only what fits.")
        warnings.warn(message + " The variables that do not fit are left unchanged.",
                      stacklevel=3)
    for variable, value in pairs:
        variable.assign(value)
