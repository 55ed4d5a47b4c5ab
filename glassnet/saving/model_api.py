"""The saving methods of models: ``save``, ``save_weights``, ``load_weights``, ``to_json``,
``get_config`` / ``from_config`` (functional graphs included), as in Keras 3.

Example:
    >>> model.save("model.keras")
    >>> model.save_weights("model.weights.npz")
    >>> model.load_weights("model.weights.npz")
    >>> clone = glassnet.models.model_from_json(model.to_json())
"""

from __future__ import annotations

import json
import warnings


class SavingMixin:
    """Mixed into ``Model`` before ``Layer`` (see the module docstring).

    Example:
        >>> class Model(SavingMixin, Trainer, Layer): ...
        >>> Model(inputs, outputs).save("m.keras")
    """

    def save(self, filepath, overwrite: bool = True, zipped=None, **kwargs) -> None:
        """Save architecture, weights, compile settings and optimizer state to one file.

        ``.keras`` is the expected extension; ``.h5`` / ``.hdf5`` (older books) are accepted
        with a warning and written in the same format.  ``include_optimizer=False`` leaves
        the optimizer state out.
        """
        from glassnet.saving.model_io import save_model

        include_optimizer = kwargs.pop("include_optimizer", True)
        if kwargs.pop("save_format", None) is not None:
            warnings.warn("The `save_format` argument is deprecated and ignored; glassnet "
                          "always writes its own format.", stacklevel=2)
        kwargs.pop("signatures", None)
        kwargs.pop("options", None)
        if kwargs:
            raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
        save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite: bool = True, **kwargs) -> None:
        """Save all weights to an ``.npz`` file (any name is accepted, with a warning when it
        does not end in ``.weights.npz``)."""
        from glassnet.saving.model_io import save_weights

        kwargs.pop("save_format", None)
        if kwargs:
            raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch: bool = False, by_name: bool = False,
                     **kwargs) -> None:
        """Load weights from ``save_weights`` or a ``.keras`` file: by structure (layer
        order and kind), or matching top-level layers by name with ``by_name=True``."""
        from glassnet.saving.model_io import load_weights

        if kwargs:
            raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
        load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)

    def to_json(self, **kwargs) -> str:
        """The architecture as JSON text (``models.model_from_json`` rebuilds it)."""
        from glassnet.saving.model_io import _json_default
        from glassnet.saving.serialization_lib import serialize_layer

        return json.dumps(serialize_layer(self), default=_json_default, **kwargs)

    def get_config(self) -> dict:
        """The constructor arguments; for a functional model, its whole graph."""
        if getattr(self, "_graph", None) is not None and _is_functional(self):
            from glassnet.saving.functional_config import functional_get_config
            return functional_get_config(self)
        return super().get_config()

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """A model from ``get_config()``: a functional graph, or ``cls(**config)``."""
        if isinstance(config, dict) and "input_layers" in config and "layers" in config:
            from glassnet.saving.functional_config import functional_from_config
            from glassnet.saving.registry import CustomObjectScope
            with CustomObjectScope(custom_objects):
                return functional_from_config(cls, dict(config), custom_objects)
        return cls(**config)

    def get_compile_config(self) -> dict | None:
        """The settings given to ``compile()``, serialized (None before compile)."""
        from glassnet.saving.compile_config import get_compile_config
        return get_compile_config(self)


def _is_functional(model) -> bool:
    """A model whose graph is its definition: ``Model(inputs, outputs)`` itself, or a
    subclass that keeps Model's constructor signature."""
    from glassnet.models.model import Model
    from glassnet.models.sequential import Sequential

    if isinstance(model, Sequential):
        return False
    cls = type(model)
    return cls is Model or cls.__init__ is Model.__init__
