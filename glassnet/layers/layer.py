"""The Layer base class: Keras's lifecycle of ``__init__`` (config), ``build(input_shape)``
(create weights with ``add_weight``) and ``call(inputs)`` (compute with ops).

Calling a layer on data runs ``call`` eagerly and returns a Tensor; calling it on a
symbolic tensor from ``Input`` records a graph node for the functional API.

Example:
    >>> class Scale(Layer):
    ...     def build(self, input_shape):
    ...         self.factor = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, inputs):
    ...         return inputs * self.factor
    >>> Scale()(np.ones((2, 3))).shape
    (2, 3)
"""

from __future__ import annotations

import inspect

import numpy as np

from glassnet import backend, initializers, regularizers
from glassnet.core.random import make_generator
from glassnet.core.symbolic import (GraphNode, KerasTensor, flatten_structure, is_symbolic,
                                    map_structure, to_tuple_shape)
from glassnet.core.tape import no_grad
from glassnet.core.tensor import Tensor
from glassnet.core.variable import Variable
from glassnet.ops import shape as shape_ops
from glassnet.utils.naming import to_snake_case, unique_name

#: Every Layer subclass by class name, so configs and model files can name them.
LAYER_CLASSES: dict = {}


class CallContext:
    """The ``training`` flag of the outermost call, inherited by nested layer calls."""

    training = None


def _accepts(fn, name: str) -> bool:
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind == p.VAR_KEYWORD for p in parameters.values())


def _to_tensor(x, dtype, integers_pass: bool = False):
    """Data given to a layer: arrays become Tensors cast to the layer dtype.

    Floats, booleans and (unless the layer reads integers, as Embedding does) integers are
    cast, so ``Dense`` on integer XOR inputs computes in float32 as Keras's matmul promotes
    them. A Tensor that carries gradients is cast by a recorded op so gradients still flow.
    """
    if x is None:
        return None
    if isinstance(x, Tensor):
        kind = x.data.dtype.kind
        if dtype is None or x.data.dtype == dtype or kind not in "fbiu" or (
                kind in "iu" and integers_pass):
            return x
        cast = shape_ops.cast(x, dtype) if kind == "f" else Tensor(x.data.astype(dtype))
        cast._keras_mask = x._keras_mask
        return cast
    array = np.asarray(x)
    kind = array.dtype.kind
    if dtype is not None and array.dtype != dtype and (
            kind in "fb" or (kind in "iu" and not integers_pass)):
        array = array.astype(dtype)
    elif kind == "b":
        array = array.astype(np.float32)
    return Tensor(array)


