"""Image augmentation and folder reading in the Keras 2 layout: ``ImageDataGenerator``.

``ImageDataGenerator(rescale=1./255, rotation_range=40, width_shift_range=0.2, ...)`` draws a
random affine transform (rotation, shift, shear, zoom) and flips for every image, then applies
``rescale``.  ``flow(x, y)`` batches arrays; ``flow_from_directory(dir)`` reads one subfolder
per class.  Both return iterators that ``fit`` accepts (``len`` batches per epoch).
Randomness comes from NumPy's global generator, as in Keras, so ``np.random.seed`` repeats it.

The affine resampling is written here in NumPy (bilinear by default, with Keras's fill modes
``nearest``, ``constant``, ``reflect`` and ``wrap``), so scipy is not needed.

Example:
    >>> import numpy as np
    >>> datagen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True)
    >>> x_batch, y_batch = next(datagen.flow(np.zeros((10, 8, 8, 1)), np.arange(10),
    ...                                      batch_size=4))
    >>> x_batch.shape, y_batch.shape
    ((4, 8, 8, 1), (4,))
"""

from __future__ import annotations

import warnings

import numpy as np

from glassnet import backend
from glassnet.preprocessing.image_iterators import (IMAGE_FORMATS, DirectoryIterator, Iterator,
                                                    NumpyArrayIterator)
from glassnet.preprocessing.image_transforms import (FILL_MODES, apply_affine_transform,
                                                     apply_brightness_shift,
                                                     apply_channel_shift, flip_axis)
from glassnet.utils.image_utils import array_to_img, img_to_array, load_img, save_img


