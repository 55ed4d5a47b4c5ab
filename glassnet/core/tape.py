"""Back-propagation: walk the recorded nodes from a result back to its inputs.

The walk is iterative (no recursion, so a 1,000-step RNN graph is fine) and
deterministic: nodes are visited in descending creation order, which is a valid
reverse topological order.  After the walk the graph is freed unless
``retain_graph=True``.

Example:
    >>> import glassnet as gn
    >>> w = gn.Variable(np.ones((2, 1)))
    >>> loss = (gn.Tensor([[1.0, 2.0]]) @ w).sum()
    >>> gn.grad(loss, [w])[0]
    array([[1.], [2.]], dtype=float32)
"""

from __future__ import annotations

import contextlib

import numpy as np

from glassnet.core.op import GradMode
from glassnet.core.tensor import Tensor, as_array


@contextlib.contextmanager
def no_grad():
    """Run the block without recording nodes (inference, metric computation)."""
    previous = GradMode.enabled
    GradMode.enabled = False
    try:
        yield
    finally:
        GradMode.enabled = previous


def _collect_nodes(outputs) -> list:
    """All nodes reachable from ``outputs``, newest first."""
    seen = {}
    stack = [t.node for t in outputs if t.node is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        if node.op is None:
            raise RuntimeError(
                "This graph was already back-propagated and freed. "
                "Pass retain_graph=True to the first backward call to reuse it."
            )
        seen[id(node)] = node
        for tensor in node.inputs:
            if isinstance(tensor, Tensor) and tensor.node is not None and tensor.requires_grad:
                if id(tensor.node) not in seen:
                    stack.append(tensor.node)
    return sorted(seen.values(), key=lambda n: n.seq, reverse=True)


def run_backward(outputs, output_grads, wanted=(), retain_graph: bool = False) -> dict:
    """Propagate ``output_grads`` back from ``outputs``.

    Returns a dict ``id(tensor) -> gradient array`` for every leaf that requires a
    gradient and for every tensor in ``wanted`` (leaf or not).
    """
    grads = {}  # (id(node), output index) -> accumulated gradient
    leaf_grads = {}  # id(leaf tensor) -> gradient
    wanted_inner = {}  # (id(node), index) -> id(tensor) for non-leaf tensors asked for
    for t in wanted:
        if t.node is not None:
            wanted_inner[(id(t.node), t.index)] = id(t)
    results = {}
    for t, g in zip(outputs, output_grads):
        if t.node is None:
            if t.requires_grad:
                leaf_grads[id(t)] = g
            continue
        key = (id(t.node), t.index)
        grads[key] = g if key not in grads else grads[key] + g

    nodes = _collect_nodes(outputs)
    for node in nodes:
        nid = id(node)
        if node.n_outputs == 1:
            grad_out = grads.pop((nid, 0), None)
            if grad_out is None:
                continue
            if wanted_inner:
                target = wanted_inner.get((nid, 0))
                if target is not None:
                    results[target] = grad_out
        else:
            grad_out = [grads.pop((nid, i), None) for i in range(node.n_outputs)]
            if all(g is None for g in grad_out):
                continue
            for i, g in enumerate(grad_out):
                target = wanted_inner.get((nid, i))
                if target is not None and g is not None:
                    results[target] = g
        input_grads = node.op.backward(grad_out)
        for tensor, g in zip(node.inputs, input_grads):
            if g is None or not isinstance(tensor, Tensor) or not tensor.requires_grad:
                continue
            if tensor.node is None:
                key = id(tensor)
                previous = leaf_grads.get(key)
                leaf_grads[key] = g if previous is None else previous + g
            else:
                key = (id(tensor.node), tensor.index)
                previous = grads.get(key)
                grads[key] = g if previous is None else previous + g
        if not retain_graph:
            node.op = None
            node.inputs = ()
    results.update(leaf_grads)
    return results


def _seed_grads(outputs, grad_outputs):
    if grad_outputs is None:
        return [np.ones_like(t.data) for t in outputs]
    return [as_array(g, t.dtype) for t, g in zip(outputs, grad_outputs)]


def grad(loss, wrt, grad_output=None, retain_graph: bool = False) -> list:
    """Gradients of ``loss`` with respect to each tensor in ``wrt``, as NumPy arrays.

    ``loss`` may be a tensor or a list of tensors; ``grad_output`` seeds the
    back-propagation (ones by default).  A tensor that ``loss`` does not depend on
    gets a zero gradient.

    Example:
        >>> dw, db = glassnet.grad(loss, [layer.kernel, layer.bias])
    """
    outputs = list(loss) if isinstance(loss, (list, tuple)) else [loss]
    seeds = None if grad_output is None else (
        list(grad_output) if isinstance(grad_output, (list, tuple)) else [grad_output])
    single = isinstance(wrt, Tensor)
    wrt_list = [wrt] if single else list(wrt)
    found = run_backward(outputs, _seed_grads(outputs, seeds), wanted=wrt_list,
                         retain_graph=retain_graph)
    result = []
    for t in wrt_list:
        g = found.get(id(t))
        result.append(np.zeros_like(t.data) if g is None else _owned(g, result, seeds))
    return result[0] if single else result


def _owned(g: np.ndarray, earlier: list, seeds) -> np.ndarray:
    """``g`` as an array the caller may change in place: ops may return read-only broadcast
    views or pass one array to several inputs, so copy those."""
    shared = any(np.shares_memory(g, other) for other in earlier) or any(
        isinstance(s, np.ndarray) and np.shares_memory(g, s) for s in (seeds or ()))
    if shared or not g.flags.writeable:
        return np.array(g, copy=True)
    return g


def backward(loss, grad_output=None, retain_graph: bool = False) -> None:
    """Back-propagate from ``loss`` and add each leaf's gradient to its ``.grad``."""
    seeds = None if grad_output is None else [grad_output]
    leaves = {}
    stack = [loss]
    seen = set()
    # Find the leaves first so their gradients can be stored on them afterwards.
    while stack:
        t = stack.pop()
        if t.node is None:
            if t.requires_grad:
                leaves[id(t)] = t
            continue
        if id(t.node) in seen or t.node.op is None:
            continue
        seen.add(id(t.node))
        stack.extend(x for x in t.node.inputs if isinstance(x, Tensor) and x.requires_grad)
    found = run_backward([loss], _seed_grads([loss], seeds), retain_graph=retain_graph)
    for key, leaf in leaves.items():
        g = found.get(key)
        if g is not None:
            leaf.grad = np.array(g, copy=True) if leaf.grad is None else leaf.grad + g


class GradientTape:
    """Keras/TensorFlow-style context for custom training loops.

    glassnet records every op on tensors that require gradients, so the tape only
    marks the region and lets ``watch`` turn plain tensors into differentiable ones.

    Example:
        >>> with glassnet.GradientTape() as tape:
        ...     loss = loss_fn(y, model(x, training=True))
        >>> grads = tape.gradient(loss, model.trainable_weights)
        >>> optimizer.apply_gradients(zip(grads, model.trainable_weights))
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self.persistent = persistent
        self._used = False

    def __enter__(self) -> "GradientTape":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def watch(self, tensor) -> None:
        """Make ``tensor`` (or each tensor of a list) require a gradient."""
        for t in tensor if isinstance(tensor, (list, tuple)) else [tensor]:
            t.requires_grad = True

    def gradient(self, target, sources, output_gradients=None):
        """Gradients of ``target`` with respect to ``sources`` (a tensor or a list), as tensors."""
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only compute one gradient. "
                "Create it with GradientTape(persistent=True) to call gradient() again.")
        self._used = True
        grads = grad(target, sources, grad_output=output_gradients, retain_graph=self.persistent)
        if isinstance(sources, Tensor):
            return Tensor(grads)
        return [Tensor(g) for g in grads]
