"""Architecture configs: functional graphs in Keras 3's layout, JSON round trips of every
kind of model, custom objects found by name, clone_model, and compile settings restored."""

from __future__ import annotations

import json

import numpy as np
import pytest

import glassnet
from glassnet.saving import ModelFileError, register_keras_serializable

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _concatenate(lib):
    if hasattr(lib.layers, "Concatenate"):
        return lib.layers.Concatenate
    from glassnet.layers.merging.concatenate import Concatenate  # until it is exported
    return Concatenate


def _two_tower(lib):
    a = lib.Input((4,), name="a")
    b = lib.Input((3,), name="b")
    shared = lib.layers.Dense(5, name="shared")
    lift = lib.layers.Dense(4, name="lift")
    left, right = shared(a), shared(lift(b))
    merged = _concatenate(lib)(name="merge")([left, right])
    out1 = lib.layers.Dense(1, name="out1")(merged)
    out2 = lib.layers.Dense(2, activation="softmax", name="out2")(right)
    return lib.Model([a, b], [out1, out2], name="towers")


def _graph_outline(config):
    def history(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            return tuple(value["config"]["keras_history"])
        if isinstance(value, list):
            return [history(v) for v in value]
        return value
    return {"name": config["name"],
            "layers": [(entry["name"], entry["class_name"],
                        [history(node["args"]) for node in entry["inbound_nodes"]])
                       for entry in config["layers"]],
            "input_layers": config["input_layers"], "output_layers": config["output_layers"]}


def test_functional_config_has_keras_3_layout(keras):
    # Through JSON, as both are written to files (Keras keeps tuples in get_config()).
    ours = json.loads(json.dumps(glassnet.Model.get_config(_two_tower(glassnet))))
    theirs = json.loads(json.dumps(_two_tower(keras).get_config()))
    assert _graph_outline(ours) == _graph_outline(theirs)
    assert set(ours) == set(theirs)


def _mixed_model():
    """Shared layers, two inputs and outputs, symbolic ops, nested Sequential and
    functional models."""
    a = glassnet.Input((4,), name="a")
    b = glassnet.Input((4,), name="b")
    shared = glassnet.layers.Dense(3, name="shared")
    nested_seq = glassnet.Sequential([glassnet.layers.Input((3,)), glassnet.layers.Dense(3),
                                      glassnet.layers.Dropout(0.1, seed=2)], name="seq")
    inner_in = glassnet.Input((3,))
    nested_fn = glassnet.Model(inner_in, glassnet.layers.Dense(2)(inner_in), name="fn")
    h = nested_seq(shared(a)) - shared(b) * 0.5
    out1 = nested_fn(h)
    out2 = glassnet.layers.Dense(1, name="o2")(h[:, 1:])
    return glassnet.Model({"a": a, "b": b}, [out1, out2])


@pytest.mark.parametrize("make", [
    lambda: glassnet.Sequential([glassnet.layers.Input((4,)), glassnet.layers.Dense(3),
                                 glassnet.layers.Activation("relu"),
                                 glassnet.layers.Dense(2)]),
    _mixed_model])
def test_json_round_trip_rebuilds_the_same_function(make):
    model = make()
    clone = glassnet.models.model_from_json(model.to_json())
    assert json.loads(clone.to_json()) == json.loads(model.to_json())
    clone.set_weights(model.get_weights())
    rng = np.random.default_rng(0)
    x = {"a": rng.normal(size=(5, 4)).astype("float32"),
         "b": rng.normal(size=(5, 4)).astype("float32")}
    x = x["a"] if isinstance(model, glassnet.Sequential) else x
    ours, theirs = clone.predict(x, verbose=0), model.predict(x, verbose=0)
    ours, theirs = (ours, theirs) if isinstance(ours, list) else ([ours], [theirs])
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)
    again = type(model).from_config(model.get_config())
    assert [l.name for l in again.layers] == [l.name for l in model.layers]


