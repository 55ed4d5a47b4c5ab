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

import os
import threading
import warnings

import numpy as np

from glassnet import backend
from glassnet.utils.image_utils import array_to_img, img_to_array, load_img, save_img

FILL_MODES = ("nearest", "constant", "reflect", "wrap")
IMAGE_FORMATS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")


def _extend(index: np.ndarray, n: int, fill_mode: str) -> np.ndarray:
    """Map integer positions outside 0..n-1 back inside ('reflect': d c b a | a b c d)."""
    if fill_mode == "reflect":
        period = np.mod(index, 2 * n)
        return np.where(period >= n, 2 * n - 1 - period, period)
    return np.clip(index, 0, n - 1)


def _wrap(coordinate: np.ndarray, n: int) -> np.ndarray:
    """scipy.ndimage's 'wrap': period n - 1 (the first and last samples overlap)."""
    if n <= 1:
        return np.zeros_like(coordinate)
    period = n - 1
    wrapped = np.mod(coordinate, period)
    wrapped = np.where((coordinate < 0) & (wrapped == 0), period, wrapped)
    return np.where((coordinate < 0) | (coordinate > period), wrapped, coordinate)


def _reflect(coordinate: np.ndarray, n: int) -> np.ndarray:
    """A position mirrored about the edges -0.5 and n - 0.5 (for nearest sampling)."""
    folded = np.mod(coordinate + 0.5, 2 * n)
    return np.where(folded >= n, 2 * n - folded, folded) - 0.5


def apply_affine_transform(x, theta: float = 0, tx: float = 0, ty: float = 0,
                           shear: float = 0, zx: float = 1, zy: float = 1, row_axis: int = 0,
                           col_axis: int = 1, channel_axis: int = 2,
                           fill_mode: str = "nearest", cval: float = 0.0,
                           order: int = 1) -> np.ndarray:
    """Rotate (degrees), shift (pixels), shear (degrees) and zoom one image about its centre.

    Output pixel ``p`` takes the input at ``M @ p`` (M built as in Keras: rotation, then
    shift, shear and zoom, about the centre), read with bilinear (``order=1``) or nearest
    (``order=0``) interpolation; positions outside the image follow ``fill_mode``.  As in
    Keras, the matrix's two axes are swapped before use, so ``tx`` moves the image along
    its columns and ``ty`` along its rows.

    Example:
        >>> img = np.arange(9.0).reshape(3, 3, 1)
        >>> apply_affine_transform(img, tx=1, fill_mode="nearest")[:, :, 0]
        array([[1., 2., 2.],
               [4., 5., 5.],
               [7., 8., 8.]])
    """
    if fill_mode not in FILL_MODES:
        raise ValueError(f"fill_mode must be one of {', '.join(FILL_MODES)}. "
                         f"Received: fill_mode={fill_mode!r}")
    if order not in (0, 1):
        raise ValueError(f"glassnet resamples with order 0 (nearest) or 1 (bilinear). "
                         f"Received: order={order}")
    matrix = np.eye(3)
    if theta:
        t = np.deg2rad(theta)
        matrix = matrix @ np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0],
                                    [0, 0, 1]])
    if tx or ty:
        matrix = matrix @ np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    if shear:
        s = np.deg2rad(shear)
        matrix = matrix @ np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]])
    if zx != 1 or zy != 1:
        matrix = matrix @ np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    if np.array_equal(matrix, np.eye(3)):
        return x
    x = np.asarray(x)
    image = np.moveaxis(x, (row_axis, col_axis, channel_axis), (0, 1, 2))
    h, w = image.shape[:2]
    centre = np.array([[1, 0, h / 2 - 0.5], [0, 1, w / 2 - 0.5], [0, 0, 1]])
    uncentre = np.array([[1, 0, -(h / 2 - 0.5)], [0, 1, -(w / 2 - 0.5)], [0, 0, 1]])
    matrix = centre @ matrix @ uncentre
    if col_axis > row_axis:  # Keras swaps the matrix's two axes here; so do we
        matrix[:, [0, 1]] = matrix[:, [1, 0]]
        matrix[[0, 1]] = matrix[[1, 0]]
    rows, cols = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    src_r = matrix[0, 0] * rows + matrix[0, 1] * cols + matrix[0, 2]
    src_c = matrix[1, 0] * rows + matrix[1, 1] * cols + matrix[1, 2]
    mode = fill_mode
    if fill_mode == "wrap" or (fill_mode == "reflect" and order == 0):
        # These modes move the sampling position itself back inside the image.
        fold = _wrap if fill_mode == "wrap" else _reflect
        src_r, src_c, mode = fold(src_r, h), fold(src_c, w), "nearest"
    if order == 0:
        r0 = np.floor(src_r + 0.5).astype(np.int64)
        c0 = np.floor(src_c + 0.5).astype(np.int64)
        out = image[_extend(r0, h, mode), _extend(c0, w, mode)]
    else:
        r0, c0 = np.floor(src_r).astype(np.int64), np.floor(src_c).astype(np.int64)
        fr, fc = (src_r - r0)[..., None], (src_c - c0)[..., None]
        r_lo, r_hi = _extend(r0, h, mode), _extend(r0 + 1, h, mode)
        c_lo, c_hi = _extend(c0, w, mode), _extend(c0 + 1, w, mode)
        out = ((1 - fr) * ((1 - fc) * image[r_lo, c_lo] + fc * image[r_lo, c_hi])
               + fr * ((1 - fc) * image[r_hi, c_lo] + fc * image[r_hi, c_hi]))
    if fill_mode == "constant":  # no interpolation past the edge: cval outside the image
        eps = 1e-9
        outside = (src_r < -eps) | (src_r > h - 1 + eps) | (src_c < -eps) | (src_c > w - 1 + eps)
        out = np.where(outside[..., None], cval, out)
    out = out.astype(image.dtype, copy=False)
    return np.moveaxis(out, (0, 1, 2), (row_axis, col_axis, channel_axis))


