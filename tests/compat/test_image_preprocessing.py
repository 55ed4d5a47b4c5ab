"""ImageDataGenerator and the image file helpers, against Keras's own (legacy) implementation.

Keras's ImageDataGenerator draws its random transforms from NumPy's global generator and
resamples with scipy.ndimage; glassnet resamples in NumPy.  With the same NumPy seed both
must give the same batches.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from glassnet.preprocessing import image as gimage
from glassnet.utils import image_utils

pytest.importorskip("PIL")
pytestmark = pytest.mark.filterwarnings(
    "ignore:Please import `affine_transform`:DeprecationWarning")


@pytest.fixture(scope="module")
def keras_image(keras):
    pytest.importorskip("scipy")
    from keras.src.legacy.preprocessing import image
    return image


@pytest.mark.parametrize("fill_mode", ["nearest", "constant", "reflect", "wrap"])
@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("params", [
    dict(theta=30), dict(tx=2.5, ty=-1.3), dict(tx=-7.5, ty=12.5), dict(shear=20),
    dict(zx=0.7, zy=1.3), dict(theta=-40, tx=3, ty=2, shear=10, zx=1.2, zy=0.8)])
def test_affine_transform_matches_keras(keras_image, fill_mode, order, params):
    x = np.random.default_rng(0).random((9, 12, 3)).astype("float32")
    kwargs = dict(row_axis=0, col_axis=1, channel_axis=2, fill_mode=fill_mode, cval=0.5,
                  order=order)
    expected = keras_image.apply_affine_transform(x, **params, **kwargs)
    np.testing.assert_allclose(gimage.apply_affine_transform(x, **params, **kwargs),
                               expected, atol=1e-5)


def test_affine_transform_channels_first_matches_keras(keras_image):
    x = np.random.default_rng(1).random((3, 10, 8)).astype("float32")
    kwargs = dict(theta=25, tx=1.5, zx=0.9, row_axis=1, col_axis=2, channel_axis=0)
    np.testing.assert_allclose(gimage.apply_affine_transform(x, **kwargs),
                               keras_image.apply_affine_transform(x, **kwargs), atol=1e-5)


GENERATOR_OPTIONS = [
    dict(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
         zoom_range=0.2, horizontal_flip=True, fill_mode="nearest", rescale=1 / 255),
    dict(width_shift_range=3, height_shift_range=[1, 2], vertical_flip=True,
         fill_mode="reflect"),
    dict(zoom_range=[0.5, 1.0], fill_mode="constant", cval=9.0, channel_shift_range=10),
    dict(brightness_range=(0.5, 1.5), samplewise_center=True,
         samplewise_std_normalization=True),
]


@pytest.mark.parametrize("options", GENERATOR_OPTIONS)
def test_flow_matches_keras(keras_image, options):
    rng = np.random.default_rng(2)
    x = (rng.random((20, 16, 16, 3)) * 255).astype("float32")
    y = np.arange(20)
    ours = gimage.ImageDataGenerator(**options).flow(x, y, batch_size=6, seed=3)
    theirs = keras_image.ImageDataGenerator(**options).flow(x, y, batch_size=6, seed=3)
    assert len(ours) == len(theirs) == 4
    for i in range(len(ours)):       # the sequence interface, as fit reads it
        (xa, ya), (xb, yb) = ours[i], theirs[i]
        np.testing.assert_allclose(xa, xb, rtol=1e-5, atol=1e-4)
        np.testing.assert_array_equal(ya, yb)
    ours.on_epoch_end()
    theirs.on_epoch_end()
    np.random.seed(11)
    first = next(ours)
    np.random.seed(11)
    np.testing.assert_allclose(first[0], next(theirs)[0], rtol=1e-5, atol=1e-4)


def test_flow_without_labels_and_featurewise(keras_image):
    x = np.random.default_rng(3).random((12, 8, 8, 1)).astype("float32") * 10
    ours = gimage.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    theirs = keras_image.ImageDataGenerator(featurewise_center=True,
                                            featurewise_std_normalization=True)
    ours.fit(x)
    theirs.fit(x)
    np.testing.assert_allclose(ours.mean, theirs.mean, rtol=1e-5)
    np.testing.assert_allclose(ours.std, theirs.std, rtol=1e-5)
    batch = ours.flow(x, batch_size=5, shuffle=False)[0]
    np.testing.assert_allclose(batch, theirs.flow(x, batch_size=5, shuffle=False)[0], rtol=1e-5,
                               atol=1e-6)


@pytest.fixture
def image_folder(tmp_path):
    from PIL import Image
    rng = np.random.default_rng(4)
    for name, count in (("dogs", 5), ("cats", 4)):
        (tmp_path / name).mkdir()
        for i in range(count):
            pixels = (rng.random((20 + i, 30, 3)) * 255).astype(np.uint8)
            Image.fromarray(pixels).save(tmp_path / name / f"{name}{i}.png")
    (tmp_path / "cats" / "notes.txt").write_text("not an image")
    return tmp_path


@pytest.mark.parametrize("class_mode", ["binary", "categorical", "sparse", "input", None])
@pytest.mark.parametrize("color_mode", ["rgb", "grayscale"])
def test_flow_from_directory_matches_keras(keras_image, image_folder, capsys, class_mode,
                                           color_mode):
    options = dict(rescale=1 / 255, horizontal_flip=True, width_shift_range=0.1)
    kwargs = dict(target_size=(12, 16), batch_size=4, class_mode=class_mode,
                  color_mode=color_mode, seed=7)
    ours = gimage.ImageDataGenerator(**options).flow_from_directory(str(image_folder), **kwargs)
    ours_message = capsys.readouterr().out
    theirs = keras_image.ImageDataGenerator(**options).flow_from_directory(
        str(image_folder), **kwargs)
    assert ours_message == capsys.readouterr().out == \
        "Found 9 images belonging to 2 classes.\n"
    assert ours.class_indices == theirs.class_indices == {"cats": 0, "dogs": 1}
    assert ours.filenames == theirs.filenames
    np.testing.assert_array_equal(ours.classes, theirs.classes)
    for i in range(len(theirs)):
        a, b = ours[i], theirs[i]
        if class_mode is None:
            np.testing.assert_allclose(a, b, atol=1e-5)
        else:
            np.testing.assert_allclose(a[0], b[0], atol=1e-5)
            np.testing.assert_allclose(a[1], b[1], atol=1e-5)


def test_flow_from_directory_subsets(keras_image, image_folder, capsys):
    kwargs = dict(target_size=(8, 8), batch_size=3, class_mode="binary", shuffle=False)
    for subset in ("training", "validation"):
        ours = gimage.ImageDataGenerator(validation_split=0.4).flow_from_directory(
            str(image_folder), subset=subset, **kwargs)
        theirs = keras_image.ImageDataGenerator(validation_split=0.4).flow_from_directory(
            str(image_folder), subset=subset, **kwargs)
        assert ours.filenames == theirs.filenames


def test_fit_reads_a_directory_iterator(image_folder, capsys):
    import glassnet as keras
    from glassnet.layers import Dense, Flatten

    keras.utils.set_random_seed(0)
    generator = gimage.ImageDataGenerator(rescale=1 / 255).flow_from_directory(
        str(image_folder), target_size=(6, 6), batch_size=4, class_mode="binary")
    model = keras.Sequential([Flatten(input_shape=(6, 6, 3)), Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(generator, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert len(model.predict(generator, verbose=0)) == 9


def test_image_utils_match_keras(keras, tmp_path):
    from PIL import Image
    pixels = (np.random.default_rng(5).random((10, 14, 3)) * 255).astype(np.uint8)
    Image.fromarray(pixels).save(tmp_path / "a.png")
    for kwargs in ({}, {"target_size": (7, 9)}, {"color_mode": "grayscale"},
                   {"color_mode": "rgba", "target_size": (5, 5), "interpolation": "bilinear"},
                   {"target_size": (6, 6), "keep_aspect_ratio": True}):
        ours = image_utils.img_to_array(image_utils.load_img(tmp_path / "a.png", **kwargs))
        theirs = keras.utils.img_to_array(keras.utils.load_img(tmp_path / "a.png", **kwargs))
        np.testing.assert_array_equal(ours, theirs)
        assert ours.dtype == theirs.dtype
    x = np.random.default_rng(6).random((4, 5, 3)) * 3 - 1
    for scale in (True, False):
        ours = np.asarray(image_utils.array_to_img(x, scale=scale))
        theirs = np.asarray(keras.utils.array_to_img(x, scale=scale))
        np.testing.assert_array_equal(ours, theirs)
    image_utils.save_img(tmp_path / "b.jpg", x)
    keras.utils.save_img(tmp_path / "c.jpg", x)
    assert (tmp_path / "b.jpg").read_bytes() == (tmp_path / "c.jpg").read_bytes()


def test_missing_pillow_gives_the_install_hint(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r"needs Pillow.*pip install Pillow"):
        image_utils.load_img(tmp_path / "x.png")
    with pytest.raises(ImportError, match="pip install Pillow"):
        image_utils.array_to_img(np.zeros((2, 2, 1)))


def test_argument_errors_name_the_argument():
    with pytest.raises(ValueError, match="fill_mode must be one of"):
        gimage.ImageDataGenerator(fill_mode="mirror")
    with pytest.raises(ValueError, match="zoom_range"):
        gimage.ImageDataGenerator(zoom_range=[0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"rank 4.*Received: x.shape=\(3, 4, 4\)"):
        gimage.ImageDataGenerator().flow(np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match="color_mode must be one of"):
        image_utils.load_img("x.png", color_mode="cmyk")
