"""save_weights / load_weights: by structure into a fresh model, by layer name, with
skip_mismatch, from whole model files, and any file name (Keras's '.weights.h5' too)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassnet
from glassnet.saving import ModelFileError, model_io


def _model(names=None, units=(5, 3)):
    names = names or [None] * len(units)
    return glassnet.Sequential([glassnet.layers.Input((4,))] + [
        glassnet.layers.Dense(u, name=n) for u, n in zip(units, names)])


def _same(a, b):
    for x, y in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(x, y)


def test_weights_load_by_structure_into_a_fresh_model(tmp_path):
    source = _model()
    source.save_weights(tmp_path / "m.weights.npz")
    target = _model()
    assert [l.name for l in target.layers] != [l.name for l in source.layers]
    target.load_weights(tmp_path / "m.weights.npz")
    _same(source, target)
    with np.load(tmp_path / "m.weights.npz") as plain:  # an ordinary .npz for NumPy too
        assert "layers/dense/vars/0" in plain.files and "layers/dense_1/vars/1" in plain.files


def test_keras_weights_name_is_accepted_with_a_warning(tmp_path):
    model_io._warned_extensions.discard(".h5")
    source = _model()
    with pytest.warns(UserWarning, match="HDF5 is not used"):
        source.save_weights(tmp_path / "model.weights.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        source.save_weights(tmp_path / "again.weights.h5")  # the warning comes once
    target = _model()
    target.load_weights(tmp_path / "model.weights.h5")
    _same(source, target)


def test_load_by_name_matches_top_level_layers(tmp_path):
    source = _model(names=["encoder", "head"])
    source.save_weights(tmp_path / "w.weights.npz")
    # Different order and an extra layer; only the layers sharing a name are loaded.
    target = glassnet.Sequential([glassnet.layers.Input((4,)),
                                  glassnet.layers.Dense(5, name="encoder"),
                                  glassnet.layers.Dense(7, name="extra"),
                                  glassnet.layers.Dense(3, name="other")])
    untouched = target.get_layer("extra").get_weights()
    target.load_weights(tmp_path / "w.weights.npz", by_name=True)
    for x, y in zip(target.get_layer("encoder").get_weights(),
                    source.get_layer("encoder").get_weights()):
        np.testing.assert_array_equal(x, y)
    for x, y in zip(target.get_layer("extra").get_weights(), untouched):
        np.testing.assert_array_equal(x, y)


def test_mismatch_is_refused_or_skipped(tmp_path):
    source = _model(units=(5, 3))
    source.save_weights(tmp_path / "w.weights.npz")
    target = _model(units=(5, 2))
    before = target.get_weights()
    with pytest.raises(ModelFileError, match="has shape \\(5, 3\\) but variable"):
        target.load_weights(tmp_path / "w.weights.npz")
    for x, y in zip(target.get_weights(), before):  # nothing was changed
        np.testing.assert_array_equal(x, y)
    with pytest.warns(UserWarning, match="left unchanged"):
        target.load_weights(tmp_path / "w.weights.npz", skip_mismatch=True)
    np.testing.assert_array_equal(target.layers[0].kernel.numpy(),
                                  source.layers[0].kernel.numpy())
    np.testing.assert_array_equal(target.layers[1].kernel.numpy(), before[2])


def test_weights_from_a_whole_model_file(tmp_path):
    source = _model()
    source.save(tmp_path / "m.keras")
    target = _model()
    target.load_weights(tmp_path / "m.keras")
    _same(source, target)


def test_unbuilt_model_and_missing_file(tmp_path):
    (tmp_path / "w.npz").write_bytes(b"x")
    with pytest.raises(ValueError, match="has no weights yet"):
        glassnet.Sequential([glassnet.layers.Dense(2)]).load_weights(tmp_path / "w.npz")
    with pytest.raises(ValueError, match="File not found"):
        _model().load_weights(tmp_path / "missing.weights.npz")
    with pytest.raises(ValueError, match="File not found"):
        glassnet.models.load_model(tmp_path / "missing.keras")


def test_subclassed_model_weights(tmp_path):
    class TwoLayers(glassnet.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first = glassnet.layers.Dense(3)
            self.second = glassnet.layers.Dense(1)

        def call(self, inputs):
            return self.second(self.first(inputs))

    source, target = TwoLayers(), TwoLayers()
    x = np.ones((2, 4), "float32")
    source(x), target(x)
    source.save_weights(tmp_path / "sub.weights.npz")
    target.load_weights(tmp_path / "sub.weights.npz")
    _same(source, target)


@pytest.mark.parametrize("method", ["save_weights", "save"])
def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch, method):
    """The disk fills up half-way through the write: the old file stays as it was and the
    temporary file is removed."""
    import contextlib

    path = tmp_path / ("w.weights.npz" if method == "save_weights" else "m.keras")
    getattr(_model(), method)(path)
    original = path.read_bytes()
    real_atomic_write = model_io.atomic_write

    class FullDisk:
        def __init__(self, f):
            self.f = f

        def write(self, data):
            self.f.write(data[:len(data) // 2])
            raise OSError("No space left on device")

    @contextlib.contextmanager
    def half_written(target):
        with real_atomic_write(target) as f:
            yield FullDisk(f)

    monkeypatch.setattr(model_io, "atomic_write", half_written)
    with pytest.raises(OSError, match="No space left"):
        getattr(_model(), method)(path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