def flip_axis(x, axis: int) -> np.ndarray:
    """``x`` reversed along ``axis``.

    Example:
        >>> flip_axis(np.array([[1, 2]]), 1)
        array([[2, 1]])
    """
    return np.flip(np.asarray(x), axis=axis)


def apply_channel_shift(x, intensity: float, channel_axis: int = 0) -> np.ndarray:
    """Add ``intensity`` to every channel, clipped to the image's original range."""
    x = np.asarray(x)
    low, high = np.min(x), np.max(x)
    return np.clip(x + intensity, low, high)


def apply_brightness_shift(x, brightness: float, scale: bool = True) -> np.ndarray:
    """Scale the brightness by ``brightness`` with Pillow's enhancer (8-bit, as in Keras).

    Images outside 0-255 are stretched into it first (and back afterwards unless ``scale``).
    """
    from glassnet.utils.image_utils import pil_image

    pil_image()  # the install hint when Pillow is missing
    from PIL import ImageEnhance

    x = np.asarray(x)
    low, high = np.min(x), np.max(x)
    out_of_range = bool(low < 0 or high > 255)
    img = array_to_img(x, scale=out_of_range or scale)
    x = img_to_array(ImageEnhance.Brightness(img).enhance(brightness))
    if out_of_range and not scale:
        x = x / 255 * (high - low) + low
    return x


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


class Iterator:
    """Batches of indices over ``n`` samples, reshuffled every epoch (as Keras 2).

    Usable with ``next()`` (loops forever) and as a sequence (``len`` batches per epoch,
    ``it[i]``), which is how ``fit`` reads it.
    """

    def __init__(self, n: int, batch_size: int, shuffle: bool, seed: int | None):
        self.n, self.batch_size, self.shuffle, self.seed = n, batch_size, shuffle, seed
        self.batch_index = self.total_batches_seen = 0
        self.index_array = None
        self.lock = threading.Lock()

    def _set_index_array(self) -> None:
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def __len__(self) -> int:
        return (self.n + self.batch_size - 1) // self.batch_size

    def __getitem__(self, idx: int):
        if idx >= len(self):
            raise IndexError(f"Batch {idx} asked of an iterator with {len(self)} batches.")
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        return self._get_batch(self.index_array[self.batch_size * idx:
                                                 self.batch_size * (idx + 1)])

    def on_epoch_end(self) -> None:
        self._set_index_array()

    def reset(self) -> None:
        self.batch_index = 0

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            start = (self.batch_index * self.batch_size) % self.n if self.n else 0
            self.batch_index = self.batch_index + 1 if self.n > start + self.batch_size else 0
            self.total_batches_seen += 1
            index_array = self.index_array[start:start + self.batch_size]
        return self._get_batch(index_array)

    def _augment(self, x: np.ndarray) -> np.ndarray:
        generator = self.image_data_generator
        if generator is None:
            return x
        x = generator.apply_transform(x, generator.get_random_transform(x.shape))
        return generator.standardize(x)

    def _save(self, batch_x: np.ndarray, index_array) -> None:
        for i, j in enumerate(index_array):
            name = f"{self.save_prefix}_{j}_{np.random.randint(10**7)}.{self.save_format}"
            save_img(os.path.join(self.save_to_dir, name), batch_x[i],
                     data_format=self.data_format)

    def _get_batch(self, index_array):
        raise NotImplementedError


