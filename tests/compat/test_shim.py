"""The import shim: every import style of the books resolves to glassnet; missing APIs say so."""

from __future__ import annotations

import importlib.util
import sys
import warnings

import numpy as np
import pytest

import glassnet
from glassnet import layers as glassnet_layers

from .conftest import run_python

# The import lines of the books (KERAS_API_USAGE.md section 2) and, for each, a name that
# must be the glassnet object of the same name.
BOOK_IMPORTS = [
    ("import tensorflow as tf", "tf.keras.layers.Dense", glassnet_layers.Dense),
    ("from keras.models import Sequential", "Sequential", glassnet.Sequential),
    ("from tensorflow import keras", "keras.Sequential", glassnet.Sequential),
    ("import keras", "keras.Model", glassnet.Model),
    ("from tensorflow.keras.layers import Dense", "Dense", glassnet_layers.Dense),
    ("from keras.layers import Dense", "Dense", glassnet_layers.Dense),
    ("from tensorflow.keras.models import Sequential", "Sequential", glassnet.Sequential),
    ("from tensorflow.keras import layers", "layers.Dropout", glassnet_layers.Dropout),
    ("from keras import layers", "layers.Flatten", glassnet_layers.Flatten),
    ("from keras.layers.core import Dense", "Dense", glassnet_layers.Dense),
    ("from keras.layers.core import Dropout, Activation", "Activation",
     glassnet_layers.Activation),
    ("from keras.utils import np_utils", "np_utils.to_categorical",
     glassnet.utils.to_categorical),
    ("from keras.utils.np_utils import to_categorical", "to_categorical",
     glassnet.utils.to_categorical),
    ("from tensorflow.keras.utils import to_categorical", "to_categorical",
     glassnet.utils.to_categorical),
    ("from keras import models", "models.Sequential", glassnet.Sequential),
    ("from keras import backend as K", "K.epsilon", glassnet.backend.epsilon),
    ("from tensorflow.keras.preprocessing.sequence import pad_sequences", "pad_sequences",
     glassnet.utils.pad_sequences),
    ("from keras.preprocessing import sequence", "sequence.pad_sequences",
     glassnet.utils.pad_sequences),
    ("from tensorflow.keras import optimizers", "optimizers.Adam", glassnet.optimizers.Adam),
    ("from keras.optimizers import RMSprop", "RMSprop", glassnet.optimizers.RMSprop),
    ("from tensorflow.keras import Input", "Input", glassnet.Input),
    ("from tensorflow.keras.models import Model", "Model", glassnet.Model),
    ("from keras import regularizers", "regularizers.l2", glassnet.regularizers.l2),
    ("from tensorflow.keras import metrics", "metrics.Mean", glassnet.metrics.Mean),
    ("import tensorflow.keras.utils", "tensorflow.keras.utils.to_categorical",
     glassnet.utils.to_categorical),
]


@pytest.mark.parametrize("statement, expression, expected", BOOK_IMPORTS,
                         ids=[s for s, _, _ in BOOK_IMPORTS])
def test_book_import_lines_give_glassnet_objects(shim, statement, expression, expected):
    namespace = {}
    exec(statement, namespace)
    assert eval(expression, namespace) is expected


@pytest.mark.parametrize("module, attribute, glassnet_module", [
    ("keras.callbacks", "ModelCheckpoint", "glassnet.callbacks"),
    ("keras.callbacks", "EarlyStopping", "glassnet.callbacks"),
    ("keras.datasets.mnist", "load_data", "glassnet.datasets.mnist"),
    ("keras.datasets.imdb", "load_data", "glassnet.datasets.imdb"),
    ("keras.datasets.reuters", "load_data", "glassnet.datasets.reuters"),
    ("tensorflow.keras.datasets.fashion_mnist", "load_data", "glassnet.datasets.fashion_mnist"),
    ("keras.preprocessing.text", "Tokenizer", "glassnet.preprocessing.text"),
    ("tensorflow.keras.preprocessing.image", "ImageDataGenerator",
     "glassnet.preprocessing.image"),
    ("keras.preprocessing.image", "load_img", "glassnet.utils.image_utils"),
    ("keras.losses", "binary_crossentropy", "glassnet.losses"),
    ("keras.initializers", "Constant", "glassnet.initializers"),
    ("keras.activations", "relu", "glassnet.activations"),
    ("keras.utils", "plot_model", "glassnet.utils.model_visualization"),
    ("keras.utils", "img_to_array", "glassnet.utils.image_utils"),
    ("keras.utils.vis_utils", "plot_model", "glassnet.utils.model_visualization"),
    ("keras.models", "load_model", "glassnet.models"),
])
def test_module_paths_resolve(shim, module, attribute, glassnet_module):
    imported = importlib.import_module(module)
    expected = getattr(importlib.import_module(glassnet_module), attribute)
    assert getattr(imported, attribute) is expected


