"""gradcheck(): float64 central differences agree with backprop, and catch a wrong backward."""

import numpy as np
import pytest

import glassnet as gn
from glassnet.core.op import Op
from glassnet.inspect import gradcheck


def _mlp():
    gn.utils.set_random_seed(0)
    model = gn.Sequential([gn.layers.Input((5,)), gn.layers.Dense(7, activation="tanh"),
                           gn.layers.Dropout(0.4), gn.layers.Dense(6, activation="relu"),
                           gn.layers.Dense(4, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def _data(n=10):
    rng = np.random.default_rng(1)
    return rng.standard_normal((n, 5)).astype("float32"), rng.integers(0, 4, n)


def test_backprop_agrees_with_central_differences():
    model = _mlp()
    x, y = _data()
    model.train_on_batch(x, y)  # the optimizer now owns the weights' memory
    arrays = [w.data for w in model.weights]
    before = model.get_weights()
    result = gradcheck(model, x, y, samples=None)
    assert result.max_error < 1e-7, str(result)
    assert set(result.worst) == {"dense", "dense_1", "dense_2"}
    assert [c.checked for c in result.checks] == [35, 7, 42, 6, 24, 4]
    # the model is as it was: same arrays (still the optimizer's views), float32, same values
    assert all(w.data is a for w, a in zip(model.weights, arrays))
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert all(layer.compute_dtype == np.float32 for layer in model.layers)


def test_the_check_runs_in_float64():
    model = _mlp()
    x, y = _data()
    # float32 central differences could not get below about 1e-3 with eps=1e-6
    result = gradcheck(model, x, y, samples=5)
    assert result.max_error < 1e-7
    assert [c.checked for c in result.checks] == [5, 5, 5, 5, 5, 4]


class _SquareWithWrongBackward(Op):
    label = "square_with_wrong_backward"

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, grad):
        return (grad * self.x,)  # the factor 2 is missing


class _Square(gn.layers.Layer):
    def call(self, inputs):
        return _SquareWithWrongBackward()(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape


def test_a_wrong_backward_is_reported_at_the_layers_below_it():
    gn.utils.set_random_seed(0)
    model = gn.Sequential([gn.layers.Input((5,)), gn.layers.Dense(3), _Square(),
                           gn.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, _ = _data()
    y = np.ones((10, 1), "float32")
    result = gradcheck(model, x, y)
    assert result.worst["dense"] > 0.3  # about 1/2: the gradient is half what it should be
    assert result.worst["dense_1"] < 1e-7  # above the broken op everything is right
    assert not result.passed()
    text = str(result)
    assert "dense    kernel" in text and "worst per layer" in text


class _Centre(gn.layers.Layer):
    """Subtracts the batch mean: the bias before it gets an exactly zero gradient."""

    def call(self, inputs):
        return inputs - inputs.mean(axis=0, keepdims=True)

    def compute_output_shape(self, input_shape):
        return input_shape


def test_an_exactly_zero_gradient_is_not_reported_as_wrong():
    gn.utils.set_random_seed(0)
    model = gn.Sequential([gn.layers.Input((5,)), gn.layers.Dense(3), _Centre(),
                           gn.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    x, y = _data()
    result = gradcheck(model, x, (y > 1).astype("float32"))
    bias = next(c for c in result.checks if c.layer == "dense" and c.weight == "bias")
    assert bias.max_abs_error < 1e-12  # both gradients are zero up to rounding
    assert result.passed(1e-6), str(result)
