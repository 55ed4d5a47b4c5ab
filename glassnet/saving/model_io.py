"""``save_model`` / ``load_model``: one zip file with everything a model needs.

A ``.keras`` file written by glassnet holds:

- ``config.json``: the architecture (Keras 3's serialized-model layout), the compile
  settings, ``format_version`` and ``glassnet_version``;
- ``model.weights.npz``: every variable under its structural key
  (``layers/dense/vars/0``), plus a ``__manifest__`` with the layer names;
- ``optimizer.npz``: the optimizer's variables (step count, learning rate, slots) as
  ``optimizer.save_own_variables`` writes them, when the optimizer has been used;
- ``training_state.json``: the random generators and the completed epochs.

Loading reads the archive defensively (``archive``), checks every class the config names
against the allowed ones before building anything (``object_allowlist``), refuses weights
that do not fit, and turns any failure into ``ModelFileError``.  Files are only read; no
code from them runs and nothing is written.

Example:
    >>> model.save("mnist.keras")
    >>> same = load_model("mnist.keras")
    >>> bool((same.predict(x, verbose=0) == model.predict(x, verbose=0)).all())
    True
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from glassnet.saving.archive import atomic_write, read_file, read_zip, read_zip_bytes, zip_bytes
from glassnet.saving.errors import ModelFileError
from glassnet.saving.npz_format import MAX_ARRAYS, npz_bytes, parse_members, read_npz

#: The file layout version; files from newer versions are refused with a clear message.
FORMAT_VERSION = 1
CONFIG, WEIGHTS, OPTIMIZER, STATE = ("config.json", "model.weights.npz", "optimizer.npz",
                                     "training_state.json")
MODEL_MEMBERS = (CONFIG, WEIGHTS, OPTIMIZER, STATE)
MANIFEST = "__manifest__"
_warned_extensions: set = set()


# --- helpers -------------------------------------------------------------------------------
def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"Cannot save the config value {value!r} of type {type(value).__name__}: "
                    "configs hold only numbers, strings, lists and dicts.")


def to_json_bytes(value) -> bytes:
    """``value`` as UTF-8 JSON (NumPy scalars and arrays become numbers and lists).

    Example:
        >>> to_json_bytes({"units": np.int64(3)})
        b'{"units": 3}'
    """
    return json.dumps(value, default=_json_default).encode("utf-8")


def _parse_json(raw: bytes, where: str):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ModelFileError(f"{where} is not valid JSON: {error}") from None


def _warn_extension(path: str, expected: str, what: str) -> None:
    if path.endswith(expected):
        return
    extension = os.path.splitext(path)[1] or path
    if extension in _warned_extensions:
        return
    _warned_extensions.add(extension)
    legacy = extension in (".h5", ".hdf5") or path.endswith(".weights.h5")
    reason = "HDF5 is not used: " if legacy else ""
    warnings.warn(f"{reason}glassnet writes and reads {what} in its own format (a zip of JSON "
                  f"and .npz arrays) whatever the file name; '{path}' is written in that "
                  f"format. Name it '*{expected}' to avoid this warning.", UserWarning,
                  stacklevel=4)


def _ask_to_overwrite(path: str) -> bool:
    from glassnet.utils.progbar import write

    answer = input(f"[WARNING] {path} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    write("[TIP] Next time specify overwrite=True!\n")
    return True


def _manifest(model, kind: str) -> np.ndarray:
    from glassnet.saving.weights_store import layer_names
    from glassnet.version import __version__

    text = to_json_bytes({"format": kind, "format_version": FORMAT_VERSION,
                          "glassnet_version": __version__, "layer_names": layer_names(model)})
    return np.frombuffer(text, dtype=np.uint8).copy()


def _split_manifest(arrays: dict, where: str) -> dict:
    raw = arrays.pop(MANIFEST, None)
    if raw is None:
        return {}
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelFileError(f"{where}: the weights manifest must be a uint8 vector.")
    manifest = _parse_json(raw.tobytes(), f"{where} (weights manifest)")
    names = manifest.get("layer_names", {}) if isinstance(manifest, dict) else None
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise ModelFileError(f"{where}: the weights manifest has no valid 'layer_names'.")
    return names


# --- whole models --------------------------------------------------------------------------
def save_model(model, filepath, overwrite: bool = True, include_optimizer: bool = True) -> None:
    """Write ``model`` (architecture, weights, compile settings, optimizer and training state)
    to one file, atomically.  ``.h5`` / ``.hdf5`` names are accepted with a warning.

    Example:
        >>> save_model(model, "model.keras")
    """
    from glassnet.saving.compile_config import get_compile_config
    from glassnet.saving.serialization_lib import serialize_layer
    from glassnet.saving.training_state import get_training_state
    from glassnet.saving.weights_store import arrays_of
    from glassnet.version import __version__

    path = os.fspath(filepath)
    _warn_extension(path, ".keras", "models")
    if not overwrite and os.path.exists(path) and not _ask_to_overwrite(path):
        return
    config = serialize_layer(model)
    config["compile_config"] = get_compile_config(model)
    config["format_version"] = FORMAT_VERSION
    config["glassnet_version"] = __version__
    weights = arrays_of(model)
    weights[MANIFEST] = _manifest(model, "glassnet-weights")
    members = {CONFIG: to_json_bytes(config), WEIGHTS: npz_bytes(weights)}
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None and optimizer.built:
        store: dict = {}
        optimizer.save_own_variables(store)
        members[OPTIMIZER] = npz_bytes(store)
    members[STATE] = to_json_bytes(get_training_state(model))
    data = zip_bytes(members, compress={CONFIG, STATE})
    with atomic_write(path) as f:
        f.write(data)


def load_model(filepath, custom_objects: dict | None = None, compile: bool = True,
               safe_mode: bool = True):
    """The model saved at ``filepath``, compiled and ready to evaluate, predict or go on
    training; a damaged or untrusted file raises ``ModelFileError``.

    With ``compile=True`` the random generators are restored too, so that
    ``fit(..., initial_epoch=k)`` continues exactly as the saved run would have (seed again
    after loading for a different run).  ``custom_objects`` maps names to custom layers,
    losses, metrics, activations and ``Lambda`` functions.  ``safe_mode`` is accepted for
    Keras compatibility: glassnet never runs code from a file, so loading is always safe.

    Example:
        >>> model = load_model("model.keras", custom_objects={"Scale": Scale})
    """
    from glassnet.core import random as glassnet_random

    path = os.fspath(filepath)
    where = f"'{path}'"
    if not os.path.exists(path):
        raise ValueError(f"File not found: filepath={path}. Please ensure the file is an "
                         "accessible `.keras` zip file.")
    rng_before = glassnet_random.get_state()
    try:
        model, state = _load(path, where, custom_objects, compile)
    except Exception as error:
        glassnet_random.set_state(rng_before)
        if isinstance(error, ModelFileError):
            raise
        raise ModelFileError(f"{where} could not be loaded: {type(error).__name__}: "
                             f"{error}") from error
    if state is None:
        glassnet_random.set_state(rng_before)
    return model


def _load(path: str, where: str, custom_objects, compile: bool):
    from glassnet.models.model import Model
    from glassnet.saving.compile_config import compile_from_config
    from glassnet.saving.limits import weight_budget
    from glassnet.saving.object_allowlist import check_config
    from glassnet.saving.registry import CustomObjectScope
    from glassnet.saving.serialization_lib import deserialize_layer
    from glassnet.saving.training_state import check_training_state, set_training_state
    from glassnet.saving.weights_store import assign_arrays

    members = read_zip(path, where, allowed=_model_member_check(where))
    for required in (CONFIG, WEIGHTS):
        if required not in members:
            raise ModelFileError(f"{where} has no {required}; it is not a glassnet model file.")
    config = _parse_json(members[CONFIG], f"{where} ({CONFIG})")
    if not isinstance(config, dict) or "class_name" not in config:
        raise ModelFileError(f"{where}: {CONFIG} does not describe a model.")
    version = config.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ModelFileError(f"{where}: {CONFIG} has no valid 'format_version'.")
    if version > FORMAT_VERSION:
        raise ModelFileError(f"{where} was written by glassnet "
                             f"{config.get('glassnet_version')!r} in file format {version}; "
                             f"this version reads formats up to {FORMAT_VERSION}. Upgrade "
                             "glassnet to load it.")
    custom_objects = dict(custom_objects or {})
    check_config(config, custom_objects, where)
    weights = read_npz(members[WEIGHTS], f"{where} ({WEIGHTS})")
    _split_manifest(weights, where)
    budget = sum(int(array.size) for array in weights.values())
    entry = {k: config[k] for k in ("module", "class_name", "config", "registered_name",
                                    "build_config") if k in config}
    with CustomObjectScope(custom_objects), weight_budget(budget, where):
        model = deserialize_layer(entry, custom_objects)
        if not isinstance(model, Model):
            raise ModelFileError(f"{where} describes a {type(model).__name__}, not a model.")
        assign_arrays(model, weights, f"{where} ({WEIGHTS})")
        compile_config = config.get("compile_config")
        if not compile or compile_config is None:
            return model, None
        compile_from_config(model, compile_config, custom_objects)
        if OPTIMIZER in members:
            _load_optimizer(model, read_npz(members[OPTIMIZER], f"{where} ({OPTIMIZER})"),
                            f"{where} ({OPTIMIZER})")
    state = None
    if STATE in members:
        state = _parse_json(members[STATE], f"{where} ({STATE})")
        check_training_state(model, state, f"{where} ({STATE})")
        set_training_state(model, state, f"{where} ({STATE})")
    return model, state


def _model_member_check(where: str):
    def allowed(name: str) -> bool:
        if name in MODEL_MEMBERS:
            return True
        if name.endswith(".h5"):
            raise ModelFileError(f"{where} holds HDF5 weights ({name!r}): it was written by "
                                 "Keras, not glassnet. glassnet reads only its own files.")
        return False
    return allowed


def _load_optimizer(model, arrays: dict, where: str) -> None:
    optimizer = model.optimizer
    optimizer.build(model._variables_to_train())
    variables = optimizer.variables
    expected = [str(i) for i in range(len(variables))]
    if sorted(arrays) != sorted(expected):
        raise ModelFileError(f"{where}: the optimizer has {len(variables)} variables but the "
                             f"file holds {len(arrays)} arrays.")
    for i, variable in enumerate(variables):
        value = arrays[str(i)]
        if tuple(value.shape) != tuple(variable.shape):
            raise ModelFileError(f"{where}: optimizer variable '{variable.path}' has shape "
                                 f"{tuple(variable.shape)}; the file holds "
                                 f"{tuple(value.shape)}.")
    for i, variable in enumerate(variables):
        variable.assign(arrays[str(i)])


def restore_into(model, filepath) -> dict:
    """Put the weights, optimizer state and training state saved at ``filepath`` back into
    the existing ``model`` (same architecture, compiled); returns the training state.

    Example:
        >>> restore_into(model, "backup/latest.keras")["completed_epochs"]
        3
    """
    from glassnet.saving.training_state import check_training_state, set_training_state
    from glassnet.saving.weights_store import assign_arrays

    path = os.fspath(filepath)
    where = f"'{path}'"
    try:
        members = read_zip(path, where, allowed=_model_member_check(where))
        if WEIGHTS not in members:
            raise ModelFileError(f"{where} has no {WEIGHTS}.")
        weights = read_npz(members[WEIGHTS], f"{where} ({WEIGHTS})")
        _split_manifest(weights, where)
        state = _parse_json(members[STATE], where) if STATE in members else None
        if state is not None:
            check_training_state(model, state, where)
        assign_arrays(model, weights, f"{where} ({WEIGHTS})")
        if OPTIMIZER in members and getattr(model, "optimizer", None) is not None:
            _load_optimizer(model, read_npz(members[OPTIMIZER], where), where)
        if state is not None:
            set_training_state(model, state, where)
        return state or {}
    except ModelFileError:
        raise
    except Exception as error:
        raise ModelFileError(f"{where} could not be loaded: {type(error).__name__}: "
                             f"{error}") from error


def model_from_json(json_string: str, custom_objects: dict | None = None):
    """A new (untrained) model from ``model.to_json()``'s text.

    Example:
        >>> clone = model_from_json(model.to_json())
    """
    from glassnet.saving.object_allowlist import check_config
    from glassnet.saving.registry import CustomObjectScope
    from glassnet.saving.serialization_lib import deserialize_layer

    where = "The JSON model config"
    raw = json_string.encode("utf-8") if isinstance(json_string, str) else bytes(json_string)
    config = _parse_json(raw, where)
    custom_objects = dict(custom_objects or {})
    try:
        check_config(config, custom_objects, where)
        with CustomObjectScope(custom_objects):
            return deserialize_layer(config, custom_objects)
    except ModelFileError:
        raise
    except Exception as error:
        raise ModelFileError(f"{where} could not be loaded: {type(error).__name__}: "
                             f"{error}") from error


# --- weights only --------------------------------------------------------------------------
def save_weights(model, filepath, overwrite: bool = True) -> None:
    """Write the weights of ``model`` to an ``.npz`` file, atomically.

    Example:
        >>> save_weights(model, "model.weights.npz")
    """
    from glassnet.saving.weights_store import arrays_of

    path = os.fspath(filepath)
    _warn_extension(path, ".weights.npz", "weights")
    if not overwrite and os.path.exists(path) and not _ask_to_overwrite(path):
        return
    arrays = arrays_of(model)
    arrays[MANIFEST] = _manifest(model, "glassnet-weights")
    data = npz_bytes(arrays)
    with atomic_write(path) as f:
        f.write(data)


def load_weights(model, filepath, skip_mismatch: bool = False, by_name: bool = False) -> None:
    """Load weights saved by ``save_weights`` (or the weights of a whole ``.keras`` file)
    into the built ``model``, by structure, or by top-level layer name with ``by_name``.

    Example:
        >>> load_weights(fresh_model, "model.weights.npz")
    """
    from glassnet.saving.weights_store import assign_arrays

    path = os.fspath(filepath)
    where = f"'{path}'"
    if not os.path.exists(path):
        raise ValueError(f"File not found: filepath={path}.")
    if not model.built:
        raise ValueError(f"Model '{model.name}' has no weights yet: build it (give it an "
                         "input shape, call build() or call it on data) before loading weights.")
    try:
        members = read_zip_bytes(read_file(path, where), where, max_members=MAX_ARRAYS)
        if CONFIG in members and WEIGHTS in members:
            arrays = read_npz(members[WEIGHTS], f"{where} ({WEIGHTS})")
        else:
            arrays = parse_members(members, where)
        names = _split_manifest(arrays, where)
        assign_arrays(model, arrays, where, skip_mismatch=skip_mismatch, by_name=by_name,
                      saved_names=names)
    except ModelFileError:
        raise
    except Exception as error:
        raise ModelFileError(f"{where} could not be loaded: {type(error).__name__}: "
                             f"{error}") from error
