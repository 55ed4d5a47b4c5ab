"""Lambda: wrap a Python function of tensors as a layer.

Example:
    >>> Lambda(lambda x: x * 2)(np.ones((1, 2))).numpy()
    array([[2., 2.]], dtype=float32)
"""

from __future__ import annotations

from glassnet.layers.layer import Layer


class Lambda(Layer):
    """``function(inputs)`` as a layer.  Its code is not saved in model files: pass the
    function again through ``custom_objects`` when loading."""

    integer_inputs = True

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape
        self.built = True

    def call(self, inputs):
        return self.function(inputs, **self.arguments)

    def get_config(self) -> dict:
        return {**super().get_config(), "function": getattr(self.function, "__name__", "lambda"),
                "arguments": self.arguments}