class Layer:
    """Base class of all layers (see the module docstring)."""

    # Layers that read integer inputs as integers (Embedding's indices, a Lambda's function,
    # models and wrappers that hand them on) set this; the others get them cast to floats.
    integer_inputs = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        LAYER_CLASSES.setdefault(cls.__name__, cls)
        cls._call_takes_training = _accepts(cls.call, "training")
        cls._call_takes_mask = _accepts(cls.call, "mask")

    def __init__(self, *, trainable: bool = True, dtype=None, name: str | None = None,
                 activity_regularizer=None, autocast: bool = True, **kwargs):
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                            f"{kwargs}")
        object.__setattr__(self, "_layers", [])
        self._own_variables: list = []
        self._trainable = bool(trainable)
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        if not isinstance(self.name, str) or not self.name or "/" in self.name:
            raise ValueError(f"Layer names must be non-empty strings without '/'; received "
                             f"name={self.name!r}.")
        self.dtype = backend.floatx() if dtype is None else _dtype_name(dtype)
        self.compute_dtype = np.dtype(self.dtype)
        self.autocast = autocast
        self.built = False
        self.supports_masking = False
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._inbound_nodes: list = []
        self._losses: list = []
        self._build_shape = None
        # Shape hints that Sequential turns into an Input (input_dim=8 -> shape (8,)).
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            batch_size, input_shape = batch_input_shape[0], tuple(batch_input_shape[1:])
        self._input_shape_arg = None if input_shape is None else _shape_arg(input_shape)
        self._batch_size_arg = batch_size

    # --- attribute tracking ---------------------------------------------------------------
    def __setattr__(self, name, value):
        if not name.startswith("_"):
            tracked = self.__dict__.get("_layers")
            if tracked is not None:
                for item in value if isinstance(value, (list, tuple)) else (value,):
                    if isinstance(item, Layer) and item is not self and \
                            not any(item is t for t in tracked):
                        tracked.append(item)
        object.__setattr__(self, name, value)

    # --- weights --------------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable: bool = True,
                   regularizer=None, constraint=None, name: str | None = None,
                   autocast: bool = True) -> Variable:
        """Create a Variable owned by this layer (call it from ``build``)."""
        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = np.dtype(dtype or self.dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.kind == "f" else "zeros"
        init = initializers.get(initializer)
        name = name or f"variable_{len(self._own_variables)}"
        value = np.asarray(init(shape, dtype=dtype), dtype=dtype)
        if value.shape != shape:
            raise ValueError(f"Initializer for weight '{self.name}/{name}' returned shape "
                             f"{value.shape}; expected {shape}.")
        variable = Variable(value, dtype=dtype, trainable=trainable and self._trainable,
                            name=name, path=f"{self.name}/{name}",
                            regularizer=regularizers.get(regularizer), constraint=constraint)
        variable._created_trainable = trainable
        self._own_variables.append(variable)
        return variable

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Freeze or unfreeze the layer, its weights and all its sublayers (as Keras 3)."""
        value = bool(value)
        self._trainable = value
        for v in self._own_variables:
            if v._created_trainable:
                v.trainable = value
        for layer in self._layers:
            layer.trainable = value

    def _flatten_layers(self, include_self: bool = True) -> list:
        """This layer and all sublayers, depth first, each once."""
        result, seen, stack = [], set(), [self] if include_self else list(reversed(self._layers))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            result.append(layer)
            stack.extend(reversed(layer._layers))
        return result

    @property
    def weights(self) -> list:
        """All variables: own trainable, own non-trainable, then sublayers' (as Keras)."""
        own = [v for v in self._own_variables if v.trainable] + \
              [v for v in self._own_variables if not v.trainable]
        seen = {id(v) for v in own}
        result = list(own)
        for layer in self._layers:
            for v in layer.weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    result.append(v)
        return result

    variables = weights

    @property
    def trainable_weights(self) -> list:
        return [v for v in self.weights if v.trainable] if self._trainable else []

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self) -> list:
        if not self._trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    non_trainable_variables = non_trainable_weights

    def get_weights(self) -> list:
        """Copies of all weight arrays, in ``weights`` order."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights) -> None:
        """Load arrays into the weights (same order and shapes as ``get_weights()``)."""
        own = self.weights
        weights = list(weights)
        if len(weights) != len(own):
            raise ValueError(
                f"Layer '{self.name}' expects {len(own)} weight arrays "
                f"{[v.shape for v in own]}; received {len(weights)} arrays.")
        for variable, value in zip(own, weights):
            value = np.asarray(value)
            if value.shape != variable.shape:
                raise ValueError(
                    f"Layer '{self.name}' weight '{variable.name}' has shape {variable.shape}; "
                    f"received an array of shape {value.shape}.")
        for variable, value in zip(own, weights):
            variable.assign(value)

    def count_params(self) -> int:
        """Number of scalar weights (the layer must be built)."""
        if not self.built:
            raise ValueError(
                f"You tried to call count_params() on layer '{self.name}', but the layer isn't "
                "built. You can build it manually via: "
                f"`{self.name}.build(batch_input_shape)`.")
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    # --- losses ---------------------------------------------------------------------------
    def add_loss(self, loss) -> None:
        """Add a scalar tensor to the training loss (e.g. an activity penalty)."""
        self._losses.append(loss)

    @property
    def losses(self) -> list:
        """Losses added with ``add_loss`` in the last call, plus the weight penalties."""
        result = []
        for layer in self._flatten_layers():
            result.extend(layer._losses)
            for v in layer._own_variables:
                if v.regularizer is not None:
                    result.append(v.regularizer(v))
        return result

    # --- building -------------------------------------------------------------------------
    def build(self, input_shape) -> None:
        """Create the weights for inputs of ``input_shape``; the default has none."""
        self.built = True

    def _maybe_build(self, input_shapes) -> None:
        if self.built:
            return
        shape = input_shapes[0] if len(input_shapes) == 1 else input_shapes
        self.build(shape)
        self.built = True
        self._build_shape = shape

    def compute_output_shape(self, input_shape):
        """Output shape for ``input_shape``; layers whose shape is not obvious override it."""
        raise NotImplementedError

    def compute_mask(self, inputs, mask=None):
        """The mask to attach to the outputs (passes the input mask through if supported)."""
        return mask if self.supports_masking else None

    # --- calling --------------------------------------------------------------------------
    def call(self, inputs, *args, **kwargs):
        return inputs

    def __call__(self, *args, **kwargs):
        first = args[0] if args else kwargs.get("inputs")
        # The common eager case (one array or Tensor, maybe training/mask) skips the
        # structure walks: it runs for every layer on every training step.
        simple = len(args) == 1 and type(first) in (Tensor, np.ndarray) and (
            not kwargs or kwargs.keys() <= {"training", "mask"})
        if not simple and is_symbolic((args, kwargs)):
            return self._symbolic_call(args, kwargs)
        if not args:
            args = (kwargs.pop("inputs"),)
        dtype = self.compute_dtype if self.autocast else None
        if simple:
            inputs = _to_tensor(first, dtype, self.integer_inputs)
            flat_inputs = (inputs,)
        else:
            inputs = map_structure(lambda x: _to_tensor(x, dtype, self.integer_inputs), args[0])
            flat_inputs = flatten_structure(inputs)
        args = (inputs,) + args[1:]
        if not self.built:
            shapes = [tuple(x.shape) for x in flat_inputs if isinstance(x, Tensor)]
            self._maybe_build(shapes)
        mask = kwargs.get("mask")
        if mask is None:
            masks = [getattr(x, "_keras_mask", None) for x in flat_inputs]
            if any(m is not None for m in masks):
                mask = masks[0] if len(masks) == 1 else masks
        if self._call_takes_mask:
            if mask is not None:
                kwargs["mask"] = mask
        else:
            kwargs.pop("mask", None)
        training = kwargs.get("training")
        if training is None:
            training = CallContext.training
        outer = CallContext.training
        CallContext.training = training
        try:
            if self._call_takes_training:
                kwargs["training"] = training
            else:
                kwargs.pop("training", None)
            if self._losses:
                self._losses = []
            outputs = self.call(*args, **kwargs)
        finally:
            CallContext.training = outer
        if mask is not None or type(self).compute_mask is not Layer.compute_mask:
            out_mask = self.compute_mask(inputs, mask)
            if out_mask is not None:
                out_mask = out_mask.data if isinstance(out_mask, Tensor) else out_mask
                for out in ((outputs,) if type(outputs) is Tensor
                            else flatten_structure(outputs)):
                    if isinstance(out, Tensor):
                        out._keras_mask = out_mask
        if self.activity_regularizer is not None:
            for out in flatten_structure(outputs):
                self._losses.append(self.activity_regularizer(out) / out.shape[0])
        return outputs

    def _symbolic_call(self, args, kwargs):
        if not args:
            args = (kwargs.pop("inputs"),)
        kwargs.pop("training", None)
        if not self.built:
            shapes = [x.shape for x in flatten_structure(args[0]) if isinstance(x, KerasTensor)]
            self._maybe_build(shapes)
        outputs = self.compute_output_spec(*args, **kwargs)
        node = GraphNode(self, args, kwargs, outputs)
        for i, out in enumerate(node.output_tensors):
            out._keras_history = (self, len(self._inbound_nodes), i)
        self._inbound_nodes.append(node)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """Symbolic outputs for symbolic inputs: from ``compute_output_shape`` if the layer
        defines it, else by running ``call`` on zeros (unknown sizes tried at two values)."""
        inputs = args[0]
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = map_structure(lambda t: t.shape, inputs)
            return _specs_from_shapes(self.compute_output_shape(shapes), self.dtype)
        return _infer_by_running(self, args, kwargs)

    # --- functional-API accessors -------------------------------------------------------
    def _single_node(self, what: str) -> GraphNode:
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer '{self.name}' has no defined {what}: it has not been called on a "
                "symbolic input yet (build the model with an Input or input_shape first).")
        return self._inbound_nodes[0]

    @property
    def input(self):
        node = self._single_node("input")
        args = node.call_args
        return args[0] if len(args) == 1 else list(args)

    @property
    def output(self):
        return self._single_node("output").outputs

    # --- configuration --------------------------------------------------------------------
    def get_config(self) -> dict:
        return {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def _make_rng(self, seed):
        return make_generator(seed)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _dtype_name(dtype) -> str:
    if isinstance(dtype, dict):  # a Keras dtype-policy config
        dtype = dtype.get("config", {}).get("name", "float32")
    return str(np.dtype(dtype))


def _shape_arg(shape) -> tuple:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return to_tuple_shape(shape)


def _specs_from_shapes(shape, dtype):
    if isinstance(shape, list) or (isinstance(shape, tuple) and shape and
                                   isinstance(shape[0], (tuple, list))):
        return [KerasTensor(s, dtype) for s in shape]
    return KerasTensor(shape, dtype)


def _infer_by_running(layer: Layer, args, kwargs):
    """Run ``call`` on zeros; dimensions that change with the unknown sizes become None."""

    def concrete(size):
        def make(t):
            if not isinstance(t, KerasTensor):
                return t
            shape = tuple(1 if i == 0 and d is None else (size if d is None else d)
                          for i, d in enumerate(t.shape))
            dtype = "float32" if t.dtype == "string" else t.dtype
            return Tensor(np.zeros(shape, dtype=dtype))
        return make

    has_unknown = any(d is None for t in flatten_structure(args) if isinstance(t, KerasTensor)
                      for d in t.shape[1:])
    outputs = []
    with no_grad():
        for size in ((2, 3) if has_unknown else (2,)):
            call_args = map_structure(concrete(size), args)
            call_kwargs = map_structure(concrete(size), kwargs)
            outer = CallContext.training
            CallContext.training = False
            try:
                if layer._call_takes_training:
                    call_kwargs["training"] = False
                outputs.append(layer.call(*call_args, **call_kwargs))
            finally:
                CallContext.training = outer

    def spec(*results):
        shapes = [r.shape for r in results]
        shape = tuple(None if i == 0 or len({s[i] for s in shapes}) > 1 else shapes[0][i]
                      for i in range(len(shapes[0])))
        return KerasTensor(shape, str(results[0].dtype))

    if len(outputs) == 1:
        return map_structure(lambda r: spec(r), outputs[0])
    flat = [flatten_structure(o) for o in outputs]
    specs = iter([spec(*group) for group in zip(*flat)])
    return map_structure(lambda _: next(specs), outputs[0])
