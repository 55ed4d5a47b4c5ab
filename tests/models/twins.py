"""Build one model twice, with glassnet and with Keras 3 (torch backend), from the same
code and with the same weights, then compare outputs, gradients and summaries.

A build function takes ``(K, L)``: the library (``glassnet`` or ``keras``) and its layers
namespace, so one function describes both models.
"""

from __future__ import annotations

import importlib
import types

import numpy as np

import glassnet
from glassnet.core.symbolic import flatten_structure, map_structure
from glassnet.utils.naming import reset_names

_EXTRA_MODULES = ("glassnet.layers.merging", "glassnet.layers.convolutional",
                  "glassnet.layers.pooling", "glassnet.layers.normalization",
                  "glassnet.layers.reshaping.upsampling")


def glassnet_layers():
    """glassnet.layers plus the layer modules it may not export yet."""
    names = {name: getattr(glassnet.layers, name) for name in dir(glassnet.layers)}
    for module_name in _EXTRA_MODULES:
        module = importlib.import_module(module_name)
        for name in dir(module):
            if not name.startswith("_"):
                names.setdefault(name, getattr(module, name))
    return types.SimpleNamespace(**names)


def build_pair(keras, build, seed: int = 0):
    """(glassnet model, Keras model): same code, fresh automatic names for each, and the
    Keras model's weights, randomised so biases are not zero, copied into glassnet's."""
    reset_names()
    ours = build(glassnet, glassnet_layers())
    keras.backend.clear_session()
    theirs = build(keras, keras.layers)
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, 0.5, size=tuple(w.shape)).astype(np.float32)
               for w in theirs.get_weights()]
    theirs.set_weights(weights)
    assert [tuple(w.shape) for w in ours.get_weights()] == [w.shape for w in weights]
    ours.set_weights(weights)
    return ours, theirs


def glassnet_grads(model, inputs, seeds):
    """Outputs, gradients w.r.t. the inputs and the trainable weights of sum(out * seed)."""
    tensors = map_structure(lambda x: glassnet.Tensor(x, requires_grad=True), inputs)
    flat_inputs = flatten_structure(tensors)
    with glassnet.GradientTape() as tape:
        outputs = flatten_structure(model(tensors))
        loss = sum(glassnet.ops.sum(out * seed) for out, seed in zip(outputs, seeds))
    grads = tape.gradient(loss, flat_inputs + list(model.trainable_weights))
    grads = [g.numpy() for g in grads]
    return ([o.numpy() for o in outputs], grads[:len(flat_inputs)],
            grads[len(flat_inputs):])


def keras_grads(keras, torch, model, inputs, seeds):
    """The same with torch autograd through the Keras model."""
    tensors = map_structure(lambda x: torch.tensor(x, requires_grad=True), inputs)
    flat_inputs = flatten_structure(tensors)
    outputs = keras.tree.flatten(model(tensors))
    loss = sum((out * torch.tensor(seed)).sum() for out, seed in zip(outputs, seeds))
    loss.backward()
    weight_grads = [v.value.grad.detach().numpy() for v in model.trainable_weights]
    return ([o.detach().numpy() for o in outputs], [t.grad.numpy() for t in flat_inputs],
            weight_grads)


def assert_same_values_and_grads(keras, torch, ours, theirs, inputs, tol=1e-5, seed=1):
    """Outputs and every gradient agree within ``tol`` (float32 throughout)."""
    rng = np.random.default_rng(seed)
    out_shapes = [tuple(o.shape) for o in flatten_structure(
        map_structure(lambda t: t, ours.predict(inputs, verbose=0)))]
    seeds = [rng.normal(size=s).astype(np.float32) for s in out_shapes]
    got = glassnet_grads(ours, inputs, seeds)
    want = keras_grads(keras, torch, theirs, inputs, seeds)
    for what, ours_part, theirs_part in zip(("outputs", "input grads", "weight grads"),
                                            got, want):
        assert len(ours_part) == len(theirs_part), what
        for a, b in zip(ours_part, theirs_part):
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=what)


def summary_text(model, **kwargs) -> str:
    received = []
    model.summary(print_fn=lambda *args, **kw: received.append(args[0]), **kwargs)
    return "".join(received)
