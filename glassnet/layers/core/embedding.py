"""Embedding: turns integer indices (word ids) into dense vectors, one learned row per index.

Example:
    >>> layer = Embedding(1000, 64, mask_zero=True)
    >>> out = layer(np.array([[4, 20, 0]]))
    >>> out.shape, out._keras_mask
    ((1, 3, 64), array([[ True,  True, False]]))
"""

from __future__ import annotations

import numpy as np

from glassnet import initializers, regularizers
from glassnet.layers.layer import Layer
from glassnet.ops.embedding import embedding_lookup

# Keras's short initializer names that the initializer table may not list.
_INITIALIZER_ALIASES = {"uniform": "random_uniform", "normal": "random_normal"}


def _check_dimension(argument: str, value) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"`{argument}` must be a positive integer. Received: {argument}={value} "
                         f"(of type {type(value).__name__}).")
    return int(value)


class Embedding(Layer):
    """A lookup table of ``input_dim`` rows of ``output_dim`` numbers.

    Inputs are integer indices of any shape (batch, ...); floats that hold integers are
    accepted.  The output has shape ``inputs.shape + (output_dim,)``.  With
    ``mask_zero=True`` index 0 is padding: the output carries a mask that is False there,
    which recurrent layers downstream use to skip those steps.

    ``input_length`` (Keras 2) is taken as the input shape, like ``input_shape=(length,)``,
    so ``summary()`` works before ``fit``; ``weights=[matrix]`` sets the initial table.
    """

    integer_inputs = True

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, input_length=None, **kwargs):
        self.input_dim = _check_dimension("input_dim", input_dim)
        self.output_dim = _check_dimension("output_dim", output_dim)
        if input_length is not None and "input_shape" not in kwargs \
                and "batch_input_shape" not in kwargs:
            length = input_length if isinstance(input_length, (list, tuple)) else (input_length,)
            kwargs["input_shape"] = tuple(length)
        activity_regularizer = kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if isinstance(embeddings_initializer, str):
            embeddings_initializer = _INITIALIZER_ALIASES.get(embeddings_initializer,
                                                              embeddings_initializer)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = embeddings_constraint
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.autocast = False  # indices must stay integers
        self._embeddings = None
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None) -> None:
        if self._embeddings is not None:
            return
        self._embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                           initializer=self.embeddings_initializer,
                                           name="embeddings",
                                           regularizer=self.embeddings_regularizer,
                                           constraint=self.embeddings_constraint)
        self.built = True

    @property
    def embeddings(self):
        if self._embeddings is None:
            raise AttributeError("You must build the layer before accessing `embeddings`.")
        return self._embeddings

    def _indices(self, inputs) -> np.ndarray:
        values = np.asarray(inputs.data if hasattr(inputs, "data") else inputs)
        if values.dtype.kind not in "iu":
            if values.dtype.kind not in "fb":
                raise TypeError(f"Embedding '{self.name}' expects integer indices; received "
                                f"inputs of dtype {values.dtype}.")
            values = values.astype(np.int64)  # Keras casts (truncates) non-integer inputs
        if values.size:
            low, high = values.min(), values.max()
            if low < 0 or high >= self.input_dim:
                bad = int(low if low < 0 else high)
                raise ValueError(
                    f"Embedding '{self.name}' received index {bad}, outside the vocabulary of "
                    f"input_dim={self.input_dim} (valid indices are 0 to {self.input_dim - 1}). "
                    "Make input_dim larger than the largest index (the vocabulary size + 1 "
                    "when 0 is padding), or limit the indices (e.g. num_words=).")
        return values

    def call(self, inputs):
        return embedding_lookup(self.embeddings, self._indices(inputs))

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return np.asarray(inputs.data if hasattr(inputs, "data") else inputs) != 0

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self) -> dict:
        def optional(item, module):
            return None if item is None else module.serialize(item)

        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": optional(self.embeddings_regularizer, regularizers),
                "activity_regularizer": optional(self.activity_regularizer, regularizers),
                "embeddings_constraint": None, "mask_zero": self.mask_zero}
