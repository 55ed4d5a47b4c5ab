"""Compare one glassnet op call with a PyTorch formulation: forward values and the gradient
of every differentiable input, in float64, through glassnet's recorded path.

Example:
    >>> compare_with_torch(torch, Conv, [x, kernel, bias], {"padding": "same"}, reference.conv)
"""

from __future__ import annotations

import numpy as np

import glassnet
from glassnet.core.tensor import Tensor

RTOL = 1e-6
ATOL = 1e-10


def compare_with_torch(torch, op_cls, inputs: list, kwargs: dict, reference,
                       rtol: float = RTOL, atol: float = ATOL, seed: int = 0) -> None:
    """Assert op_cls(**kwargs)(*inputs) and its input gradients equal the reference's."""
    inputs = [None if x is None else np.asarray(x, dtype=np.float64) for x in inputs]
    tensors = [None if x is None else Tensor(x, requires_grad=True) for x in inputs]
    output = op_cls(**kwargs)(*tensors)
    projection = np.random.default_rng(seed).standard_normal(output.shape)
    wanted = [t for t in tensors if t is not None]
    grads = glassnet.grad(output, wanted, grad_output=projection)

    torch_inputs = [None if x is None else torch.tensor(x, requires_grad=True) for x in inputs]
    expected = reference(*torch_inputs, **kwargs)
    label = f"{op_cls.label} {kwargs} shapes {[None if x is None else x.shape for x in inputs]}"
    assert output.shape == tuple(expected.shape), f"{label}: shape {output.shape} vs " \
                                                  f"{tuple(expected.shape)}"
    np.testing.assert_allclose(output.data, expected.detach().numpy(), rtol=rtol, atol=atol,
                               err_msg=f"{label}: forward")
    torch_wanted = [t for t in torch_inputs if t is not None]
    torch_grads = torch.autograd.grad((expected * torch.from_numpy(projection)).sum(),
                                      torch_wanted, allow_unused=True)
    for i, (got, ref, x) in enumerate(zip(grads, torch_grads, torch_wanted)):
        ref = torch.zeros_like(x) if ref is None else ref
        assert got.shape == tuple(x.shape), f"{label}: gradient {i} has shape {got.shape}"
        np.testing.assert_allclose(got, ref.numpy(), rtol=rtol, atol=atol,
                                   err_msg=f"{label}: gradient of input {i}")


def normal(rng, *shape) -> np.ndarray:
    return rng.standard_normal(shape)
