"""Feature maps from a trained Sequential model, the way the books get them:
``Model(model.inputs, model.layers[i].output)`` (HG 8-3), checked against the same
convolution, ReLU and pooling computed by hand with NumPy from the layer's weights."""

from __future__ import annotations

import numpy as np

import glassnet
from glassnet import layers
from glassnet.layers.convolutional import Conv2D
from glassnet.layers.pooling import MaxPooling2D


def conv2d_by_hand(x, kernel, bias, padding):
    """Keras's Conv2D (stride 1, channels last) as a sum over the kernel offsets."""
    kh, kw = kernel.shape[:2]
    if padding == "same":
        x = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    out_h, out_w = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    out = np.zeros((x.shape[0], out_h, out_w, kernel.shape[-1]))
    for i in range(kh):
        for j in range(kw):
            out += x[:, i:i + out_h, j:j + out_w, :].astype(np.float64) @ kernel[i, j]
    return out + bias


def max_pool_by_hand(x, size=2):
    n, h, w, c = x.shape
    h, w = h // size, w // size
    return x[:, :h * size, :w * size].reshape(n, h, size, w, size, c).max(axis=(2, 4))


def test_feature_maps_of_a_trained_cnn_equal_hand_computation():
    glassnet.utils.set_random_seed(0)
    model = glassnet.Sequential([
        layers.Input(shape=(12, 12, 1)),
        Conv2D(4, kernel_size=3, activation="relu", padding="same"),
        MaxPooling2D(2),
        Conv2D(6, kernel_size=3, activation="relu"),
        layers.Flatten(),
        layers.Dense(3, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.random((48, 12, 12, 1)).astype(np.float32)
    model.fit(x, rng.integers(0, 3, 48), epochs=2, batch_size=16, verbose=0)

    conv_acti = glassnet.Model(model.inputs[0], model.layers[0].output)
    assert conv_acti.output_shape == (None, 12, 12, 4)
    maps = conv_acti.predict(x[:5], verbose=0)
    kernel, bias = model.layers[0].get_weights()
    first = np.maximum(conv2d_by_hand(x[:5], kernel, bias, "same"), 0)
    np.testing.assert_allclose(maps, first, rtol=1e-5, atol=1e-6)

    deeper = glassnet.Model(model.inputs, model.layers[2].output)
    kernel2, bias2 = model.layers[2].get_weights()
    second = np.maximum(conv2d_by_hand(max_pool_by_hand(first), kernel2, bias2, "valid"), 0)
    np.testing.assert_allclose(deeper.predict(x[:5], verbose=0), second, rtol=1e-5, atol=1e-5)
    # The extractors share the trained layers: no copies of the weights.
    assert deeper.layers[1] is model.layers[0] and len(deeper.weights) == 4
