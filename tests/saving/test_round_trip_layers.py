"""Every layer type survives ``load_model(save(model))``: the loaded model predicts exactly
the same values and goes on training to exactly the same weights.  A layer type without a
case here fails ``test_every_layer_type_has_a_case``."""

from __future__ import annotations

import numpy as np
import pytest

import glassnet
from glassnet.core import random as glassnet_random
from tests.saving.layer_cases import CASES, all_layer_classes

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_every_layer_type_has_a_case():
    classes = all_layer_classes()
    covered = {classes[name] for name in CASES if name in classes}
    # An alias (MaxPool2D for MaxPooling2D) is the same class: one case covers both.
    missing = sorted(name for name, cls in classes.items() if cls not in covered)
    assert not missing, f"layer types without a save/load round-trip case: {missing}"


def _weights(model):
    return [w.copy() for w in model.get_weights()]


@pytest.mark.parametrize("name", sorted(CASES))
def test_round_trip(name, tmp_path):
    glassnet.utils.set_random_seed(4)
    model, x, y, loss = CASES[name]()
    assert any(type(l).__name__ == name for l in [model] + model._flatten_layers()), \
        f"the case for {name} does not use it"
    model.compile(optimizer=glassnet.optimizers.Adam(0.01), loss=loss)
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    path = tmp_path / f"{name}.keras"
    model.save(path)
    saved_state = glassnet_random.get_state()
    expected = model.predict(x, verbose=0)

    glassnet.utils.set_random_seed(123)
    loaded = glassnet.models.load_model(path)
    assert glassnet_random.get_state() == saved_state
    assert type(loaded) is type(model)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), expected)
    assert [v.path.split("/")[-1] for v in loaded.weights] == \
        [v.path.split("/")[-1] for v in model.weights]

    # Loading restored the random state saved with the file: the original model continues
    # from that same state, so both must end with identical weights (shuffle and dropout on).
    state = glassnet_random.get_state()
    loaded.fit(x, y, batch_size=4, epochs=2, verbose=0)
    glassnet_random.set_state(state)
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    for ours, theirs in zip(_weights(loaded), _weights(model)):
        np.testing.assert_array_equal(ours, theirs)
    assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations)
