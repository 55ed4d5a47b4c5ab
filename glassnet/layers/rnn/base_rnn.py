"""BaseRNN: what SimpleRNN, LSTM and GRU share as layers, with Keras 3's arguments.

Each layer runs its whole sequence as one fused op (``glassnet.ops.lstm`` and friends).
This class handles the rest of Keras's RNN contract: ``return_sequences``, ``return_state``,
``go_backwards``, ``stateful`` (states kept between calls, ``reset_states()``), ``unroll``
(accepted; the fused loop is already as fast as unrolling), ``initial_state=`` in the call,
masks (``mask=`` or from an ``Embedding(mask_zero=True)`` / ``Masking`` layer before it),
and dropout masks drawn as Keras's cells draw them: one per sequence, the same at every step.

Weights are named and ordered as Keras names them: ``kernel``, ``recurrent_kernel``,
``bias``, with paths like ``lstm/lstm_cell/kernel``.

Example:
    >>> lstm = LSTM(4, return_sequences=True, return_state=True)
    >>> seq, h, c = lstm(np.random.rand(32, 10, 8))
    >>> seq.shape, h.shape, c.shape
    ((32, 10, 4), (32, 4), (32, 4))
"""

from __future__ import annotations

import numpy as np

from glassnet import activations, initializers, regularizers
from glassnet.core.random import make_generator
from glassnet.core.symbolic import KerasTensor
from glassnet.core.tensor import Tensor
from glassnet.layers.core.dense import check_positive_int
from glassnet.layers.layer import Layer


def _optional(item, module):
    return None if item is None else module.serialize(item)


def activation_name(activation, layer: str, argument: str) -> str:
    """The built-in name of an activation, which the fused cells need."""
    if activation is activations.linear:
        return "linear"
    try:
        name = activations.serialize(activation)
    except ValueError:
        name = None
    if not isinstance(name, str):
        raise ValueError(f"{layer} runs a fused cell, which needs a built-in activation such "
                         f"as 'tanh', 'sigmoid', 'relu' or 'hard_sigmoid'. Received: "
                         f"{argument}={activation!r}")
    return name


