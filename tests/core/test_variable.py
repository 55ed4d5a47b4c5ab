"""Variable: in-place assignment with shape checks, trainable flag, names."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.core.variable import Variable


def test_assign_writes_in_place_so_views_see_the_change():
    buffer = np.zeros(10, dtype=np.float32)
    v = Variable(np.zeros((2, 3)), name="kernel")
    v.data = buffer[:6].reshape(2, 3)  # as an optimizer's flat buffer would
    v.assign(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(buffer[:6], np.arange(6.0))
    v.assign_add(np.ones((2, 3)))
    v.assign_sub(np.full((2, 3), 0.5))
    np.testing.assert_array_equal(buffer[:6], np.arange(6.0) + 0.5)
    assert v.value is v.data and v.numpy() is not v.data


def test_assign_keeps_the_variable_dtype():
    v = Variable(np.zeros(3, dtype=np.float32))
    v.assign(np.array([0.1, 0.2, 0.3], dtype=np.float64))
    assert v.dtype == np.float32
    np.testing.assert_allclose(v.numpy(), [0.1, 0.2, 0.3], rtol=1e-7)


@pytest.mark.parametrize("method", ["assign", "assign_add", "assign_sub"])
@pytest.mark.parametrize("value_shape", [(3, 2), (2, 3, 1), (6,)])
def test_wrong_shape_is_refused_with_a_message_naming_both_shapes(method, value_shape):
    v = Variable(np.zeros((2, 3)), name="kernel", path="dense/kernel")
    with pytest.raises(ValueError) as info:
        getattr(v, method)(np.ones(value_shape))
    message = str(info.value)
    assert "dense/kernel" in message
    assert "(2, 3)" in message and str(value_shape) in message
    np.testing.assert_array_equal(v.numpy(), np.zeros((2, 3)))


def test_assign_add_broadcasts_a_delta_like_keras(keras):
    expected = keras.Variable(np.zeros((2, 3), dtype=np.float32))
    expected.assign_add(1.0)
    expected.assign_sub(np.array([0.5, 0.0, 0.25], dtype=np.float32))
    v = Variable(np.zeros((2, 3), dtype=np.float32))
    v.assign_add(1.0)
    v.assign_sub(np.array([0.5, 0.0, 0.25], dtype=np.float32))
    np.testing.assert_array_equal(v.numpy(), expected.numpy())


def test_trainable_flag_drives_requires_grad():
    v = Variable(np.ones(2), name="bias")
    assert v.trainable and v.requires_grad and v.name == "bias" and v.path == "bias"
    v.trainable = False
    assert not v.requires_grad
    loss = (v * 2.0).sum()
    assert loss.node is None
    v.trainable = True
    np.testing.assert_array_equal(glassnet.grad((v * 2.0).sum(), v), [2.0, 2.0])


def test_repr_names_path_shape_and_dtype():
    text = repr(Variable(np.zeros((2, 3)), name="kernel", path="dense/kernel"))
    assert "dense/kernel" in text and "(2, 3)" in text and "float32" in text
