"""The convolution op: channels_last cross-correlation in 1-D or 2-D as im2col and one GEMM.

Every output pixel is a weighted sum of one window of the (padded) input, so copying the
windows into the rows of ``col`` (N * OH * OW, KH * KW * C) turns the whole convolution
into one matrix product with the kernel reshaped to W (KH * KW * C, F)::

    z = col @ W + b                       (N * OH * OW, F), then reshaped to (N, OH, OW, F)
    dW = col.T @ dz     db = sum(dz)      dx = col2im(dz @ W.T), cropped to x's shape

With ``activation="relu"`` the ReLU is applied to the GEMM's output in place and its
derivative is read back from that output (relu'(z) = output > 0), which saves a pass
over the largest array of a CNN.  A 1-D convolution is the 2-D one on images one pixel
high.

Large batches are processed in chunks of whole images so that a chunk's ``col`` stays in
the CPU cache; the kernel gradient then rebuilds each chunk's ``col`` instead of keeping
the full matrix (which for the books' MNIST CNN would be 130 MB): measured, rebuilding is
faster than reading the saved matrix back from memory.  The arithmetic is the same one
GEMM, split by rows; the chunks run on all cores (see ``glassnet.ops.parallel``).

Example:
    >>> x = Tensor(np.ones((2, 5, 5, 3)))
    >>> kernel, bias = Variable(np.ones((3, 3, 3, 4))), Variable(np.zeros(4))
    >>> conv(x, kernel, bias, padding="same").shape
    (2, 5, 5, 4)
"""

from __future__ import annotations

import numpy as np

from glassnet.core.op import Op, register_op
from glassnet.ops.im2col import im2col, offset_slices, same_padding
from glassnet.ops.parallel import run_chunks, single_threaded_blas

#: Output pixels (rows of ``col``) processed at a time, in whole images: about 2,000 rows
#: keep a chunk's ``col``, output and gradients in the CPU's cache and its GEMMs efficient.
CHUNK_ROWS = 2048