def test_layers_of_all_families_resolve(shim):
    from tensorflow.keras import layers
    for name in ("Conv2D", "MaxPooling2D", "MaxPool2D", "Conv1D", "MaxPooling1D", "Embedding",
                 "LSTM", "GRU", "SimpleRNN", "BatchNormalization", "UpSampling2D", "Reshape",
                 "LeakyReLU", "Bidirectional", "Conv2DTranspose", "GlobalMaxPooling1D"):
        layer_class = getattr(layers, name)
        assert layer_class.__module__.startswith("glassnet.layers."), name
        assert issubclass(layer_class, glassnet.Layer)


def test_old_module_paths(shim):
    import keras.layers.recurrent
    import keras.utils.vis_utils
    from glassnet.utils.model_visualization import plot_model
    assert keras.layers.recurrent.LSTM.__name__ == "LSTM"
    assert keras.utils.vis_utils.plot_model is plot_model


def test_version_strings(shim):
    import keras
    import tensorflow as tf
    assert tf.__version__ == "glassnet-compat"
    assert keras.__version__ == glassnet.__version__
    assert tf.keras.__version__ == glassnet.__version__


def test_seeding_calls_make_initial_weights_repeat(shim):
    import tensorflow as tf
    from tensorflow.keras.layers import Dense

    def first_kernel(seed_call):
        seed_call(7)
        layer = Dense(4)
        layer.build((None, 3))
        return layer.kernel.numpy()

    reference = first_kernel(tf.random.set_seed)
    for seed_call in (tf.random.set_seed, tf.set_random_seed,
                      tf.compat.v1.set_random_seed):
        np.testing.assert_array_equal(first_kernel(seed_call), reference)
    assert not np.array_equal(first_kernel(lambda s: tf.random.set_seed(8)), reference)
    tf.config.experimental.enable_op_determinism()


def test_tf_random_set_seed_leaves_numpy_alone(shim):
    # TensorFlow's set_seed seeds TensorFlow only; the books seed NumPy separately.
    import tensorflow as tf
    np.random.seed(5)
    expected = np.random.rand(3)
    np.random.seed(5)
    tf.random.set_seed(99)
    np.testing.assert_array_equal(np.random.rand(3), expected)


def test_constant_and_convert_to_tensor(shim):
    import tensorflow as tf
    assert tf.constant([[7]]).shape == (1, 1)
    assert tf.constant([[7]]).dtype == np.int32        # as TensorFlow
    assert tf.constant([1.5]).dtype == np.float32   # Python floats are float32, as in TF
    assert tf.constant([1], dtype=tf.float32).dtype == np.float32
    assert tf.constant(0.0, shape=(2, 3)).shape == (2, 3)
    x = np.arange(3.0)
    np.testing.assert_array_equal(tf.convert_to_tensor(x).numpy(), x)
    assert tf.is_tensor(tf.constant(1.0)) and not tf.is_tensor(x)


def test_gradient_tape_matches_torch(shim, torch):
    import tensorflow as tf
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 3)).astype(np.float32)
    w0 = rng.standard_normal((3, 2)).astype(np.float32)
    target = rng.standard_normal((5, 2)).astype(np.float32)
    W = tf.Variable(w0)
    b = tf.Variable(tf.zeros(shape=(2,)))
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(target - (tf.matmul(x, W) + b)))
    grad_w, grad_b = tape.gradient(loss, [W, b])

    tw = torch.tensor(w0, requires_grad=True)
    tb = torch.zeros(2, requires_grad=True)
    tloss = torch.mean(torch.square(torch.tensor(target) - (torch.tensor(x) @ tw + tb)))
    tloss.backward()
    np.testing.assert_allclose(float(loss), tloss.item(), rtol=1e-6)
    np.testing.assert_allclose(grad_w.numpy(), tw.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad_b.numpy(), tb.grad.numpy(), rtol=1e-5, atol=1e-6)
    W.assign_sub(grad_w * 0.1)
    np.testing.assert_allclose(W.numpy(), w0 - 0.1 * tw.grad.numpy(), rtol=1e-5, atol=1e-6)


