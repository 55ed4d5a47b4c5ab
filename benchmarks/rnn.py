"""Training-step time of the IMDB-style LSTM classifier in glassnet, PyTorch and Keras 3
(torch backend), run interleaved in one process; prints medians and ratios and writes JSON.

Model: Embedding(10000, 64) -> LSTM(64) -> Dense(1, sigmoid), Adam, binary cross-entropy,
batch 64, sequences of 100 random word ids.  Each framework trains ``--steps`` steps per
round (after a warm-up step); the time per step is the round's time / steps.

Two more rows compare single-threaded runs: ``glassnet_blas1`` limits NumPy's BLAS to one
thread (needs ``threadpoolctl``) and ``pytorch_1thread`` sets torch to one thread.  The
per-step GEMMs are small, and on a busy machine two BLAS threads wait on each other, so
on a shared machine these rows are the meaningful comparison.

Usage:
    python benchmarks/rnn.py [--rounds 5] [--steps 20]
"""

from __future__ import annotations

import argparse
import contextlib
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

VOCAB, EMBED, UNITS, BATCH, LENGTH = 10000, 64, 64, 64, 100


def make_data(steps: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, VOCAB, (steps * BATCH, LENGTH)).astype(np.int64)
    y = rng.integers(0, 2, (steps * BATCH, 1)).astype(np.float32)
    return x, y


def _blas_limit(threads):
    if threads is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=threads, user_api="blas")


# --- glassnet ---------------------------------------------------------------------------------
def glassnet_steps(data, seed, blas_threads=None):
    import glassnet as gn
    from glassnet.layers.core.embedding import Embedding
    from glassnet.layers.rnn import LSTM
    gn.utils.set_random_seed(seed)
    x, y = data
    model = gn.Sequential([gn.layers.Input((LENGTH,)), Embedding(VOCAB, EMBED), LSTM(UNITS),
                           gn.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    with _blas_limit(blas_threads):
        model.fit(x[:BATCH], y[:BATCH], batch_size=BATCH, epochs=1, verbose=0)  # warm-up
        start = time.perf_counter()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False)
        elapsed = time.perf_counter() - start
    return elapsed / (len(x) // BATCH)


def glassnet_one_blas_thread(data, seed):
    return glassnet_steps(data, seed, blas_threads=1)


# --- PyTorch ----------------------------------------------------------------------------------
def torch_steps(data, seed, threads=None):
    import torch
    from torch import nn
    torch.manual_seed(seed)
    previous = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        return _torch_run(data, torch, nn)
    finally:
        torch.set_num_threads(previous)


def torch_one_thread(data, seed):
    return torch_steps(data, seed, threads=1)


def _torch_run(data, torch, nn):
    """The idiomatic loop: zero_grad, forward, loss, backward, step."""

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCAB, EMBED)
            self.lstm = nn.LSTM(EMBED, UNITS, batch_first=True)
            self.dense = nn.Linear(UNITS, 1)

        def forward(self, tokens):
            _, (h, _) = self.lstm(self.embedding(tokens))
            return self.dense(h[-1])

    model = Classifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()
    x, y = (torch.from_numpy(a) for a in data)

    def step(xb, yb):
        optimizer.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        optimizer.step()
        return ((logits > 0) == (yb > 0.5)).float().mean().item()  # what a fit loop reports

    step(x[:BATCH], y[:BATCH])  # warm-up (oneDNN builds its kernels here)
    start = time.perf_counter()
    for i in range(0, len(x), BATCH):
        step(x[i:i + BATCH], y[i:i + BATCH])
    return (time.perf_counter() - start) / (len(x) // BATCH)


# --- Keras 3 on torch -------------------------------------------------------------------------
def keras_steps(data, seed):
    import keras
    keras.utils.set_random_seed(seed)
    x, y = data
    model = keras.Sequential([keras.Input((LENGTH,), dtype="int32"),
                              keras.layers.Embedding(VOCAB, EMBED), keras.layers.LSTM(UNITS),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x[:BATCH], y[:BATCH], batch_size=BATCH, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False)
    return (time.perf_counter() - start) / (len(x) // BATCH)


RUNNERS = {"glassnet": glassnet_steps, "glassnet_blas1": glassnet_one_blas_thread,
           "pytorch": torch_steps, "pytorch_1thread": torch_one_thread, "keras": keras_steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--frameworks",
                        default="glassnet,glassnet_blas1,pytorch,pytorch_1thread,keras")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "rnn.json"))
    args = parser.parse_args()
    frameworks = args.frameworks.split(",")
    if "glassnet_blas1" in frameworks:
        try:
            import threadpoolctl  # noqa: F401
        except ImportError:
            frameworks.remove("glassnet_blas1")
    data = make_data(args.steps)
    times = {f: [] for f in frameworks}
    loads = []
    for r in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for framework in frameworks:  # interleaved: each round runs every framework
            per_step = RUNNERS[framework](data, seed=r)
            times[framework].append(per_step)
            print(f"  round {r + 1}: {framework:15s} {per_step * 1e3:8.2f} ms/step", flush=True)
    medians = {f: statistics.median(times[f]) for f in frameworks}
    result = {
        "spec": {"model": "Embedding(10000, 64) -> LSTM(64) -> Dense(1, sigmoid)",
                 "optimizer": "adam", "batch": BATCH, "length": LENGTH, "steps": args.steps},
        "times_s_per_step": times, "median_s_per_step": medians,
        "ratio_vs_pytorch": {f: medians[f] / medians["pytorch"] for f in frameworks}
        if "pytorch" in medians else {},
        "ratio_vs_keras": {f: medians[f] / medians["keras"] for f in frameworks}
        if "keras" in medians else {},
    }
    print()
    print(f"{'framework':15s} {'ms/step':>9s} {'vs torch':>9s} {'vs keras':>9s}")
    for f in frameworks:
        print(f"{f:15s} {medians[f] * 1e3:9.2f} "
              f"{result['ratio_vs_pytorch'].get(f, float('nan')):9.2f} "
              f"{result['ratio_vs_keras'].get(f, float('nan')):9.2f}")
    meta = {"rounds": args.rounds, "python": platform.python_version(),
            "machine": platform.machine(), "cpus": os.cpu_count(), "numpy": np.__version__,
            "load_average_at_rounds": loads}
    try:
        import torch
        meta["torch"] = torch.__version__
        meta["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"meta": meta, "results": {"lstm": result}},
                                         indent=2))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
