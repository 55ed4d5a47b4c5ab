"""One small model per layer type, for the save / load round trip.

``CASES`` maps a layer class name to a function returning ``(model, x, y, loss)``.
Layers are looked up by name in ``glassnet.layers`` and, until they are exported there, in
the module that defines them, so every layer type is covered whether or not it is
exported yet.
"""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np

import glassnet
from glassnet.saving import register_keras_serializable


@register_keras_serializable(package="tests")
def double_it(x):
    return x * 2.0


def all_layer_classes() -> dict:
    """Every public layer class glassnet defines (or exports), by name."""
    import glassnet.layers as package
    from glassnet.layers.layer import LAYER_CLASSES, Layer

    for module in pkgutil.walk_packages(package.__path__, "glassnet.layers."):
        importlib.import_module(module.name)
    # Base classes (``_Private``, ``BaseConv``, those of ``base_*.py`` modules) are skipped.
    found = {name: cls for name, cls in LAYER_CLASSES.items()
             if cls.__module__.startswith(("glassnet.layers.", "glassnet.models."))
             and not name.startswith(("_", "Base"))
             and not cls.__module__.rsplit(".", 1)[-1].startswith("base_")}
    for name in getattr(package, "__all__", dir(package)):
        value = getattr(package, name, None)
        if isinstance(value, type) and issubclass(value, Layer) and value is not Layer:
            found[name] = value
    return found


def layer(name: str):
    return all_layer_classes()[name]


def _rng():
    return np.random.default_rng(11)


def _vectors(features=4, n=12):
    rng = _rng()
    return rng.normal(size=(n, features)).astype("float32")


def _sequences(steps=5, features=3, n=12):
    return _rng().normal(size=(n, steps, features)).astype("float32")


def _images(size=6, channels=2, n=8):
    return _rng().normal(size=(n, size, size, channels)).astype("float32")


def _stack(input_shape, layers, x, outputs=2, dtype="float32"):
    model = glassnet.Sequential([glassnet.layers.Input(input_shape, dtype=dtype)] + layers +
                                [glassnet.layers.Flatten(), glassnet.layers.Dense(outputs)])
    y = _rng().normal(size=(len(x), outputs)).astype("float32")
    return model, x, y, "mse"


def _on_vectors(*layers):
    return lambda: _stack((4,), [glassnet.layers.Dense(5)] + list(layers), _vectors())


def _on_sequences(*layers):
    return lambda: _stack((5, 3), list(layers), _sequences())


def _on_images(*layers):
    return lambda: _stack((6, 6, 2), list(layers), _images())


def _embedding():
    x = _rng().integers(1, 10, size=(12, 5))
    return _stack((5,), [layer("Embedding")(10, 3, mask_zero=False)], x, dtype="int64")


def _attention(name):
    def build():
        query = glassnet.layers.Input((4, 3), name="query")
        value = glassnet.layers.Input((5, 3), name="value")
        mixed = layer(name)()([query, value])
        out = glassnet.layers.Dense(2)(glassnet.layers.Flatten()(mixed))
        model = glassnet.Model([query, value], out)
        rng = _rng()
        x = [rng.normal(size=(8, 4, 3)).astype("float32"),
             rng.normal(size=(8, 5, 3)).astype("float32")]
        return model, x, rng.normal(size=(8, 2)).astype("float32"), "mse"
    return build


def _multi_head_attention():
    inputs = glassnet.layers.Input((5, 4))
    attended = layer("MultiHeadAttention")(num_heads=2, key_dim=3, dropout=0.1)(inputs, inputs)
    out = glassnet.layers.Dense(1)(glassnet.layers.Flatten()(attended))
    x = _sequences(5, 4, 8)
    return glassnet.Model(inputs, out), x, _rng().normal(size=(8, 1)).astype("float32"), "mse"


def _nested_sequential():
    inner = glassnet.Sequential([glassnet.layers.Input((4,)), glassnet.layers.Dense(3),
                                 glassnet.layers.Dropout(0.2, seed=3)], name="inner")
    inputs = glassnet.layers.Input((4,))
    out = glassnet.layers.Dense(2)(inner(inputs))
    x = _vectors()
    return glassnet.Model(inputs, out), x, _rng().normal(size=(12, 2)).astype("float32"), "mse"


def _nested_functional():
    inner_in = glassnet.layers.Input((5,))
    inner = glassnet.Model(inner_in, glassnet.layers.Dense(3, activation="relu")(inner_in),
                           name="inner_functional")
    model = glassnet.Sequential([glassnet.layers.Input((4,)), glassnet.layers.Dense(5),
                                 inner, glassnet.layers.Dense(2)])
    x = _vectors()
    return model, x, _rng().normal(size=(12, 2)).astype("float32"), "mse"


def _merge(name, **kwargs):
    def build():
        a = glassnet.layers.Input((4,), name="a")
        b = glassnet.layers.Input((4,), name="b")
        left = glassnet.layers.Dense(3, name="left")(a)
        right = glassnet.layers.Dense(3, name="right")(b)
        merged = layer(name)(**kwargs)([left, right])
        out = glassnet.layers.Dense(2)(glassnet.layers.Flatten()(merged))
        rng = _rng()
        x = [rng.normal(size=(8, 4)).astype("float32"), rng.normal(size=(8, 4)).astype("float32")]
        return glassnet.Model([a, b], out), x, rng.normal(size=(8, 2)).astype("float32"), "mse"
    return build