UNSUPPORTED = [
    ("import tensorflow as tf\ntf.data.Dataset.from_tensor_slices([1])", AttributeError,
     "tensorflow.data is not available in glassnet yet: tf.data"),
    ("import tensorflow.data", ImportError, "tensorflow.data is not available in glassnet"),
    ("from tensorflow.keras.applications import VGG16", ImportError,
     "tensorflow.keras.applications is not available in glassnet yet: pretrained"),
    ("import keras\nkeras.applications.VGG16(weights='imagenet')", AttributeError,
     "keras.applications is not available in glassnet yet"),
    ("from keras.applications.vgg16 import VGG16", ImportError,
     "keras.applications is not available in glassnet yet"),
    ("import tensorflow as tf\ntf.Session()", AttributeError,
     "tensorflow.Session is not available in glassnet yet: TF1 graph code"),
    ("import tensorflow as tf\ntf.compat.v1.placeholder('float')", AttributeError,
     "tensorflow.compat.v1.placeholder is not available in glassnet yet"),
    ("import tensorflow as tf\ntf.strings.lower('A')", AttributeError,
     "tensorflow.strings is not available in glassnet yet"),
    ("from tensorflow import keras\nkeras.mixed_precision.set_global_policy('mixed_float16')",
     AttributeError, "keras.mixed_precision is not available in glassnet yet"),
    ("from tensorflow.keras.utils import image_dataset_from_directory", ImportError,
     "tensorflow.keras.utils.image_dataset_from_directory is not available in glassnet yet:"
     " use keras.preprocessing.image.ImageDataGenerator"),
    ("from keras.wrappers.scikit_learn import KerasClassifier", ImportError,
     "keras.wrappers is not available in glassnet yet"),
    ("from keras.layers import NoSuchLayer", ImportError,
     "keras.layers.NoSuchLayer is not available in glassnet yet"),
]


@pytest.mark.parametrize("code, error, message", UNSUPPORTED,
                         ids=[c.splitlines()[-1] for c, _, _ in UNSUPPORTED])
def test_unsupported_apis_name_themselves(shim, code, error, message):
    with pytest.raises(error) as info:
        exec(code, {})
    assert message in str(info.value)


def test_hasattr_on_missing_names_is_false(shim):
    # Libraries probe with hasattr/getattr(default): a missing name must be AttributeError.
    import tensorflow as tf
    assert not hasattr(tf, "data")
    assert getattr(tf.keras, "applications", None) is None


def test_nothing_changes_until_install():
    import glassnet.compat
    assert not glassnet.compat.is_installed()
    code = ("import glassnet, glassnet.compat, importlib.util, sys\n"
            "print(importlib.util.find_spec('tensorflow') is None)\n"
            "print(any(type(f).__name__ == 'CompatFinder' for f in sys.meta_path))")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    tensorflow_missing = importlib.util.find_spec("tensorflow") is None
    assert result.stdout.split() == [str(tensorflow_missing), "False"]


@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="Keras not installed")
def test_real_keras_found_without_install_and_after_uninstall():
    # find_spec says which file `import keras` would load, without paying Keras's import.
    code = ("import importlib.util, glassnet.compat\n"
            "where = lambda: importlib.util.find_spec('keras').origin or 'shim'\n"
            "print('site-packages' in where())\n"
            "glassnet.compat.install()\n"
            "import keras; print(type(keras).__name__, keras.Sequential.__module__)\n"
            "glassnet.compat.uninstall()\n"
            "print('site-packages' in where())")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "ShimModule", "glassnet.models.sequential",
                                     "True"]


def test_install_after_real_import_warns_and_leaves_it(monkeypatch):
    import types

    import glassnet.compat
    fake = types.ModuleType("keras")
    monkeypatch.setitem(sys.modules, "keras", fake)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        glassnet.compat.install()
    try:
        assert not glassnet.compat.is_installed()
        assert any("keras was imported before glassnet.compat.install()" in str(w.message)
                   for w in caught)
        assert sys.modules["keras"] is fake
    finally:
        glassnet.compat.uninstall()


def test_ipython_extension(shim):
    from glassnet.compat import ipython

    shim.uninstall()
    ipython.load_ipython_extension(object())
    assert shim.is_installed()
    import keras
    assert keras.Sequential is glassnet.Sequential
    ipython.unload_ipython_extension(object())
    assert not shim.is_installed()
    assert "keras" not in sys.modules
