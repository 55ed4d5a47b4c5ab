"""The state beyond weights that decides what training does next, for exact resume.

- the global random generator (shuffling, unseeded dropout, noise), as its bit-generator
  state;
- the private generators of layers created with a ``seed`` (``Dropout(0.3, seed=1)``);
- how many epochs the model has completed.

The optimizer's step count and slots travel in ``optimizer.npz``.  With all of it
restored, ``load_model(path).fit(x, y, initial_epoch=k, epochs=n)`` continues exactly as
the uninterrupted ``fit(x, y, epochs=n)`` would have.

Example:
    >>> state = get_training_state(model)
    >>> sorted(state)
    ['completed_epochs', 'global_rng', 'layer_rngs']
"""

from __future__ import annotations

import re

import numpy as np

from glassnet.core import random as glassnet_random
from glassnet.saving.errors import ModelFileError
from glassnet.saving.weights_store import walk_layers


def _seeded_generators(model):
    """``(key, layer, attribute)`` for every layer attribute holding its own generator."""
    found = []
    for path, layer in [("", model)] + walk_layers(model):
        for attribute, value in sorted(vars(layer).items()):
            if isinstance(value, np.random.Generator) and \
                    value is not glassnet_random.generator():
                found.append((f"{path}:{attribute}", layer, attribute))
    return found


def _to_json(state: dict) -> dict:
    """A bit-generator state with its 128-bit integers as strings (JSON readers differ on
    big integers)."""
    def convert(value):
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            return str(int(value))
        if isinstance(value, np.ndarray):
            return [str(int(v)) for v in value.ravel()]
        return value
    return convert(state)


def _from_json(state, where: str) -> dict:
    def convert(value):
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,80}", value):
            return int(value)
        if isinstance(value, str) and value in ("PCG64", "PCG64DXSM", "MT19937", "Philox",
                                                "SFC64"):
            return value
        raise ModelFileError(f"{where}: unexpected value {value!r:.60} in a random state.")
    if not isinstance(state, dict):
        raise ModelFileError(f"{where}: a random state must be a dict.")
    return convert(state)


def _restore(generator: np.random.Generator, state, where: str) -> None:
    state = _from_json(state, where)
    expected = type(generator.bit_generator).__name__
    if state.get("bit_generator") != expected:
        raise ModelFileError(f"{where}: the saved random state is for "
                             f"{state.get('bit_generator')!r}; this generator is {expected!r}.")
    try:
        generator.bit_generator.state = state
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise ModelFileError(f"{where}: the saved random state is invalid: {error}") from None


def get_training_state(model) -> dict:
    """The resumable state of ``model`` and of the global generator, JSON-ready.

    Example:
        >>> get_training_state(model)["global_rng"]["bit_generator"]
        'PCG64'
    """
    return {"completed_epochs": int(getattr(model, "_completed_epochs", 0)),
            "global_rng": _to_json(glassnet_random.get_state()),
            "layer_rngs": {key: _to_json(getattr(layer, attr).bit_generator.state)
                           for key, layer, attr in _seeded_generators(model)}}


def check_training_state(model, state, where: str) -> None:
    """Refuse a training state that does not fit ``model`` (before anything is restored).

    Example:
        >>> check_training_state(model, {"global_rng": "x"}, "'m.keras'")
        Traceback (most recent call last):
        ModelFileError: 'm.keras': a random state must be a dict.
    """
    if not isinstance(state, dict):
        raise ModelFileError(f"{where}: the training state must be a dict.")
    epochs = state.get("completed_epochs", 0)
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 0:
        raise ModelFileError(f"{where}: 'completed_epochs' must be a non-negative integer.")
    saved = state.get("layer_rngs", {})
    expected = {key for key, _, _ in _seeded_generators(model)}
    if not isinstance(saved, dict) or set(saved) != expected:
        raise ModelFileError(f"{where}: the saved random states of seeded layers "
                             f"{sorted(saved) if isinstance(saved, dict) else saved!r:.200} "
                             f"do not match the model's {sorted(expected)}.")
    # Validate on copies so that a bad state changes nothing.
    probe = np.random.default_rng()
    _restore(probe, state.get("global_rng"), where)
    for key, layer, attribute in _seeded_generators(model):
        copy = np.random.Generator(type(getattr(layer, attribute).bit_generator)())
        _restore(copy, saved[key], where)


def set_training_state(model, state: dict, where: str) -> None:
    """Restore what ``get_training_state`` saved (call ``check_training_state`` first).

    Example:
        >>> set_training_state(model, get_training_state(model), "'m.keras'")
    """
    model._completed_epochs = state.get("completed_epochs", 0)
    _restore(glassnet_random.generator(), state["global_rng"], where)
    saved = state.get("layer_rngs", {})
    for key, layer, attribute in _seeded_generators(model):
        _restore(getattr(layer, attribute), saved[key], where)