class ImageDataGenerator:
    """Random augmentation and normalization of image batches, as Keras 2's class.

    Args (the ones the books use; the others of Keras 2 are accepted too):
        rescale: factor applied to every pixel after augmentation (``1./255``).
        rotation_range: degrees; a rotation is drawn from ``[-range, range]``.
        width_shift_range, height_shift_range: fraction of the width/height (< 1) or pixels.
        shear_range: shear angle in degrees.  zoom_range: ``z`` or ``[low, high]``.
        horizontal_flip, vertical_flip: flip half of the images.
        fill_mode: ``'nearest'`` (default), ``'constant'`` (with ``cval``), ``'reflect'``,
            ``'wrap'``.
        validation_split: fraction reserved for ``subset='validation'``.

    Example:
        >>> gen = ImageDataGenerator(rotation_range=40, zoom_range=0.2)
        >>> gen.random_transform(np.ones((16, 16, 3))).shape
        (16, 16, 3)
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0,
                 width_shift_range=0.0, height_shift_range=0.0, brightness_range=None,
                 shear_range=0.0, zoom_range=0.0, channel_shift_range=0.0,
                 fill_mode="nearest", cval=0.0, horizontal_flip=False, vertical_flip=False,
                 rescale=None, preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        if zca_whitening:
            raise NotImplementedError("ImageDataGenerator(zca_whitening=True) is not "
                                      "available in glassnet yet.")
        if fill_mode not in FILL_MODES:
            raise ValueError(f"ImageDataGenerator: fill_mode must be one of "
                             f"{', '.join(FILL_MODES)}. Received: fill_mode={fill_mode!r}")
        data_format = data_format or backend.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError("ImageDataGenerator: data_format must be 'channels_last' or "
                             f"'channels_first'. Received: data_format={data_format!r}")
        if validation_split and not 0 < validation_split < 1:
            raise ValueError("ImageDataGenerator: validation_split must be strictly between "
                             f"0 and 1. Received: validation_split={validation_split}")
        if isinstance(zoom_range, (int, float)):
            zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif len(zoom_range) == 2:
            zoom_range = [float(zoom_range[0]), float(zoom_range[1])]
        else:
            raise ValueError("ImageDataGenerator: zoom_range must be a number or two numbers "
                             f"[low, high]. Received: zoom_range={zoom_range!r}")
        if brightness_range is not None and len(brightness_range) != 2:
            raise ValueError("ImageDataGenerator: brightness_range must be two numbers. "
                             f"Received: brightness_range={brightness_range!r}")
        self.featurewise_center = featurewise_center or featurewise_std_normalization
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_center = samplewise_center or samplewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening, self.zca_epsilon = zca_whitening, zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range, self.height_shift_range = width_shift_range, height_shift_range
        self.brightness_range, self.shear_range = brightness_range, shear_range
        self.zoom_range, self.channel_shift_range = zoom_range, channel_shift_range
        self.fill_mode, self.cval = fill_mode, cval
        self.horizontal_flip, self.vertical_flip = horizontal_flip, vertical_flip
        self.rescale, self.preprocessing_function = rescale, preprocessing_function
        self.data_format, self.dtype = data_format, dtype or backend.floatx()
        self.interpolation_order = interpolation_order
        self._validation_split = validation_split
        # Axes of a batch; a single image's are one less.
        self.channel_axis, self.row_axis, self.col_axis = (
            (3, 1, 2) if data_format == "channels_last" else (1, 2, 3))
        self.mean = self.std = None

    # --- one image --------------------------------------------------------------------
    @staticmethod
    def _shift(shift_range, size: int) -> float:
        if not shift_range:
            return 0.0
        try:  # an int or a list: whole pixels drawn from it, with a random sign (as Keras)
            shift = np.random.choice(shift_range) * np.random.choice([-1, 1])
        except ValueError:  # a float: a fraction drawn from [-range, range]
            shift = np.random.uniform(-shift_range, shift_range)
        return shift * size if np.max(shift_range) < 1 else shift

    def get_random_transform(self, img_shape: tuple, seed: int | None = None) -> dict:
        """Draw the parameters of one random transform for an image of ``img_shape``."""
        if seed is not None:
            np.random.seed(seed)
        rows, cols = img_shape[self.row_axis - 1], img_shape[self.col_axis - 1]
        theta = np.random.uniform(-self.rotation_range, self.rotation_range) \
            if self.rotation_range else 0
        tx = self._shift(self.height_shift_range, rows)
        ty = self._shift(self.width_shift_range, cols)
        shear = np.random.uniform(-self.shear_range, self.shear_range) \
            if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx = zy = 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = bool(np.random.random() < 0.5) and bool(self.horizontal_flip)
        flip_vertical = bool(np.random.random() < 0.5) and bool(self.vertical_flip)
        channel_shift = np.random.uniform(-self.channel_shift_range, self.channel_shift_range) \
            if self.channel_shift_range else None
        brightness = np.random.uniform(*self.brightness_range) \
            if self.brightness_range is not None else None
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x: np.ndarray, params: dict) -> np.ndarray:
        """Apply the parameters of :meth:`get_random_transform` to one image."""
        rows, cols, channels = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1
        x = apply_affine_transform(x, params.get("theta", 0), params.get("tx", 0),
                                   params.get("ty", 0), params.get("shear", 0),
                                   params.get("zx", 1), params.get("zy", 1), row_axis=rows,
                                   col_axis=cols, channel_axis=channels,
                                   fill_mode=self.fill_mode, cval=self.cval,
                                   order=self.interpolation_order)
        if params.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(x, params["channel_shift_intensity"], channels)
        if params.get("flip_horizontal"):
            x = flip_axis(x, cols)
        if params.get("flip_vertical"):
            x = flip_axis(x, rows)
        if params.get("brightness") is not None:
            x = apply_brightness_shift(x, params["brightness"], False)
        return x

    def random_transform(self, x: np.ndarray, seed: int | None = None) -> np.ndarray:
        """One randomly transformed copy of the image ``x``."""
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    def standardize(self, x: np.ndarray) -> np.ndarray:
        """Apply ``preprocessing_function``, ``rescale`` and the centring/scaling options."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x = x * self.rescale
        if self.samplewise_center:
            x = x - np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x = x / (np.std(x, keepdims=True) + 1e-6)
        if self.featurewise_center or self.featurewise_std_normalization:
            if self.mean is None:
                warnings.warn("This ImageDataGenerator uses featurewise centring, but fit() "
                              "has not been called on sample data yet.", stacklevel=2)
            else:
                x = x - self.mean
                if self.featurewise_std_normalization:
                    x = x / (self.std + 1e-6)
        return x

    def fit(self, x, augment: bool = False, rounds: int = 1, seed: int | None = None) -> None:
        """Compute the per-channel mean and std used by the featurewise options."""
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"ImageDataGenerator.fit expects a batch of images of rank 4. "
                             f"Received: x.shape={x.shape}")
        if seed is not None:
            np.random.seed(seed)
        if augment:
            x = np.stack([self.random_transform(img) for _ in range(rounds) for img in x])
        axes = tuple(a for a in range(4) if a != self.channel_axis)
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        self.mean = np.mean(x, axis=axes).reshape(shape)
        self.std = np.std(x, axis=axes).reshape(shape)

    # --- batches ------------------------------------------------------------------------
    def flow(self, x, y=None, batch_size: int = 32, shuffle: bool = True, sample_weight=None,
             seed: int | None = None, save_to_dir=None, save_prefix: str = "",
             save_format: str = "png", subset: str | None = None) -> "NumpyArrayIterator":
        """Batches ``(x_batch, y_batch)`` of augmented images from arrays, forever."""
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle,
                                  sample_weight=sample_weight, seed=seed,
                                  save_to_dir=save_to_dir, save_prefix=save_prefix,
                                  save_format=save_format, subset=subset)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size: int = 32,
                            shuffle: bool = True, seed: int | None = None, save_to_dir=None,
                            save_prefix: str = "", save_format: str = "png",
                            follow_links: bool = False, subset: str | None = None,
                            interpolation: str = "nearest",
                            keep_aspect_ratio: bool = False) -> "DirectoryIterator":
        """Batches of augmented images read from ``directory/<class name>/*.png|jpg|...``."""
        return DirectoryIterator(directory, self, target_size=target_size,
                                 color_mode=color_mode, classes=classes,
                                 class_mode=class_mode, batch_size=batch_size,
                                 shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
                                 save_prefix=save_prefix, save_format=save_format,
                                 follow_links=follow_links, subset=subset,
                                 interpolation=interpolation,
                                 keep_aspect_ratio=keep_aspect_ratio)

    def _split(self, subset: str | None):
        if subset is None:
            return None
        if subset not in ("training", "validation"):
            raise ValueError("subset must be 'training' or 'validation'. "
                             f"Received: subset={subset!r}")
        return (0.0, self._validation_split) if subset == "validation" \
            else (self._validation_split, 1.0)


__all__ = ["DirectoryIterator", "FILL_MODES", "IMAGE_FORMATS", "ImageDataGenerator", "Iterator",
           "NumpyArrayIterator", "apply_affine_transform", "apply_brightness_shift",
           "apply_channel_shift", "array_to_img", "flip_axis", "img_to_array", "load_img",
           "save_img"]