def as_tuple(value, rank: int, name: str = "value") -> tuple:
    """An int or a sequence of ``rank`` ints as a tuple of ints."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * rank
    result = tuple(int(v) for v in value)
    if len(result) != rank:
        raise ValueError(f"The `{name}` argument must be a tuple of {rank} integers. "
                         f"Received {name}={value}")
    return result


def resolve_padding(padding, sizes, kernel_size, strides, dilation) -> tuple:
    """Explicit ((before, after), ...) zero padding per spatial axis.

    ``padding`` is 'valid', 'same', 'causal' (1-D: all the padding before) or already
    explicit pairs.
    """
    if not isinstance(padding, str):
        return tuple((int(a), int(b)) for a, b in padding)
    if padding == "valid":
        return ((0, 0),) * len(sizes)
    if padding == "causal":
        return tuple((d * (k - 1), 0) for k, d in zip(kernel_size, dilation))
    if padding == "same":
        return tuple(same_padding(n, k, s, d)
                     for n, k, s, d in zip(sizes, kernel_size, strides, dilation))
    raise ValueError(f"padding must be 'valid', 'same' or 'causal'; received {padding!r}.")


def chunk_ranges(n: int, rows_per_image: int, chunk_rows: int) -> list:
    """(start, stop) ranges of whole images holding about ``chunk_rows`` output pixels."""
    per_chunk = max(1, round(chunk_rows / max(1, rows_per_image)))
    return [(s, min(s + per_chunk, n)) for s in range(0, n, per_chunk)]


def _examples(rng=np.random.default_rng(80)):
    def normal(*shape):
        return rng.standard_normal(shape)

    return [
        # Odd sizes, 'valid', with a bias.
        ([normal(2, 5, 6, 3), normal(3, 3, 3, 4), normal(4)], {}),
        # Strides larger than the kernel.
        ([normal(2, 7, 8, 2), normal(2, 2, 2, 3), normal(3)], {"strides": (3, 3)}),
        # Dilation with 'same' padding.
        ([normal(1, 7, 6, 2), normal(3, 2, 2, 3), normal(3)],
         {"padding": "same", "dilation_rate": (2, 3)}),
        # 'same' with an even kernel (asymmetric padding) and unequal strides, no bias.
        ([normal(2, 6, 7, 2), normal(4, 2, 2, 3), None], {"padding": "same", "strides": (2, 1)}),
        # Fused ReLU, processed one image at a time.
        ([normal(3, 5, 5, 2), normal(3, 3, 2, 4), normal(4)],
         {"activation": "relu", "chunk_rows": 1}),
        # Groups.
        ([normal(2, 5, 5, 4), normal(3, 3, 2, 6), normal(6)], {"groups": 2, "padding": "same"}),
        # 1-D, causal and dilated.
        ([normal(2, 9, 3), normal(3, 3, 4), normal(4)],
         {"padding": "causal", "dilation_rate": 2}),
        # 1-D, strided 'same' with an even kernel.
        ([normal(2, 8, 2), normal(4, 2, 3), normal(3)], {"padding": "same", "strides": 3}),
    ]


@register_op(_examples)
class Conv(Op):
    """z = im2col(pad(x)) @ W + b;  dW = col.T @ dz,  db = sum(dz),  dx = col2im(dz @ W.T).

    Inputs are channels_last: x (N, [H,] W, C), kernel (KH, [KW,] C / groups, F), bias (F,)
    or None.  ``activation`` may be None or 'relu' (fused; ``output`` holds its result).
    ``col`` rebuilds the im2col matrix of the last forward for inspection.
    """

    label = "conv"

    def __init__(self, strides=1, padding="valid", dilation_rate=1, groups: int = 1,
                 activation: str | None = None, chunk_rows: int | None = None):
        if activation not in (None, "relu"):
            raise ValueError(f"The conv op fuses activation=None or 'relu'; received "
                             f"activation={activation!r}.")
        self.strides, self.padding, self.dilation_rate = strides, padding, dilation_rate
        self.groups, self.activation = int(groups), activation
        self.chunk_rows = CHUNK_ROWS if chunk_rows is None else int(chunk_rows)

    def forward(self, x, kernel, bias=None):
        rank = kernel.ndim - 2
        if x.ndim != rank + 2:
            raise ValueError(f"A {rank}-D convolution expects inputs of rank {rank + 2}; "
                             f"received x.shape={x.shape}")
        self.rank, self.x_shape = rank, x.shape
        if rank == 1:  # a 1-D convolution is a 2-D one over images one pixel high
            x, kernel = x[:, None], kernel[None]
        self.kernel_size = kernel.shape[:2]
        self.stride2d = (1,) * (2 - rank) + as_tuple(self.strides, rank, "strides")
        self.dilation2d = (1,) * (2 - rank) + as_tuple(self.dilation_rate, rank, "dilation_rate")
        padding = resolve_padding(self.padding, x.shape[3 - rank:3],
                                  self.kernel_size[2 - rank:], self.stride2d[2 - rank:],
                                  self.dilation2d[2 - rank:])
        self.padding2d = ((0, 0),) * (2 - rank) + padding
        self.x_padded = _pad(x, self.padding2d)
        self.out_size = tuple(
            (size - d * (k - 1) - 1) // s + 1 for size, k, s, d in
            zip(self.x_padded.shape[1:3], self.kernel_size, self.stride2d, self.dilation2d))
        if min(self.out_size) <= 0:
            raise ValueError(f"The convolution output would be empty: input {self.x_shape}, "
                             f"kernel {kernel.shape[:2]}, padding {self.padding2d}.")
        n, filters = x.shape[0], kernel.shape[-1]
        self.kernel, self.bias = kernel, bias
        self.W = kernel.reshape(-1, filters)
        self.pixels = pixels = self.out_size[0] * self.out_size[1]
        self.chunks = chunk_ranges(n, pixels, self.chunk_rows)
        z = np.empty((n * pixels, filters), dtype=np.result_type(x, kernel))

        def multiply(chunk, worker):
            start, stop = chunk
            z_chunk = z[start * pixels:stop * pixels]
            for channels, outs in self._groups():
                col = self._im2col(start, stop, channels, col_buffers[worker])
                np.matmul(col, self.W[:, outs], out=z_chunk[:, outs])
            # Bias and ReLU while the chunk is still in cache.
            if bias is not None:
                z_chunk += bias
            if self.activation == "relu":
                np.maximum(z_chunk, 0, out=z_chunk)

        with single_threaded_blas() as workers:
            col_buffers = [self._col_buffer(z.dtype) for _ in range(min(workers,
                                                                          len(self.chunks)))]
            run_chunks(multiply, self.chunks, workers)
        self.output = z
        shape = (n,) + self.out_size + (filters,)
        return z.reshape(shape if rank == 2 else (n, self.out_size[1], filters))

    def _groups(self) -> list:
        """(input channel slice, output channel slice) of every group."""
        c_in = self.x_padded.shape[-1] // self.groups
        f_out = self.W.shape[1] // self.groups
        return [(slice(g * c_in, (g + 1) * c_in), slice(g * f_out, (g + 1) * f_out))
                for g in range(self.groups)]

    def _col_buffer(self, dtype) -> np.ndarray:
        """Room for the largest chunk's col, reused by every chunk."""
        rows = max(stop - start for start, stop in self.chunks) * self.pixels
        return np.empty((rows, self.W.shape[0]), dtype=dtype)

    def _im2col(self, start: int, stop: int, channels: slice, buffer: np.ndarray):
        images = self.x_padded[start:stop]
        if self.groups > 1:
            images = images[..., channels]
        return im2col(images, self.kernel_size, self.stride2d, self.dilation2d,
                      out=buffer[:(stop - start) * self.pixels])

    @property
    def col(self) -> np.ndarray:
        """The im2col matrix (N * OH * OW, KH * KW * C / groups) of the last forward (the
        first group's, with groups)."""
        channels = self._groups()[0][0]
        return im2col(self.x_padded[..., channels], self.kernel_size, self.stride2d,
                      self.dilation2d)

    def backward(self, grad):
        needs = tuple(self.needs_input_grad) + (False,) * 3
        need_x, need_kernel, need_bias = needs[0], needs[1], needs[2] and self.bias is not None
        filters, pixels = self.W.shape[1], self.pixels
        grad = grad.reshape(-1, filters)
        d_padded = np.zeros(self.x_padded.shape, dtype=grad.dtype) if need_x else None
        largest = max(stop - start for start, stop in self.chunks) * pixels
        if need_x:
            # dx as one GEMM per kernel offset, each added into the strided slice of the
            # image that the offset touched: no (rows, KH * KW * C) col2im temporary.
            kh, kw = self.kernel_size
            W_offsets = self.kernel.reshape(kh * kw, -1, filters).transpose(0, 2, 1)
            W_offsets = np.ascontiguousarray(W_offsets, dtype=grad.dtype)
            slices = offset_slices(self.kernel_size, self.stride2d, self.dilation2d,
                                   self.out_size)

        def gradients(chunk, worker):
            start, stop = chunk
            buffers, sums = scratch[worker], totals[worker]
            rows = slice(start * pixels, stop * pixels)
            dz = grad[rows]
            if self.activation == "relu":  # relu'(z) = output > 0
                dz = np.multiply(dz, self.output[rows] > 0, out=buffers["dz"][:len(dz)])
            if need_bias:
                sums["bias"] += dz.sum(axis=0)
            for channels, outs in self._groups():
                dz_group = dz if self.groups == 1 else np.ascontiguousarray(dz[:, outs])
                if need_kernel:
                    col = self._im2col(start, stop, channels, buffers["col"])
                    sums["W"][:, outs] += col.T @ dz_group
                if not need_x:
                    continue
                target = d_padded[start:stop]
                if self.groups > 1:
                    target = target[..., channels]
                image_shape = (stop - start,) + self.out_size + (W_offsets.shape[2],)
                for k, (rows_k, cols_k) in enumerate(slices):
                    piece = np.matmul(dz_group, W_offsets[k, outs],
                                      out=buffers["piece"][:len(dz_group)])
                    target[:, rows_k, cols_k] += piece.reshape(image_shape)

        with single_threaded_blas() as workers:
            count = min(workers, len(self.chunks))
            scratch = [{"col": self._col_buffer(grad.dtype) if need_kernel else None,
                        "dz": np.empty((largest, filters), grad.dtype)
                        if self.activation else None,
                        "piece": np.empty((largest, W_offsets.shape[2]), grad.dtype)
                        if need_x else None} for _ in range(count)]
            totals = [{"W": np.zeros_like(self.W, dtype=grad.dtype) if need_kernel else None,
                       "bias": np.zeros(filters, dtype=grad.dtype) if need_bias else None}
                      for _ in range(count)]
            run_chunks(gradients, self.chunks, workers)
        d_kernel = d_bias = dx = None
        if need_kernel:
            d_kernel = sum(t["W"] for t in totals).reshape(self.kernel.shape)
            d_kernel = d_kernel[0] if self.rank == 1 else d_kernel
        if need_bias:
            d_bias = sum(t["bias"] for t in totals)
        if need_x:
            dx = _crop(d_padded, self.padding2d)
            dx = dx.reshape(self.x_shape) if self.rank == 2 else dx[:, 0]
        return dx, d_kernel, d_bias


def _pad(x: np.ndarray, padding) -> np.ndarray:
    (top, bottom), (left, right) = padding
    if not (top or bottom or left or right):
        return x
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))


def _crop(x: np.ndarray, padding) -> np.ndarray:
    (top, bottom), (left, right) = padding
    if not (top or bottom or left or right):
        return x
    return np.ascontiguousarray(x[:, top:x.shape[1] - bottom, left:x.shape[2] - right])


def conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups: int = 1,
         activation: str | None = None):
    """Convolve channels_last ``x`` with ``kernel`` (1-D or 2-D), add ``bias``, optionally
    apply a fused ReLU; see :class:`Conv`."""
    return Conv(strides, padding, dilation_rate, groups, activation)(x, kernel, bias)