def test_broken_graph_configs_are_refused():
    config = json.loads(_mixed_model().to_json())
    layers = config["config"]["layers"]
    layers[-1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["nowhere", 0, 0]
    with pytest.raises(ModelFileError, match="does not define"):
        glassnet.models.model_from_json(json.dumps(config))
    config = json.loads(_mixed_model().to_json())
    shared = next(l for l in config["config"]["layers"] if l["name"] == "shared")
    shared["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["shared", 1, 0]
    with pytest.raises(ModelFileError, match="cycle|never happen"):
        glassnet.models.model_from_json(json.dumps(config))


@register_keras_serializable(package="tests")
class Scale(glassnet.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.gain = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="gain")

    def call(self, inputs):
        return inputs * self.gain * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@register_keras_serializable(package="tests")
def cube(x):
    return x * x * x


@register_keras_serializable(package="tests")
class Residual(glassnet.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.inner = glassnet.layers.Dense(units)

    def call(self, inputs):
        return inputs + self.inner(inputs)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def scaled_mse(y_true, y_pred):
    return glassnet.losses.mean_squared_error(y_true, y_pred) * 3.0


def test_custom_objects_by_registration_and_by_argument(tmp_path):
    model = glassnet.Sequential([glassnet.layers.Input((3,)), Scale(1.5),
                                 glassnet.layers.Dense(3, activation=cube)])
    model.compile(optimizer="adam", loss=scaled_mse, metrics=["mae"])
    x = np.random.default_rng(1).normal(size=(6, 3)).astype("float32")
    model.fit(x, x, epochs=1, verbose=0)
    model.save(tmp_path / "custom.keras")
    with pytest.raises(ModelFileError, match="scaled_mse"):
        glassnet.models.load_model(tmp_path / "custom.keras")
    loaded = glassnet.models.load_model(tmp_path / "custom.keras",
                                        custom_objects={"scaled_mse": scaled_mse})
    assert isinstance(loaded.layers[0], Scale) and loaded.layers[0].factor == 1.5
    assert loaded.layers[1].activation is cube
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.evaluate(x, x, verbose=0) == model.evaluate(x, x, verbose=0)
    # Without compiling, the loss is not needed.
    glassnet.models.load_model(tmp_path / "custom.keras", compile=False)


def test_registered_subclassed_model(tmp_path):
    model = Residual(units=4)
    model.build((None, 4))
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((2, 4), "float32")
    model.fit(x, x, verbose=0)
    model.save(tmp_path / "sub.keras")
    loaded = glassnet.models.load_model(tmp_path / "sub.keras")
    assert isinstance(loaded, Residual) and loaded.units == 4
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_clone_model_has_the_architecture_and_new_weights():
    glassnet.utils.set_random_seed(0)
    model = _mixed_model()
    clone = glassnet.models.clone_model(model)
    assert clone is not model
    assert [type(l).__name__ for l in clone.layers] == [type(l).__name__ for l in model.layers]
    assert not all(np.array_equal(a, b) for a, b in zip(clone.get_weights(),
                                                        model.get_weights()))
    clone.set_weights(model.get_weights())
    x = {"a": np.ones((2, 4), "float32"), "b": np.zeros((2, 4), "float32")}
    for ours, theirs in zip(clone.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_array_equal(ours, theirs)


def test_compile_settings_are_restored(tmp_path):
    a = glassnet.Input((3,), name="a")
    out1 = glassnet.layers.Dense(1, name="reg")(a)
    out2 = glassnet.layers.Dense(3, activation="softmax", name="cls")(a)
    model = glassnet.Model(a, [out1, out2])
    model.compile(optimizer=glassnet.optimizers.RMSprop(0.003, rho=0.8, clipnorm=1.0),
                  loss={"reg": glassnet.losses.MeanAbsoluteError(reduction="sum"),
                        "cls": "sparse_categorical_crossentropy"},
                  loss_weights={"reg": 0.3, "cls": 1.0},
                  metrics={"reg": ["mae"], "cls": [glassnet.metrics.SparseCategoricalAccuracy(
                      name="acc")]})
    rng = np.random.default_rng(2)
    x = rng.normal(size=(10, 3)).astype("float32")
    y = [rng.normal(size=(10, 1)).astype("float32"), rng.integers(0, 3, size=10)]
    model.fit(x, y, epochs=2, verbose=0)
    model.save(tmp_path / "two.keras")
    loaded = glassnet.models.load_model(tmp_path / "two.keras")
    assert type(loaded.optimizer) is glassnet.optimizers.RMSprop
    ours, theirs = loaded.optimizer.get_config(), model.optimizer.get_config()
    assert {k: v for k, v in ours.items() if k != "name"} == \
        {k: v for k, v in theirs.items() if k != "name"}
    assert loaded.evaluate(x, y, return_dict=True, verbose=0) == \
        model.evaluate(x, y, return_dict=True, verbose=0)
    for ours, theirs in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_save_without_optimizer_and_uncompiled(tmp_path):
    model = glassnet.Sequential([glassnet.layers.Input((2,)), glassnet.layers.Dense(1)])
    model.save(tmp_path / "plain.keras")
    loaded = glassnet.models.load_model(tmp_path / "plain.keras")
    assert not loaded.compiled
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    model.save(tmp_path / "no_opt.keras", include_optimizer=False)
    loaded = glassnet.models.load_model(tmp_path / "no_opt.keras")
    assert loaded.compiled and int(loaded.optimizer.iterations) == 0


@register_keras_serializable(package="tests")
class CountAbove(glassnet.metrics.Metric):
    def __init__(self, threshold=0.0, name="count_above", **kwargs):
        super().__init__(name=name, **kwargs)
        self.threshold = threshold
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.count.assign_add(np.sum(np.asarray(y_pred) > self.threshold))

    def result(self):
        return self.count.numpy()

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


def test_registered_metric_and_unregistered_loss_object(tmp_path):
    class Doubled(glassnet.losses.MeanSquaredError):
        def call(self, y_true, y_pred):
            return super().call(y_true, y_pred) * 2.0

    model = glassnet.Sequential([glassnet.layers.Input((2,)), glassnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss=Doubled(), metrics=[CountAbove(0.25)])
    x = np.random.default_rng(3).normal(size=(8, 2)).astype("float32")
    model.fit(x, x[:, :1], verbose=0)
    model.save(tmp_path / "metric.keras")
    with pytest.raises(ModelFileError, match="Doubled"):
        glassnet.models.load_model(tmp_path / "metric.keras")
    loaded = glassnet.models.load_model(tmp_path / "metric.keras",
                                        custom_objects={"Doubled": Doubled})
    assert loaded.evaluate(x, x[:, :1], return_dict=True, verbose=0) == \
        model.evaluate(x, x[:, :1], return_dict=True, verbose=0)
    assert any(isinstance(m, CountAbove) and m.threshold == 0.25
               for m in loaded._compile_metrics.metrics)