class BaseRNN(Layer):
    """Arguments and behaviour common to the recurrent layers (see the module docstring)."""

    gates = 1           # blocks of ``units`` columns in the kernels
    state_count = 1     # LSTM has two states, h and c
    cell_name = "rnn_cell"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 seed=None, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, use_cudnn="auto", **kwargs):
        kwargs.pop("implementation", None)  # Keras 2's choice of kernel; one path here
        kwargs.pop("time_major", None)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        kind = type(self).__name__
        self.units = check_positive_int(kind, "units", units)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self._activation_name = activation_name(self.activation, kind, "activation")
        self._recurrent_activation_name = activation_name(self.recurrent_activation, kind,
                                                          "recurrent_activation")
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.recurrent_constraint = recurrent_constraint
        self.bias_constraint = bias_constraint
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self._seeded_rng = None if seed is None else make_generator(seed)
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.use_cudnn = use_cudnn
        self.supports_masking = True
        self.states = None
        self.kernel = self.recurrent_kernel = self.bias = None

    # --- weights --------------------------------------------------------------------------
    def build(self, input_shape) -> None:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected '
                f"ndim=3, found ndim={len(input_shape)}. Full shape received: {input_shape}. "
                f"{type(self).__name__} expects (batch, timesteps, features).")
        features = input_shape[-1]
        if features is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' needs the last dimension "
                             f"of its inputs to be known; received {input_shape}.")
        columns = self.gates * self.units
        self.kernel = self._weight("kernel", (features, columns), self.kernel_initializer,
                                   self.kernel_regularizer, self.kernel_constraint)
        self.recurrent_kernel = self._weight("recurrent_kernel", (self.units, columns),
                                             self.recurrent_initializer,
                                             self.recurrent_regularizer,
                                             self.recurrent_constraint)
        if self.use_bias:
            self.bias = self._weight("bias", self._bias_shape(), self._bias_initializer(),
                                     self.bias_regularizer, self.bias_constraint)
        self.built = True

    def _weight(self, name, shape, initializer, regularizer, constraint):
        variable = self.add_weight(shape=shape, initializer=initializer, name=name,
                                   regularizer=regularizer, constraint=constraint)
        variable.path = f"{self.name}/{self.cell_name}/{name}"  # Keras keeps them in a cell
        return variable

    def _bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    # --- calling --------------------------------------------------------------------------
    def call(self, sequences, initial_state=None, mask=None, training=None):
        if sequences.ndim != 3:
            self.build(sequences.shape)  # raises the Keras-style ndim error
        if sequences.data.dtype.kind != "f":
            sequences = Tensor(sequences.data.astype(self.compute_dtype))
        batch = sequences.shape[0]
        states = self._initial_states(initial_state, batch)
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is not None:
            mask = np.asarray(mask.data if isinstance(mask, Tensor) else mask).astype(bool)
        input_dropout = recurrent_dropout = None
        if training:
            input_dropout = self._dropout_mask(self.dropout, (batch, sequences.shape[-1]))
            recurrent_dropout = self._dropout_mask(self.recurrent_dropout, (batch, self.units))
        outputs = self._run_op(sequences, states, mask, input_dropout, recurrent_dropout)
        output, final_states = outputs[0], list(outputs[1:])
        if self.stateful:
            self.states = [s.data.copy() for s in final_states]
        if self.return_state:
            if self.return_sequences and mask is not None:
                output._keras_mask = mask
            return (output, *final_states)
        return output

    def _initial_states(self, initial_state, batch: int) -> list:
        if initial_state is None:
            if not self.stateful:
                return [None] * self.state_count
            if self.states is None:
                self.states = [np.zeros((batch, self.units), self.compute_dtype)
                               for _ in range(self.state_count)]
            if self.states[0].shape[0] != batch:
                raise ValueError(
                    "If an RNN is stateful, the batch size of the input sequences must be the "
                    "same as the batch size of the initial state. \n- Expected batch size: "
                    f"{self.states[0].shape[0]}\n- Received batch size: {batch}")
            return list(self.states)
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        if len(initial_state) != self.state_count:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects {self.state_count} initial "
                f"state(s) of shape (batch, {self.units}); received {len(initial_state)}.")
        states = []
        for state in initial_state:
            if not isinstance(state, Tensor):
                state = Tensor(np.asarray(state, dtype=self.compute_dtype))
            if tuple(state.shape) != (batch, self.units):
                raise ValueError(
                    f"{type(self).__name__} '{self.name}' expects initial states of shape "
                    f"{(batch, self.units)}; received {tuple(state.shape)}.")
            states.append(state)
        return states

    def _dropout_mask(self, rate: float, shape: tuple):
        """Keras's dropout masks: kept units scaled by 1 / (1 - rate), one mask for every gate
        unless ``recurrent_dropout`` is set (then one per gate, as Keras's cells do)."""
        if not 0.0 < rate < 1.0:
            return None
        rng = self._seeded_rng if self._seeded_rng is not None else make_generator(None)
        count = self.gates if (self.recurrent_dropout > 0 and self.gates > 1) else None
        full = shape if count is None else (count,) + shape
        keep = rng.random(full, dtype=np.float32) >= rate
        return keep.astype(self.compute_dtype) * np.asarray(1.0 / (1.0 - rate),
                                                            self.compute_dtype)

    def _op_options(self) -> dict:
        return {"activation": self._activation_name,
                "recurrent_activation": self._recurrent_activation_name,
                "go_backwards": self.go_backwards, "return_sequences": self.return_sequences,
                "zero_output_for_mask": self.zero_output_for_mask}

    def _run_op(self, sequences, states, mask, input_dropout, recurrent_dropout):
        raise NotImplementedError

    # --- states ---------------------------------------------------------------------------
    def reset_state(self) -> None:
        """Zero the kept states of a stateful layer."""
        if self.states is not None:
            for state in self.states:
                state[...] = 0

    reset_states = reset_state

    def get_initial_state(self, batch_size: int) -> list:
        return [np.zeros((batch_size, self.units), self.compute_dtype)
                for _ in range(self.state_count)]

    # --- shapes and masks -----------------------------------------------------------------
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        output = (batch, steps, self.units) if self.return_sequences else (batch, self.units)
        if self.return_state:
            return (output,) + tuple((batch, self.units) for _ in range(self.state_count))
        return output

    def compute_output_spec(self, *args, **kwargs):
        shape = self.compute_output_shape(args[0].shape)
        if self.return_state:
            return tuple(KerasTensor(s, self.dtype) for s in shape)
        return KerasTensor(shape, self.dtype)

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        # With return_state the sequence output gets its mask in call(); the states get none.
        if mask is None or not self.return_sequences or self.return_state:
            return None
        return mask

    # --- configuration --------------------------------------------------------------------
    def get_config(self) -> dict:
        return {**super().get_config(),
                "return_sequences": self.return_sequences, "return_state": self.return_state,
                "go_backwards": self.go_backwards, "stateful": self.stateful,
                "unroll": self.unroll, "zero_output_for_mask": self.zero_output_for_mask,
                "units": self.units, "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": _optional(self.kernel_regularizer, regularizers),
                "recurrent_regularizer": _optional(self.recurrent_regularizer, regularizers),
                "bias_regularizer": _optional(self.bias_regularizer, regularizers),
                "activity_regularizer": _optional(self.activity_regularizer, regularizers),
                "kernel_constraint": None, "recurrent_constraint": None,
                "bias_constraint": None, "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}
