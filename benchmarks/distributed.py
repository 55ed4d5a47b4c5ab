"""Data-parallel training speed on 1 process without MPI and on 1 and 2 MPI ranks (one BLAS
thread per rank), with the time spent in the gradient allreduce measured separately:

  wide: Dense(512, relu) -> Dropout(0.2) -> Dense(10, softmax), Adam, global batch 128,
        one epoch of the 60,000 MNIST training images;
  cnn:  the books' CNN (Conv2D 32, Conv2D 64, MaxPooling2D, Dropout, Dense 128, Dropout,
        Dense 10; 1,199,882 parameters), Adam, global batch 200, the first 12,000 images.

Prints a table of medians and writes benchmarks/results/distributed.json.

Usage:
    python benchmarks/distributed.py [--rounds 3] [--ranks 1 2] [--models wide cnn]
(needs Open MPI's mpirun and mpi4py: pip install glassnet[mpi])
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def worker(args) -> None:
    """One timed epoch in this process (under mpirun when --distributed)."""
    import glassnet as gn
    from benchmarks.mlp import load_mnist
    from glassnet import layers

    x, y, _, _ = load_mnist(Path(args.mnist))
    batch_size = 128
    if args.models == ["cnn"]:
        x, y, batch_size = x[:12000].reshape(-1, 28, 28, 1), y[:12000], 200
    gn.utils.set_random_seed(0)
    rank, spent = 0, [0.0]
    if args.distributed:
        strategy = gn.distribute.MPIDataParallel()
        rank = strategy.rank
        communicator = strategy.comm
        allreduce = communicator.allreduce_sum_

        def timed_allreduce(buffer, what="the gradient allreduce"):
            start = time.perf_counter()
            allreduce(buffer, what)
            if what == "the gradient allreduce":
                spent[0] += time.perf_counter() - start

        communicator.allreduce_sum_ = timed_allreduce
        scope = strategy.scope()
    else:
        import contextlib

        from glassnet.utils import blas
        blas.set_num_threads(1)
        scope = contextlib.nullcontext()
    with scope:
        if args.models == ["cnn"]:
            model = gn.Sequential([
                layers.Conv2D(32, kernel_size=(3, 3), input_shape=(28, 28, 1),
                              activation="relu"),
                layers.Conv2D(64, (3, 3), activation="relu"), layers.MaxPooling2D(pool_size=2),
                layers.Dropout(0.25), layers.Flatten(), layers.Dense(128, activation="relu"),
                layers.Dropout(0.5), layers.Dense(10, activation="softmax")])
        else:
            model = gn.Sequential([layers.Dense(512, activation="relu", input_shape=(784,)),
                                   layers.Dropout(0.2), layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    warm = 10 * batch_size
    model.fit(x[:warm], y[:warm], batch_size=batch_size, epochs=1, verbose=0)
    spent[0] = 0.0
    start = time.perf_counter()
    history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    seconds = time.perf_counter() - start
    steps = -(-len(x) // batch_size)
    if rank == 0:
        print(json.dumps({"seconds": seconds, "allreduce_ms_per_step": 1000 * spent[0] / steps,
                          "accuracy": history.history["accuracy"][-1],
                          "samples": len(x), "params": int(model.count_params())}))


def run(command: list, env: dict) -> dict:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--models", nargs="+", default=["wide", "cnn"], choices=["wide", "cnn"])
    parser.add_argument("--mnist", default=str(ROOT.parent / "shared" / "datasets" / "mnist"))
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--distributed", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    report = {"machine": platform.machine(), "cpus": os.cpu_count(), "rounds": args.rounds,
              "models": {}}
    for model_name in args.models:
        script = [sys.executable, str(Path(__file__).resolve()), "--worker", "--mnist",
                  args.mnist, "--models", model_name]
        setups = {"1 process, no MPI": script}
        for ranks in args.ranks:
            setups[f"{ranks} MPI rank{'s' if ranks > 1 else ''}"] = [
                "mpirun", "-n", str(ranks), "--oversubscribe", *script, "--distributed"]
        runs = {name: [] for name in setups}
        for _ in range(args.rounds):  # interleaved, so a busy moment hits every setup
            for name, command in setups.items():
                runs[name].append(run(command, env))
        base = statistics.median(r["seconds"] for r in runs["1 process, no MPI"])
        samples = runs["1 process, no MPI"][0]["samples"]
        rows = []
        print(f"\n{model_name} ({runs['1 process, no MPI'][0]['params']:,} parameters, "
              f"{samples:,} samples)")
        print(f"{'setup':<20} {'epoch s':>9} {'samples/s':>10} {'speed-up':>9} "
              f"{'efficiency':>10} {'allreduce ms/step':>18} {'accuracy':>9}")
        for name, results in runs.items():
            ranks = int(name.split()[0])
            seconds = statistics.median(r["seconds"] for r in results)
            allreduce = statistics.median(r["allreduce_ms_per_step"] for r in results)
            row = {"setup": name, "ranks": ranks, "epoch_seconds_median": seconds,
                   "epoch_seconds": [r["seconds"] for r in results],
                   "samples_per_second": samples / seconds, "speedup": base / seconds,
                   "scaling_efficiency": base / seconds / ranks,
                   "allreduce_ms_per_step": allreduce, "accuracy": results[-1]["accuracy"]}
            rows.append(row)
            print(f"{name:<20} {seconds:>9.2f} {row['samples_per_second']:>10.0f} "
                  f"{row['speedup']:>8.2f}x {row['scaling_efficiency']:>10.2f} "
                  f"{allreduce:>18.3f} {row['accuracy']:>9.4f}")
        report["models"][model_name] = {"params": runs["1 process, no MPI"][0]["params"],
                                        "samples": samples, "rows": rows}
    out = ROOT / "benchmarks" / "results" / "distributed.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out}")

if __name__ == "__main__":
    main()