def _text_vectorization():
    texts = np.array(["the cat sat", "a dog ran far", "the dog sat", "cats and dogs",
                      "a cat ran", "far far away", "the end", "dog"])
    vectorize = layer("TextVectorization")(max_tokens=20, output_sequence_length=4)
    vectorize.adapt(texts)
    model = glassnet.Sequential([glassnet.layers.Input((1,), dtype="string"), vectorize,
                                 layer("Embedding")(20, 3), glassnet.layers.Flatten(),
                                 glassnet.layers.Dense(2)])
    return model, texts[:, None], _rng().normal(size=(8, 2)).astype("float32"), "mse"


def _masked_lstm():
    x = _sequences()
    x[:, -2:] = 0.0
    return _stack((5, 3), [layer("Masking")(0.0), layer("LSTM")(4)], x)


CASES = {
    "InputLayer": lambda: _on_vectors()(),
    "Dense": lambda: _on_vectors(glassnet.layers.Dense(3, activation="tanh",
                                                       kernel_regularizer="l2"))(),
    "Dropout": lambda: _on_vectors(glassnet.layers.Dropout(0.3))(),
    "Activation": lambda: _on_vectors(glassnet.layers.Activation("softplus"))(),
    "ReLU": lambda: _on_vectors(glassnet.layers.ReLU(max_value=2.0))(),
    "LeakyReLU": lambda: _on_vectors(glassnet.layers.LeakyReLU(0.2))(),
    "ELU": lambda: _on_vectors(glassnet.layers.ELU())(),
    "Softmax": lambda: _on_vectors(glassnet.layers.Softmax())(),
    "Flatten": lambda: _on_sequences()(),
    "Reshape": lambda: _on_vectors(glassnet.layers.Reshape((5, 1)))(),
    "Lambda": lambda: _on_vectors(glassnet.layers.Lambda(double_it))(),
    "Embedding": _embedding,
    "Conv1D": lambda: _on_sequences(layer("Conv1D")(4, 3, padding="same", activation="relu"))(),
    "Conv2D": lambda: _on_images(layer("Conv2D")(3, 3, strides=2))(),
    "Conv1DTranspose": lambda: _on_sequences(layer("Conv1DTranspose")(2, 3, strides=2))(),
    "Conv2DTranspose": lambda: _on_images(layer("Conv2DTranspose")(2, 2, strides=2))(),
    "DepthwiseConv2D": lambda: _on_images(layer("DepthwiseConv2D")(3, depth_multiplier=2))(),
    "SeparableConv2D": lambda: _on_images(layer("SeparableConv2D")(3, 3, padding="same"))(),
    "MaxPooling1D": lambda: _on_sequences(layer("MaxPooling1D")(2))(),
    "MaxPooling2D": lambda: _on_images(layer("MaxPooling2D")())(),
    "AveragePooling1D": lambda: _on_sequences(layer("AveragePooling1D")(2, padding="same"))(),
    "AveragePooling2D": lambda: _on_images(layer("AveragePooling2D")(3))(),
    "GlobalMaxPooling1D": lambda: _on_sequences(layer("GlobalMaxPooling1D")())(),
    "GlobalMaxPooling2D": lambda: _on_images(layer("GlobalMaxPooling2D")())(),
    "GlobalAveragePooling1D": lambda: _on_sequences(layer("GlobalAveragePooling1D")())(),
    "GlobalAveragePooling2D": lambda: _on_images(layer("GlobalAveragePooling2D")(
        keepdims=True))(),
    "BatchNormalization": lambda: _on_images(layer("BatchNormalization")(momentum=0.5))(),
    "LayerNormalization": lambda: _on_sequences(layer("LayerNormalization")())(),
    "SpatialDropout1D": lambda: _on_sequences(layer("SpatialDropout1D")(0.3))(),
    "SpatialDropout2D": lambda: _on_images(layer("SpatialDropout2D")(0.3, seed=5))(),
    "Cropping1D": lambda: _on_sequences(layer("Cropping1D")((1, 2)))(),
    "Cropping2D": lambda: _on_images(layer("Cropping2D")(((1, 0), (0, 2))))(),
    "RepeatVector": lambda: _on_vectors(layer("RepeatVector")(3))(),
    "UpSampling1D": lambda: _on_sequences(layer("UpSampling1D")(2))(),
    "UpSampling2D": lambda: _on_images(layer("UpSampling2D")((2, 1)))(),
    "ZeroPadding1D": lambda: _on_sequences(layer("ZeroPadding1D")(2))(),
    "ZeroPadding2D": lambda: _on_images(layer("ZeroPadding2D")(((1, 0), (2, 1))))(),
    "SimpleRNN": lambda: _on_sequences(layer("SimpleRNN")(4, return_sequences=True))(),
    "LSTM": lambda: _on_sequences(layer("LSTM")(4, dropout=0.2, recurrent_dropout=0.1))(),
    "GRU": lambda: _on_sequences(layer("GRU")(3, go_backwards=True))(),
    "Bidirectional": lambda: _on_sequences(layer("Bidirectional")(layer("GRU")(2)))(),
    "TimeDistributed": lambda: _on_sequences(layer("TimeDistributed")(
        glassnet.layers.Dense(2)))(),
    "Masking": _masked_lstm,
    "TextVectorization": _text_vectorization,
    "Attention": _attention("Attention"),
    "AdditiveAttention": _attention("AdditiveAttention"),
    "MultiHeadAttention": _multi_head_attention,
    "Add": _merge("Add"),
    "Subtract": _merge("Subtract"),
    "Multiply": _merge("Multiply"),
    "Average": _merge("Average"),
    "Maximum": _merge("Maximum"),
    "Minimum": _merge("Minimum"),
    "Concatenate": _merge("Concatenate", axis=-1),
    "Dot": _merge("Dot", axes=1, normalize=True),
    "Sequential": _nested_sequential,
    "Model": _nested_functional,
}
