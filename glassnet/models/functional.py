"""FunctionalGraph: the recorded layer calls between a model's inputs and outputs, in an
order that can be replayed on real data.

Example:
    >>> inputs = Input(shape=(4,))
    >>> outputs = Dense(2)(Dense(8)(inputs))
    >>> graph = FunctionalGraph(inputs, outputs)
    >>> [layer.name for layer in graph.layers]
    ['input_layer', 'dense', 'dense_1']
"""

from __future__ import annotations

from glassnet.core.symbolic import KerasTensor, flatten_structure, map_structure


class FunctionalGraph:
    """The nodes needed to compute ``outputs`` from ``inputs``, in creation order."""

    def __init__(self, inputs, outputs):
        self.inputs = inputs
        self.outputs = outputs
        self.flat_inputs = flatten_structure(inputs)
        self.flat_outputs = flatten_structure(outputs)
        for t in self.flat_inputs + self.flat_outputs:
            if not isinstance(t, KerasTensor):
                raise TypeError(
                    "Model(inputs, outputs) expects symbolic tensors made with Input() and "
                    f"layer calls; received {t!r} of type {type(t).__name__}.")
        input_ids = {id(t) for t in self.flat_inputs}
        self.nodes = self._collect(input_ids)
        self.input_layers = [t._keras_history[0] for t in self.flat_inputs]
        layers = list(self.input_layers)
        for node in self.nodes:
            if not any(node.layer is seen for seen in layers):
                layers.append(node.layer)
        self.layers = layers

    def _collect(self, input_ids: set) -> list:
        """Nodes reachable backwards from the outputs, stopping at the inputs."""
        found = {}
        stack = [t for t in self.flat_outputs if id(t) not in input_ids]
        while stack:
            tensor = stack.pop()
            if tensor._keras_history is None:
                raise ValueError(f"Tensor {tensor.name} was not produced by a layer call.")
            node = tensor.node
            if id(node) in found:
                continue
            if node.is_input:
                raise ValueError(
                    "Graph disconnected: cannot obtain value for "
                    f"'{tensor.name}' (from input layer '{node.layer.name}'), which is not among "
                    "the model's inputs. Pass it to Model(inputs=...).")
            found[id(node)] = node
            stack.extend(t for t in node.input_tensors if id(t) not in input_ids)
        return sorted(found.values(), key=lambda n: n.seq)

    def run(self, inputs, training=None):
        """Replay the graph on real tensors; returns outputs shaped like ``self.outputs``."""
        given = flatten_structure(inputs) if not isinstance(inputs, dict) else [
            inputs[t._keras_history[0].name] for t in self.flat_inputs]
        if len(given) != len(self.flat_inputs):
            raise ValueError(
                f"This model expects {len(self.flat_inputs)} input(s) "
                f"{[t.shape for t in self.flat_inputs]}; received {len(given)}.")
        values = {id(t): v for t, v in zip(self.flat_inputs, given)}

        def lookup(t):
            return values[id(t)] if isinstance(t, KerasTensor) else t

        for node in self.nodes:
            args = map_structure(lookup, node.call_args)
            kwargs = map_structure(lookup, node.call_kwargs)
            if training is not None:
                kwargs["training"] = training
            outputs = node.layer(*args, **kwargs)
            for t, value in zip(node.output_tensors, flatten_structure(outputs)):
                values[id(t)] = value
        return map_structure(lookup, self.outputs)