class NumpyArrayIterator(Iterator):
    """Augmented batches from an array of images (``ImageDataGenerator.flow``)."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None, dtype=None):
        self.dtype = dtype or image_data_generator.dtype
        self.data_format = data_format or image_data_generator.data_format
        split = image_data_generator._split(subset)
        x = np.asarray(x)
        if y is not None and len(x) != len(y):
            raise ValueError("flow: x (images) and y (labels) must have the same length. "
                             f"Received: x.shape={x.shape}, y.shape={np.shape(y)}")
        if split is not None:
            cut = int(len(x) * image_data_generator._validation_split)
            part = slice(0, cut) if subset == "validation" else slice(cut, None)
            x = x[part]
            y = None if y is None else np.asarray(y)[part]
            sample_weight = None if sample_weight is None else np.asarray(sample_weight)[part]
        self.x = np.asarray(x, dtype=self.dtype)
        if self.x.ndim != 4:
            raise ValueError("flow expects images of rank 4 (samples, height, width, "
                             f"channels). Received: x.shape={self.x.shape}")
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        self.save_to_dir, self.save_prefix, self.save_format = (save_to_dir, save_prefix,
                                                                save_format)
        super().__init__(len(self.x), batch_size, shuffle, seed)

    def _get_batch(self, index_array):
        batch_x = np.stack([self._augment(self.x[j]) for j in index_array]).astype(self.dtype)
        if self.save_to_dir:
            self._save(batch_x, index_array)
        if self.y is None:
            return batch_x
        if self.sample_weight is None:
            return batch_x, self.y[index_array]
        return batch_x, self.y[index_array], self.sample_weight[index_array]


class DirectoryIterator(Iterator):
    """Augmented batches of image files, one subfolder per class (``flow_from_directory``).

    Classes are the subfolder names in sorted order (``class_indices``); ``class_mode``
    gives labels as ``'categorical'`` one-hot rows, ``'binary'`` / ``'sparse'`` indices,
    ``'input'`` (the images themselves) or None (images only).
    """

    CLASS_MODES = ("categorical", "binary", "sparse", "input", None)

    def __init__(self, directory, image_data_generator, target_size=(256, 256),
                 color_mode="rgb", classes=None, class_mode="categorical", batch_size=32,
                 shuffle=True, seed=None, data_format=None, save_to_dir=None, save_prefix="",
                 save_format="png", follow_links=False, subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype=None):
        if class_mode not in self.CLASS_MODES:
            raise ValueError(f"flow_from_directory: class_mode must be one of "
                             f"{self.CLASS_MODES}. Received: class_mode={class_mode!r}")
        if color_mode not in ("rgb", "rgba", "grayscale"):
            raise ValueError("flow_from_directory: color_mode must be 'rgb', 'rgba' or "
                             f"'grayscale'. Received: color_mode={color_mode!r}")
        if not os.path.isdir(directory):
            raise FileNotFoundError(f"flow_from_directory: no folder at {directory!r}.")
        generator = image_data_generator
        self.image_data_generator = generator
        self.directory, self.class_mode = directory, class_mode
        self.target_size, self.color_mode = tuple(target_size), color_mode
        self.data_format = data_format or (generator.data_format if generator
                                           else backend.image_data_format())
        self.dtype = dtype or (generator.dtype if generator else backend.floatx())
        self.interpolation, self.keep_aspect_ratio = interpolation, keep_aspect_ratio
        self.save_to_dir, self.save_prefix, self.save_format = (save_to_dir, save_prefix,
                                                                save_format)
        channels = {"rgb": 3, "rgba": 4, "grayscale": 1}[color_mode]
        self.image_shape = (self.target_size + (channels,) if self.data_format == "channels_last"
                            else (channels,) + self.target_size)
        if not classes:
            classes = sorted(d for d in os.listdir(directory)
                             if os.path.isdir(os.path.join(directory, d)))
        self.class_indices = {name: i for i, name in enumerate(classes)}
        self.num_classes = len(classes)
        split = generator._split(subset) if generator else None
        self.filenames, labels = [], []
        for name in classes:
            files = _image_files(os.path.join(directory, name), follow_links)
            if split is not None:
                files = files[int(split[0] * len(files)):int(split[1] * len(files))]
            self.filenames += [os.path.join(name, f) for f in files]
            labels += [self.class_indices[name]] * len(files)
        self.classes = np.asarray(labels, dtype="int32")
        self.samples = len(self.filenames)
        self.filepaths = [os.path.join(directory, f) for f in self.filenames]
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def labels(self) -> np.ndarray:
        return self.classes

    def _get_batch(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        for i, j in enumerate(index_array):
            img = load_img(self.filepaths[j], color_mode=self.color_mode,
                           target_size=self.target_size, interpolation=self.interpolation,
                           keep_aspect_ratio=self.keep_aspect_ratio)
            batch_x[i] = self._augment(img_to_array(img, data_format=self.data_format))
        if self.save_to_dir:
            self._save(batch_x, index_array)
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode in ("binary", "sparse"):
            return batch_x, self.classes[index_array].astype(self.dtype)
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(index_array), self.num_classes), dtype=self.dtype)
            batch_y[np.arange(len(index_array)), self.classes[index_array]] = 1.0
            return batch_x, batch_y
        return batch_x


def _image_files(folder: str, follow_links: bool) -> list:
    """Image files under ``folder`` (recursively), relative to it, in sorted order."""
    found = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links)):
        for name in sorted(files):
            if name.lower().endswith(IMAGE_FORMATS):
                found.append(os.path.relpath(os.path.join(root, name), folder))
    return found


__all__ = ["ImageDataGenerator", "Iterator", "NumpyArrayIterator", "DirectoryIterator",
           "apply_affine_transform", "flip_axis", "load_img", "img_to_array", "array_to_img",
           "save_img"]
