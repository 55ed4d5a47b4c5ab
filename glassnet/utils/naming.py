"""Names: Keras-style automatic layer names and lookups by name with suggestions.

Example:
    >>> to_snake_case("MaxPooling2D")
    'max_pooling2d'
    >>> lookup("activation", "relu", {"relu": 1})
    1
"""

from __future__ import annotations

import difflib
import re


def to_snake_case(name: str) -> str:
    """'BatchNormalization' -> 'batch_normalization', 'Conv2D' -> 'conv2d' (as Keras)."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    if insecure[0] != "_":
        return insecure
    return "private" + insecure


class _Counters:
    names: dict = {}


def unique_name(base: str) -> str:
    """'dense', then 'dense_1', 'dense_2', ... across the whole session (as Keras)."""
    count = _Counters.names.get(base, 0)
    _Counters.names[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def reset_names() -> None:
    """Start automatic names again from 'dense' (``backend.clear_session()``)."""
    _Counters.names.clear()


def lookup(kind: str, name: str, table: dict):
    """``table[name]`` (case-insensitive), or a ValueError naming the closest valid names."""
    if name in table:
        return table[name]
    lowered = {key.lower(): value for key, value in table.items()}
    if isinstance(name, str) and name.lower() in lowered:
        return lowered[name.lower()]
    valid = sorted(table)
    spelled = {v.lower(): v for v in valid}
    close = [spelled[c] for c in difflib.get_close_matches(str(name).lower(), list(spelled),
                                                           n=3, cutoff=0.5)]
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(
        f"Unknown {kind}: {name!r}.{hint} Valid {kind} names are: {', '.join(valid)}.")
