"""The iterators ``ImageDataGenerator.flow`` and ``flow_from_directory`` return: batches of
augmented arrays, or of images read from one subfolder per class.

Example:
    >>> iterator = NumpyArrayIterator(x, y, ImageDataGenerator(), batch_size=4)
    >>> x_batch, y_batch = iterator[0]
"""

from __future__ import annotations

import os
import threading

import numpy as np

from glassnet import backend
from glassnet.utils.image_utils import img_to_array, load_img, save_img

IMAGE_FORMATS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")


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
