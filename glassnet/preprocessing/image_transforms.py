"""The per-image transforms of ``ImageDataGenerator``, in NumPy: an affine resampling
(rotation, shift, shear, zoom; bilinear by default, with Keras's fill modes ``nearest``,
``constant``, ``reflect`` and ``wrap``), flips, channel and brightness shifts.

Example:
    >>> rotated = apply_affine_transform(image, theta=30, fill_mode="nearest")
"""

from __future__ import annotations

import numpy as np

from glassnet.utils.image_utils import array_to_img, img_to_array

FILL_MODES = ("nearest", "constant", "reflect", "wrap")


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
