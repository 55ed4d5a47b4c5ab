"""The conv, conv_transpose and depthwise_conv ops against PyTorch over grids of shapes,
strides, paddings, dilations and groups: forward and every gradient, float64, 1e-6."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from glassnet.core.tensor import Tensor
from glassnet.ops.conv import Conv, conv
from glassnet.ops.conv_transpose import ConvTranspose
from glassnet.ops.depthwise_conv import DepthwiseConv
from tests.conftest import _reference

_reference("torch", module_level=True)  # the references below import torch

from tests.layers.convolutional import reference  # noqa: E402
from tests.layers.convolutional.op_check import compare_with_torch, normal  # noqa: E402


def _fits(size, kernel, stride, dilation, padding) -> bool:
    span = dilation * (kernel - 1) + 1
    return padding != "valid" or size >= span


CONV2D_GRID = [
    (shape, kernel, strides, padding, dilation)
    for shape, kernel, strides, padding, dilation in itertools.product(
        [(2, 7, 6, 3), (1, 5, 8, 2)],
        [(1, 1), (2, 2), (3, 2), (3, 3), (4, 4)],
        [(1, 1), (2, 2), (3, 1), (5, 5)],
        ["valid", "same"],
        [(1, 1), (2, 2), (1, 3)])
    if (strides == (1, 1) or dilation == (1, 1))
    and all(_fits(n, k, s, d, padding) for n, k, s, d in zip(shape[1:3], kernel, strides,
                                                              dilation))]


@pytest.mark.parametrize("shape, kernel, strides, padding, dilation", CONV2D_GRID)
def test_conv2d_matches_torch(torch, shape, kernel, strides, padding, dilation):
    rng = np.random.default_rng(CONV2D_GRID.index((shape, kernel, strides, padding, dilation)))
    inputs = [normal(rng, *shape), normal(rng, *kernel, shape[-1], 4), normal(rng, 4)]
    compare_with_torch(torch, Conv, inputs, {"strides": strides, "padding": padding,
                                             "dilation_rate": dilation}, reference.conv)


@pytest.mark.parametrize("activation, chunk_rows, use_bias, groups", [
    ("relu", None, True, 1), ("relu", 1, True, 1), (None, 1, False, 1), ("relu", 1, True, 2),
    (None, None, True, 4), ("relu", 60, False, 2)])
def test_conv2d_relu_chunks_groups_and_no_bias(torch, activation, chunk_rows, use_bias, groups):
    rng = np.random.default_rng(5)
    inputs = [normal(rng, 5, 6, 7, 4), normal(rng, 3, 3, 4 // groups, 8),
              normal(rng, 8) if use_bias else None]
    kwargs = {"padding": "same", "groups": groups, "activation": activation,
              "chunk_rows": chunk_rows}
    compare_with_torch(torch, Conv, inputs, kwargs, reference.conv)


CONV1D_GRID = [
    (length, kernel, stride, padding, dilation)
    for length, kernel, stride, padding, dilation in itertools.product(
        [7, 10], [1, 2, 3, 5], [1, 2, 4], ["valid", "same", "causal"], [1, 2, 3])
    if (stride == 1 or dilation == 1) and _fits(length, kernel, stride, dilation, padding)]


@pytest.mark.parametrize("length, kernel, stride, padding, dilation", CONV1D_GRID)
def test_conv1d_matches_torch(torch, length, kernel, stride, padding, dilation):
    rng = np.random.default_rng(length * 1000 + kernel * 100 + stride * 10 + dilation)
    inputs = [normal(rng, 3, length, 2), normal(rng, kernel, 2, 3), normal(rng, 3)]
    compare_with_torch(torch, Conv, inputs, {"strides": stride, "padding": padding,
                                             "dilation_rate": dilation}, reference.conv)


TRANSPOSE_GRID = [
    (shape, kernel, strides, padding, output_padding, dilation)
    for shape, kernel, strides, padding, output_padding, dilation in itertools.product(
        [(2, 3, 4, 3), (1, 5, 2, 2)],
        [(1, 1), (2, 2), (3, 3), (3, 2), (4, 4)],
        [(1, 1), (2, 2), (3, 2)],
        ["valid", "same"],
        [None, (0, 0), (1, 1)],
        [(1, 1), (2, 1)])
    if (strides == (1, 1) or dilation == (1, 1))
    and (output_padding is None or all(o < s for o, s in zip(output_padding, strides)))]


@pytest.mark.parametrize("shape, kernel, strides, padding, output_padding, dilation",
                         TRANSPOSE_GRID)
def test_conv2d_transpose_matches_torch(torch, shape, kernel, strides, padding, output_padding,
                                        dilation):
    rng = np.random.default_rng(
        TRANSPOSE_GRID.index((shape, kernel, strides, padding, output_padding, dilation)))
    inputs = [normal(rng, *shape), normal(rng, *kernel, 3, shape[-1]), normal(rng, 3)]
    kwargs = {"strides": strides, "padding": padding, "output_padding": output_padding,
              "dilation_rate": dilation}
    compare_with_torch(torch, ConvTranspose, inputs, kwargs, reference.conv_transpose)


@pytest.mark.parametrize("kernel, stride, padding, output_padding",
                         list(itertools.product([1, 2, 3, 4], [1, 2, 3], ["valid", "same"],
                                                [None, 0])))
def test_conv1d_transpose_matches_torch(torch, kernel, stride, padding, output_padding):
    rng = np.random.default_rng(kernel * 10 + stride)
    inputs = [normal(rng, 2, 5, 3), normal(rng, kernel, 2, 3), None]
    kwargs = {"strides": stride, "padding": padding, "output_padding": output_padding}
    compare_with_torch(torch, ConvTranspose, inputs, kwargs, reference.conv_transpose)


@pytest.mark.parametrize("kernel, strides, padding, dilation, multiplier", [
    ((3, 3), (1, 1), "valid", (1, 1), 1), ((3, 3), (2, 2), "same", (1, 1), 2),
    ((2, 2), (1, 1), "same", (1, 1), 3), ((3, 2), (1, 1), "same", (2, 2), 1),
    ((4, 4), (3, 3), "valid", (1, 1), 2), ((1, 1), (1, 1), "valid", (1, 1), 2)])
def test_depthwise_conv_matches_torch(torch, kernel, strides, padding, dilation, multiplier):
    rng = np.random.default_rng(multiplier)
    inputs = [normal(rng, 2, 7, 8, 3), normal(rng, *kernel, 3, multiplier),
              normal(rng, 3 * multiplier)]
    kwargs = {"strides": strides, "padding": padding, "dilation_rate": dilation}
    compare_with_torch(torch, DepthwiseConv, inputs, kwargs, reference.depthwise_conv)


def test_depthwise_conv1d_matches_torch(torch):
    rng = np.random.default_rng(9)
    inputs = [normal(rng, 2, 9, 3), normal(rng, 3, 3, 2), None]
    compare_with_torch(torch, DepthwiseConv, inputs, {"padding": "same", "strides": 2},
                       reference.depthwise_conv)


def test_first_layer_gets_no_input_gradient_and_float32_stays_float32():
    rng = np.random.default_rng(1)
    x = Tensor(rng.standard_normal((3, 6, 6, 2)).astype(np.float32))
    kernel = Tensor(rng.standard_normal((3, 3, 2, 4)).astype(np.float32), requires_grad=True)
    op = Conv(activation="relu")
    out = op(x, kernel, None)
    assert out.dtype == np.float32
    d_x, d_kernel, d_bias = op.backward(np.ones(out.shape, np.float32))
    assert d_x is None and d_bias is None and d_kernel.dtype == np.float32
    # The fused ReLU's output is the op's named intermediate; col is the im2col matrix.
    assert op.output.min() >= 0 and op.col.shape == (3 * 4 * 4, 3 * 3 * 2)
    np.testing.assert_allclose(op.output, (op.col @ kernel.data.reshape(-1, 4)).clip(0),
                               rtol=1e-5, atol=1e-6)


def test_conv_rejects_inputs_smaller_than_the_kernel():
    with pytest.raises(ValueError, match="output would be empty"):
        conv(Tensor(np.zeros((1, 2, 2, 1))), Tensor(np.zeros((3, 3, 1, 1))))
    with pytest.raises(ValueError, match="rank 4"):
        conv(Tensor(np.zeros((2, 5, 1))), Tensor(np.zeros((3, 3, 1, 1))))
