"""Image files to arrays and back, as ``keras.utils.load_img`` / ``img_to_array`` /
``array_to_img`` / ``save_img``.

Arrays are ``(height, width, channels)`` (channels last); images are Pillow images.  Pillow is
an optional dependency (the ``data`` extra): without it these functions raise an
``ImportError`` that says how to install it.

Example:
    >>> import numpy as np
    >>> img = array_to_img(np.zeros((4, 6, 3)))
    >>> img.size  # Pillow gives (width, height)
    (6, 4)
    >>> img_to_array(img).shape
    (4, 6, 3)
"""

from __future__ import annotations

import io
import pathlib
import warnings

import numpy as np

from glassnet import backend

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")
COLOR_MODES = ("grayscale", "rgb", "rgba")


def pil_image():
    """Pillow's ``PIL.Image`` module, or an ImportError with the install hint."""
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError("Reading and writing images needs Pillow, which is not installed. "
                          "Install it with `pip install Pillow` (or `pip install "
                          "glassnet[data]`).") from error
    return Image


def _resampling(name: str):
    image = pil_image()
    if name not in INTERPOLATIONS:
        raise ValueError(f"Unknown interpolation {name!r}. Expected one of "
                         f"{', '.join(INTERPOLATIONS)}. Received: interpolation={name!r}")
    methods = getattr(image, "Resampling", image)
    return getattr(methods, name.upper())


def _data_format(data_format):
    data_format = data_format or backend.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("data_format must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return data_format


def load_img(path, color_mode: str = "rgb", target_size: tuple | None = None,
             interpolation: str = "nearest", keep_aspect_ratio: bool = False):
    """Read an image file into a Pillow image, converted to ``color_mode`` and resized.

    Args:
        path: a file path (str or ``pathlib.Path``) or an ``io.BytesIO``.
        color_mode: ``"rgb"`` (default), ``"grayscale"`` or ``"rgba"``.
        target_size: ``(height, width)`` to resize to, or None to keep the size.
        interpolation: resampling filter for the resize (``"nearest"`` by default).
        keep_aspect_ratio: crop the centre to the target's aspect ratio before resizing.

    Example:
        >>> img = load_img("cat.jpg", target_size=(150, 150))  # doctest: +SKIP
        >>> img.size  # doctest: +SKIP
        (150, 150)
    """
    image = pil_image()
    if color_mode not in COLOR_MODES:
        raise ValueError(f"color_mode must be one of {', '.join(COLOR_MODES)}. "
                         f"Received: color_mode={color_mode!r}")
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (str, bytes, pathlib.Path)):
        # Read the bytes first so the file is closed before the image is used.
        with open(path, "rb") as file:
            img = image.open(io.BytesIO(file.read()))
    else:
        raise TypeError(f"load_img expects a file path or io.BytesIO. Received: "
                        f"path of type {type(path).__name__}")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif img.mode != color_mode.upper():
        img = img.convert(color_mode.upper())
    if target_size is None:
        return img
    width_height = (int(target_size[1]), int(target_size[0]))
    if img.size == width_height:
        return img
    resample = _resampling(interpolation)
    if not keep_aspect_ratio:
        return img.resize(width_height, resample)
    width, height = img.size
    crop_height = min(height, (width * width_height[1]) // width_height[0])
    crop_width = min(width, (height * width_height[0]) // width_height[1])
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return img.resize(width_height, resample,
                      box=(left, top, left + crop_width, top + crop_height))


def img_to_array(img, data_format: str | None = None, dtype=None) -> np.ndarray:
    """A Pillow image as a float array ``(height, width, channels)`` (grayscale gets 1 channel).

    Example:
        >>> img_to_array(array_to_img(np.ones((2, 3, 1)), scale=False)).shape
        (2, 3, 1)
    """
    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or backend.floatx())
    if x.ndim == 2:
        x = x[:, :, np.newaxis]
    elif x.ndim != 3:
        raise ValueError(f"img_to_array expects a 2-D or 3-D image. Received: shape {x.shape}")
    return x.transpose(2, 0, 1) if data_format == "channels_first" else x


def array_to_img(x, data_format: str | None = None, scale: bool = True, dtype=None):
    """A ``(height, width, channels)`` array (1, 3 or 4 channels) as a Pillow image.

    With ``scale=True`` (default) the values are stretched to fill 0-255; pass
    ``scale=False`` for arrays already in 0-255.

    Example:
        >>> array_to_img(np.random.rand(8, 8, 1)).mode
        'L'
    """
    image = pil_image()
    data_format = _data_format(data_format)
    x = np.array(x, dtype=dtype or backend.floatx())
    if x.ndim != 3:
        raise ValueError("array_to_img expects one image of rank 3 (height, width, channels). "
                         f"Received: x.shape={x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - x.min()
        peak = x.max()
        if peak != 0:
            x = x / peak
        x = x * 255
    channels = x.shape[2]
    if channels == 4:
        return image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if x.max() > 255:  # 32-bit grayscale
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"array_to_img supports 1, 3 or 4 channels. Received: {channels} "
                     f"channels (x.shape={x.shape})")


def save_img(path, x, data_format: str | None = None, file_format: str | None = None,
             scale: bool = True, **kwargs) -> None:
    """Write an array as an image file; the format comes from the extension.

    Example:
        >>> save_img("dream.png", np.random.rand(32, 32, 3))  # doctest: +SKIP
    """
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("JPEG cannot store an alpha channel; the image is saved as RGB.",
                      stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


__all__ = ["load_img", "img_to_array", "array_to_img", "save_img"]
