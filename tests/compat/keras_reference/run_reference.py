"""Run book examples on real Keras 3 (torch backend), all in one process, for the reference test.

    KERAS_BACKEND=torch python run_reference.py PLAN.json RESULTS.json

PLAN.json: ``{"examples": [{"script": path, "env": {...}, "workdir": path}], "mnist": dir}``.
Each example runs as ``__main__`` in its own working folder with its environment variables;
its stdout goes to ``<workdir>/stdout.txt``.  RESULTS.json gets, per script, ``status``
('ok' or the error) and the path of its stdout.  One process saves Keras's import time
(seconds) for every example.

What the reference environment adds to Keras 3, each because the examples are offline or
written for Keras 2:

* ``tensorflow`` is the stand-in in this folder (see its docstring); Keras's own probe for
  TensorFlow is told it is absent.
* ``keras.datasets.mnist.load_data`` reads the shared MNIST IDX files (no download).
* The Keras 2 module paths ``keras.layers.core`` and ``keras.utils.np_utils`` point at the
  Keras 3 modules that hold those names (Dense, Dropout, ...; to_categorical).
* ``keras.utils.plot_model`` only checks that the model is built (pydot and Graphviz, which
  Keras draws with, are not installed).
"""

from __future__ import annotations

import contextlib
import gzip
import importlib
import json
import os
import runpy
import sys
import time
import traceback
import types

import numpy as np


def _read_idx(folder: str, name: str, offset: int) -> np.ndarray:
    with gzip.open(os.path.join(folder, name), "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset).copy()


def _offline_mnist(folder: str):
    def load_data(path="mnist.npz"):
        x_train = _read_idx(folder, "train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
        y_train = _read_idx(folder, "train-labels-idx1-ubyte.gz", 8)
        x_test = _read_idx(folder, "t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
        y_test = _read_idx(folder, "t10k-labels-idx1-ubyte.gz", 8)
        return (x_train, y_train), (x_test, y_test)
    return load_data


def _prepare(mnist_folder: str) -> None:
    import keras
    import keras.datasets.mnist
    import keras._tf_keras.keras.datasets.mnist as tf_keras_mnist
    from keras.src.utils import module_utils

    # Keras probes for TensorFlow to handle tf.TensorShape; the stand-in is not TensorFlow.
    module_utils.tensorflow._available = False
    keras.datasets.mnist.load_data = _offline_mnist(mnist_folder)
    tf_keras_mnist.load_data = keras.datasets.mnist.load_data
    # Keras draws plot_model with pydot and Graphviz, which are not installed here; the
    # picture is not what the reference run compares (tests/compat/test_plot_model.py does).
    def plot_model(model, to_file="model.png", **kwargs):
        if not model.built:
            raise ValueError("plot_model: the model is not built")
    # (Imported by name: tf.keras's utils is a module of its own, loaded on first import.)
    for name in ("keras.utils", "keras._tf_keras.keras.utils"):
        importlib.import_module(name).plot_model = plot_model

    core = types.ModuleType("keras.layers.core")
    for name in ("Dense", "Dropout", "Activation", "Flatten", "Reshape", "Lambda"):
        setattr(core, name, getattr(keras.layers, name))
    np_utils = types.ModuleType("keras.utils.np_utils")
    np_utils.to_categorical = keras.utils.to_categorical
    sys.modules["keras.layers.core"] = core
    sys.modules["keras.utils.np_utils"] = np_utils


def main(plan_path: str, results_path: str) -> int:
    with open(plan_path) as f:
        plan = json.load(f)
    _prepare(plan["mnist"])
    import keras
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = {}
    base_env = dict(os.environ)
    for example in plan["examples"]:
        script, workdir = example["script"], example["workdir"]
        os.makedirs(workdir, exist_ok=True)
        os.environ.clear()
        os.environ.update(base_env)
        os.environ.update(example.get("env", {}))
        stdout_path = os.path.join(workdir, "stdout.txt")
        start = time.time()
        status = "ok"
        sys.path.insert(0, os.path.dirname(script))
        os.chdir(workdir)
        with open(stdout_path, "w") as out, contextlib.redirect_stdout(out):
            try:
                runpy.run_path(script, run_name="__main__")
            except SystemExit as error:
                if error.code not in (None, 0):
                    status = f"SystemExit({error.code!r})"
            except BaseException:  # noqa: BLE001 - recorded for the test to report
                status = traceback.format_exc()
        sys.path.remove(os.path.dirname(script))
        sys.modules.pop("book_data", None)
        plt.close("all")
        keras.backend.clear_session()
        results[os.path.basename(script)] = {"status": status, "stdout": stdout_path,
                                             "seconds": round(time.time() - start, 1)}
        print(f"{os.path.basename(script)}: {status.splitlines()[-1]} "
              f"({time.time() - start:.1f} s)", file=sys.stderr, flush=True)
    with open(results_path, "w") as f:
        json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
