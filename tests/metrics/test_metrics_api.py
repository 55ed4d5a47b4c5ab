"""metrics.get and names, configs, state variables and result types."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from glassnet import losses, metrics

# Keras metrics glassnet does not provide (IoU, F-scores, R2, correlations, and the
# precision/recall/sensitivity "at" operating-point metrics).
NOT_PROVIDED = {"IoU", "BinaryIoU", "MeanIoU", "OneHotIoU", "OneHotMeanIoU", "F1Score",
                "FBetaScore", "R2Score", "PrecisionAtRecall", "RecallAtPrecision",
                "SensitivityAtSpecificity", "SpecificityAtSensitivity",
                "ConcordanceCorrelation", "PearsonCorrelation"}


def test_every_keras_name_resolves_to_the_same_metric_class(keras):
    from keras.src.metrics import ALL_OBJECTS_DICT as KERAS_NAMES
    from keras.src.utils.naming import reset_uids
    reset_uids()  # automatic names ('auc', 'auc_1', ...) count from zero on both sides
    provided = {cls.__name__ for cls in metrics.CLASSES}
    assert {cls.__name__ for cls in KERAS_NAMES.values()} - provided == NOT_PROVIDED
    checked = 0
    for name, cls in KERAS_NAMES.items():
        if cls.__name__ in NOT_PROVIDED or cls.__name__ in ("Metric", "MeanMetricWrapper"):
            continue
        ours = metrics.get(name)
        theirs = cls()
        assert type(ours).__name__ == type(theirs).__name__, name
        assert ours.name == theirs.name, name
        checked += 1
    assert checked >= 60


def test_short_names_and_the_old_acc_spelling():
    assert isinstance(metrics.get("mae"), metrics.MeanAbsoluteError)
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("mean_absolute_error"), metrics.MeanAbsoluteError)
    assert isinstance(metrics.get("acc"), metrics.Accuracy)
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    auc = metrics.AUC()
    assert metrics.get(auc) is auc
    assert isinstance(metrics.get(metrics.Precision), metrics.Precision)
    with pytest.raises(ValueError, match="Did you mean 'accuracy'"):
        metrics.get("acuracy")


def test_automatic_names_are_unique_like_keras(keras):
    from keras.src.utils.naming import reset_uids
    reset_uids()
    ours = [metrics.Precision().name, metrics.Precision().name, metrics.AUC().name]
    theirs = [keras.metrics.Precision().name, keras.metrics.Precision().name,
              keras.metrics.AUC().name]
    assert ours == theirs == ["precision", "precision_1", "auc"]


@pytest.mark.parametrize("cls", [c for c in metrics.CLASSES
                                 if c not in (metrics.Metric, metrics.MeanMetricWrapper)])
def test_config_matches_keras_and_round_trips(keras, cls):
    ours, theirs = cls(name="m"), getattr(keras.metrics, cls.__name__)(name="m")
    assert ours.get_config() == theirs.get_config()
    assert cls.from_config(ours.get_config()).get_config() == ours.get_config()
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
    assert [v.shape for v in ours.variables] == [tuple(v.shape) for v in theirs.variables]


def test_serialize_and_deserialize(keras):
    config = metrics.serialize(metrics.AUC(num_thresholds=50, name="auc"))
    assert config == keras.metrics.serialize(keras.metrics.AUC(num_thresholds=50, name="auc"))
    assert metrics.deserialize(config).num_thresholds == 50
    wrapper = metrics.MeanMetricWrapper(losses.mean_squared_error, name="custom")
    rebuilt = metrics.MeanMetricWrapper.from_config(wrapper.get_config())
    assert rebuilt._fn is losses.mean_squared_error and rebuilt.name == "custom"


def test_results_are_numpy_scalars_and_reset_zeroes_the_state():
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(np.array([1, 0]), np.array([[0.2, 0.8], [0.3, 0.7]], dtype=np.float32))
    result = m.result()
    assert isinstance(result, np.floating) and float(result) == 0.5
    assert f"{result:.2f}" == "0.50"
    assert [float(v.numpy()) for v in m.variables] == [1.0, 2.0]
    m.reset_state()
    assert float(m.result()) == 0.0 and [float(v.numpy()) for v in m.variables] == [0.0, 0.0]
    assert all(not v.trainable for v in m.variables)
    thresholds = metrics.Precision(thresholds=[0.2, 0.6]).result()
    assert isinstance(thresholds, np.ndarray) and thresholds.shape == (2,)


def test_call_updates_and_returns_the_running_value():
    m = metrics.Mean(name="loss")
    assert float(m([1.0, 3.0])) == 2.0
    assert float(m(5.0)) == 3.0
    assert m.name == "loss" and m.dtype == "float32"


def test_custom_metric_subclass():
    class CountPositives(metrics.Metric):
        def __init__(self, name="count_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.count = self.add_variable(shape=(), initializer="zeros", name="count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.count.assign(self.count + np.sum(np.asarray(y_pred) > 0.5))

        def result(self):
            return self.count.numpy()

    m = CountPositives()
    m.update_state(None, np.array([0.2, 0.7, 0.9]))
    m.update_state(None, np.array([0.6]))
    assert float(m.result()) == 3.0
    m.reset_state()
    assert float(m.result()) == 0.0
    assert inspect.signature(metrics.Metric.add_weight).parameters["initializer"].default is None


def test_metrics_ignore_class_masks_like_keras(keras):
    labels = np.array([0, -1, 2, 1])
    probs = np.array([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.1, 0.1, 0.8], [0.4, 0.5, 0.1]],
                     dtype=np.float32)
    ours = metrics.SparseCategoricalCrossentropy(ignore_class=-1)
    theirs = keras.metrics.SparseCategoricalCrossentropy(ignore_class=-1)
    weights = np.array([1.0, 2.0, 0.5, 1.5], dtype=np.float32)
    for sample_weight in (None, weights):
        ours.update_state(labels, probs, sample_weight=sample_weight)
        theirs.update_state(labels, probs, sample_weight=sample_weight)
        assert float(ours.result()) == pytest.approx(float(theirs.result()), rel=1e-6)
