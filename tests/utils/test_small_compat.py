"""Small Keras spellings: old initializer names, the optimizer's default name, Huber's
delta in its config, f-string formatting of a scalar Tensor, and PyDataset / Sequence."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet


@pytest.mark.parametrize("name, cls", [("uniform", "RandomUniform"), ("normal", "RandomNormal"),
                                       ("one", "Ones"), ("zero", "Zeros")])
def test_old_initializer_names(name, cls):
    assert type(glassnet.initializers.get(name)).__name__ == cls


def test_optimizer_default_names_match_keras(keras):
    keras.backend.clear_session()  # both number repeated names: 'adam', then 'adam_1'
    glassnet.backend.clear_session()
    for name in ("RMSprop", "Adam", "SGD", "Adagrad"):
        assert getattr(glassnet.optimizers, name)().name == getattr(keras.optimizers, name)().name


def test_huber_keeps_delta_in_its_config():
    loss = glassnet.losses.Huber(delta=2.0)
    again = glassnet.losses.Huber.from_config(loss.get_config())
    y, p = np.array([[0.0]]), np.array([[5.0]])
    assert float(again(y, p)) == pytest.approx(float(loss(y, p)))
    assert float(loss(y, p)) == pytest.approx(2.0 * 5.0 - 0.5 * 2.0 ** 2)


def test_scalar_tensor_formats_like_a_number():
    assert f"{glassnet.Tensor(np.float32(0.123456)):.3f}" == "0.123"


def test_sequence_subclass_trains_and_sees_epoch_ends():
    class Batches(glassnet.utils.Sequence):
        def __init__(self):
            super().__init__()
            self.ends = 0

        def __len__(self):
            return 3

        def __getitem__(self, index):
            x = np.full((4, 2), index, np.float32)
            return x, x.sum(axis=1, keepdims=True)

        def on_epoch_end(self):
            self.ends += 1

    data = Batches()
    model = glassnet.Sequential([glassnet.layers.Input((2,)), glassnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(data, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and data.ends == 2
    assert glassnet.utils.PyDataset is glassnet.utils.Sequence


def _cube(x):
    return x * x * x


def test_unregistered_activation_saves_by_name_and_loads_with_custom_objects(tmp_path):
    model = glassnet.Sequential([glassnet.layers.Input((3,)),
                                 glassnet.layers.Dense(2, activation=_cube)])
    model.compile(optimizer="sgd", loss="mse")
    path = tmp_path / "cube.keras"
    model.save(path)
    with pytest.raises(Exception, match="custom_objects"):
        glassnet.models.load_model(path)
    loaded = glassnet.models.load_model(path, custom_objects={"_cube": _cube})
    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
