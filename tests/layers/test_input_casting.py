"""What a layer does with the dtype of its input: floats and integers become the layer's
float dtype (Keras promotes integer inputs of Dense the same way), Embedding keeps its
integer indices, and a cast Tensor still carries gradients back."""

from __future__ import annotations

import numpy as np

import glassnet
from glassnet.core.tape import run_backward
from glassnet.core.tensor import Tensor
from glassnet.ops.shape import Cast


def test_cast_gradient_matches_central_differences():
    x = np.random.default_rng(0).standard_normal((3, 4))
    weights = np.random.default_rng(1).standard_normal((3, 4))
    op = Cast("float32")
    out = op.forward(x)
    assert out.dtype == np.float32
    grad = op.backward(weights.astype(np.float32))[0]
    assert grad.dtype == np.float64
    eps = 1e-3
    for index in [(0, 0), (1, 2), (2, 3)]:
        up, down = x.copy(), x.copy()
        up[index] += eps
        down[index] -= eps
        numeric = (np.sum(weights * op.forward(up)) - np.sum(weights * op.forward(down))) / (
            2 * eps)
        np.testing.assert_allclose(grad[index], numeric, rtol=1e-3)


def test_integer_inputs_of_dense_train_the_first_layer():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])  # int64, as the XOR lesson writes it
    y = np.array([[0], [1], [1], [0]])
    glassnet.utils.set_random_seed(0)
    model = glassnet.Sequential([glassnet.layers.Dense(8, activation="tanh", input_dim=2),
                                 glassnet.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=glassnet.optimizers.SGD(0.5), loss="binary_crossentropy")
    first = model.layers[0]
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert model.predict(x, verbose=0).dtype == np.float32
    assert first(x).data.dtype == np.float32
    kernel = first.kernel.numpy().copy()
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert not np.array_equal(kernel, first.kernel.numpy()), "the first Dense did not train"


def test_embedding_keeps_integer_indices():
    layer = glassnet.layers.Embedding(10, 3)
    out = layer(np.array([[1, 9]]))
    np.testing.assert_array_equal(out.numpy()[0, 1], layer.embeddings.numpy()[9])


def test_a_float64_tensor_into_a_float32_layer_gets_gradients():
    layer = glassnet.layers.Dense(2)
    x = Tensor(np.random.default_rng(2).standard_normal((3, 4)), requires_grad=True)
    out = layer(x)
    assert out.data.dtype == np.float32
    found = run_backward([out], [np.ones_like(out.data)])
    grad = found.get(id(x))
    assert grad is not None and grad.dtype == np.float64
    expected = np.ones((3, 2)) @ layer.kernel.numpy().T.astype(np.float64)
    np.testing.assert_allclose(grad, expected, rtol=1e-6)


def test_set_floatx_float64_trains_in_float64_like_keras(keras):
    rng = np.random.default_rng(0)
    x, y = rng.random((64, 4)), rng.integers(0, 3, 64)

    def build(K):
        model = K.Sequential([K.layers.Input((4,)), K.layers.Dense(8, activation="tanh"),
                              K.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=K.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
        return model

    previous = (glassnet.backend.floatx(), keras.backend.floatx())
    glassnet.backend.set_floatx("float64")
    keras.backend.set_floatx("float64")
    try:
        ours, theirs = build(glassnet), build(keras)
        theirs.set_weights(ours.get_weights())
        assert all(w.dtype == np.float64 for w in ours.get_weights())
        assert ours.predict(x, verbose=0).dtype == np.float64
        ours.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
        theirs.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    finally:
        glassnet.backend.set_floatx(previous[0])
        keras.backend.set_floatx(previous[1])
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=5e-6)  # measured 8e-7
