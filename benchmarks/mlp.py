"""One MNIST training epoch of two MLPs in glassnet, PyTorch and Keras 3 (torch backend),
run interleaved in one process; prints medians and ratios and writes a JSON file.

Models (the books' first networks):
  seed: Dense(50, sigmoid) -> Dense(10, softmax), Adam, batch 32
  wide: Dense(512, relu) -> Dropout(0.2) -> Dense(10, softmax), Adam, batch 128

Usage:
    python benchmarks/mlp.py [--rounds 5] [--mnist ../shared/datasets/mnist]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MODELS = {
    "seed": {"hidden": 50, "activation": "sigmoid", "dropout": 0.0, "batch": 32},
    "wide": {"hidden": 512, "activation": "relu", "dropout": 0.2, "batch": 128},
}


def load_mnist(folder: Path):
    def read(name, offset):
        with gzip.open(folder / name, "rb") as f:
            return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)

    x_train = read("train-images-idx3-ubyte.gz", 16).reshape(-1, 784)
    y_train = read("train-labels-idx1-ubyte.gz", 8)
    x_test = read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784)
    y_test = read("t10k-labels-idx1-ubyte.gz", 8)
    scale = np.float32(1 / 255)
    return ((x_train * scale).astype(np.float32), y_train.astype(np.int64),
            (x_test * scale).astype(np.float32), y_test.astype(np.int64))


# --- glassnet ---------------------------------------------------------------------------------
def glassnet_epoch(spec, data, seed):
    import glassnet as gn
    from glassnet import layers
    gn.utils.set_random_seed(seed)
    x, y, x_test, y_test = data
    stack = [layers.Dense(spec["hidden"], activation=spec["activation"], input_shape=(784,))]
    if spec["dropout"]:
        stack.append(layers.Dropout(spec["dropout"]))
    stack.append(layers.Dense(10, activation="softmax"))
    model = gn.Sequential(stack)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, epochs=1, batch_size=spec["batch"], verbose=0)
    elapsed = time.perf_counter() - start
    accuracy = float(np.mean(np.argmax(model.predict(x_test, verbose=0), -1) == y_test))
    return elapsed, accuracy


# --- PyTorch ----------------------------------------------------------------------------------
def torch_epoch(spec, data, seed):
    import torch
    from torch import nn
    torch.manual_seed(seed)
    x, y, x_test, y_test = data
    x_t, y_t = torch.from_numpy(x), torch.from_numpy(y)
    act = nn.Sigmoid() if spec["activation"] == "sigmoid" else nn.ReLU()
    parts = [nn.Linear(784, spec["hidden"]), act]
    if spec["dropout"]:
        parts.append(nn.Dropout(spec["dropout"]))
    parts.append(nn.Linear(spec["hidden"], 10))
    model = nn.Sequential(*parts)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    batch = spec["batch"]
    start = time.perf_counter()
    model.train()
    order = torch.randperm(len(x_t))
    correct = 0
    for i in range(0, len(x_t), batch):
        idx = order[i:i + batch]
        xb, yb = x_t[idx], y_t[idx]
        optimizer.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        optimizer.step()
        correct += (logits.argmax(-1) == yb).sum().item()  # the accuracy a fit loop reports
    elapsed = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        accuracy = float((model(torch.from_numpy(x_test)).argmax(-1).numpy() == y_test).mean())
    return elapsed, accuracy


# --- Keras 3 on torch -------------------------------------------------------------------------
def keras_epoch(spec, data, seed):
    import keras
    keras.utils.set_random_seed(seed)
    x, y, x_test, y_test = data
    stack = [keras.Input((784,)), keras.layers.Dense(spec["hidden"],
                                                     activation=spec["activation"])]
    if spec["dropout"]:
        stack.append(keras.layers.Dropout(spec["dropout"]))
    stack.append(keras.layers.Dense(10, activation="softmax"))
    model = keras.Sequential(stack)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, epochs=1, batch_size=spec["batch"], verbose=0)
    elapsed = time.perf_counter() - start
    accuracy = float(np.mean(np.argmax(model.predict(x_test, verbose=0), -1) == y_test))
    return elapsed, accuracy


RUNNERS = {"glassnet": glassnet_epoch, "pytorch": torch_epoch, "keras": keras_epoch}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--models", default="seed,wide")
    parser.add_argument("--frameworks", default="glassnet,pytorch,keras")
    parser.add_argument("--mnist", default=str(ROOT.parent / "shared" / "datasets" / "mnist"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "mlp.json"))
    args = parser.parse_args()
    data = load_mnist(Path(args.mnist))
    frameworks = args.frameworks.split(",")
    results = {}
    for name in args.models.split(","):
        spec = MODELS[name]
        times = {f: [] for f in frameworks}
        accuracy = {f: [] for f in frameworks}
        for r in range(args.rounds):
            for framework in frameworks:  # interleaved: each round runs every framework
                elapsed, acc = RUNNERS[framework](spec, data, seed=r)
                times[framework].append(elapsed)
                accuracy[framework].append(acc)
                print(f"  {name} round {r + 1}: {framework:8s} {elapsed:6.3f} s  "
                      f"test accuracy {acc:.4f}", flush=True)
        medians = {f: statistics.median(times[f]) for f in frameworks}
        results[name] = {
            "spec": spec, "times_s": times, "median_s": medians,
            "test_accuracy_median": {f: statistics.median(accuracy[f]) for f in frameworks},
            "ratio_vs_pytorch": {f: medians[f] / medians["pytorch"] for f in frameworks}
            if "pytorch" in medians else {},
            "ratio_vs_keras": {f: medians[f] / medians["keras"] for f in frameworks}
            if "keras" in medians else {},
        }
    print()
    print(f"{'model':6s} {'framework':9s} {'median s':>9s} {'vs torch':>9s} {'vs keras':>9s} "
          f"{'test acc':>9s}")
    for name, res in results.items():
        for f in frameworks:
            print(f"{name:6s} {f:9s} {res['median_s'][f]:9.3f} "
                  f"{res['ratio_vs_pytorch'].get(f, float('nan')):9.2f} "
                  f"{res['ratio_vs_keras'].get(f, float('nan')):9.2f} "
                  f"{res['test_accuracy_median'][f]:9.4f}")
    meta = {"rounds": args.rounds, "python": platform.python_version(),
            "machine": platform.machine(), "cpus": os.cpu_count(),
            "numpy": np.__version__}
    try:
        import torch
        meta["torch"] = torch.__version__
        meta["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
