"""One MNIST training epoch of the books' CNN in glassnet, PyTorch and Keras 3 (torch backend),
run interleaved in one process; prints medians and ratios and writes a JSON file.

Model (Chollet's MNIST convnet): Conv2D(32, 3x3, relu) -> Conv2D(64, 3x3, relu) ->
MaxPooling2D(2) -> Dropout(0.25) -> Flatten -> Dense(128, relu) -> Dropout(0.5) ->
Dense(10, softmax); categorical cross-entropy, Adam, batch 200.

glassnet and PyTorch run twice per round: with their default number of threads (glassnet:
as many as OpenBLAS is allowed) and with one thread.
Each run reports wall time and the process's CPU time (on a machine other programs share,
CPU time shows the work done, wall time what a user waits).  ``--samples N`` trains on the
first N images and scales the times to a full epoch.  ``--memory`` also runs each
framework once in a fresh process and reports its peak resident memory (VmHWM) and the
part of it added by training (peak minus the resident memory once the data is loaded and
the model built).  ``--gemm`` measures one core's float32 GEMM throughput for the
products the convolutions run.

Usage:
    python benchmarks/cnn.py [--rounds 3] [--samples 60000] [--memory] [--gemm]
                             [--mnist ../shared/datasets/mnist]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 200
FRAMEWORKS = ("glassnet", "glassnet-1thread", "pytorch", "pytorch-1thread", "keras")


def load_mnist(folder: Path):
    """x as (N, 28, 28, 1) float32 in [0, 1], y one-hot float32 (as the book prepares it)."""
    def read(name, offset):
        with gzip.open(folder / name, "rb") as f:
            return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)

    def images(name):
        raw = read(name, 16).reshape(-1, 28, 28, 1)
        return np.multiply(raw, np.float32(1 / 255), dtype=np.float32)

    def onehot(name):
        return np.eye(10, dtype=np.float32)[read(name, 8)]

    return (images("train-images-idx3-ubyte.gz"), onehot("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), onehot("t10k-labels-idx1-ubyte.gz"))


def rss_kib(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in KiB (0 where unknown)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak() -> None:
    """Start VmHWM again from the current resident size (Linux; ignored elsewhere)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


# --- glassnet ---------------------------------------------------------------------------------
def glassnet_setup(seed):
    import glassnet as keras
    from glassnet import layers
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def glassnet_train(model, data):
    x, y = data[0], data[1]
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)


def glassnet_accuracy(model, data):
    predicted = model.predict(data[2], batch_size=1000, verbose=0)
    return float(np.mean(np.argmax(predicted, -1) == np.argmax(data[3], -1)))


# --- PyTorch ----------------------------------------------------------------------------------
def torch_setup(seed):
    import torch
    from torch import nn
    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    return model, optimizer


def torch_train(state, data):
    import torch
    from torch import nn
    model, optimizer = state
    # Pre-loaded tensors in PyTorch's NCHW layout, labels as class indices.
    x = torch.from_numpy(np.ascontiguousarray(data[0].transpose(0, 3, 1, 2)))
    y = torch.from_numpy(np.argmax(data[1], -1))
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    order = torch.randperm(len(x))
    correct = 0
    for i in range(0, len(x), BATCH):
        idx = order[i:i + BATCH]
        xb, yb = x[idx], y[idx]
        optimizer.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        optimizer.step()
        correct += (logits.argmax(-1) == yb).sum().item()  # the accuracy a fit loop reports


def torch_accuracy(state, data):
    import torch
    model = state[0]
    model.eval()
    with torch.no_grad():
        x = torch.from_numpy(np.ascontiguousarray(data[2].transpose(0, 3, 1, 2)))
        predicted = model(x).argmax(-1).numpy()
    return float(np.mean(predicted == np.argmax(data[3], -1)))


# --- Keras 3 on torch -------------------------------------------------------------------------
def keras_setup(seed):
    import keras
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        keras.layers.Conv2D(64, (3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Dropout(0.25),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def glassnet_train_one_thread(model, data):
    from glassnet.ops.parallel import limit_threads
    with limit_threads(1):
        glassnet_train(model, data)


RUNNERS = {
    "glassnet": (glassnet_setup, glassnet_train, glassnet_accuracy),
    "glassnet-1thread": (glassnet_setup, glassnet_train_one_thread, glassnet_accuracy),
    "pytorch": (torch_setup, torch_train, torch_accuracy),
    "pytorch-1thread": (torch_setup, torch_train, torch_accuracy),
    "keras": (keras_setup, glassnet_train, glassnet_accuracy),  # same fit/predict calls
}


def run_epoch(framework: str, data, seed: int) -> tuple:
    """(wall seconds, CPU seconds of this process, test accuracy) of one training epoch."""
    setup, train, accuracy = RUNNERS[framework]
    threads = None
    if framework.startswith("pytorch"):
        import torch
        threads = torch.get_num_threads()
        if framework == "pytorch-1thread":
            torch.set_num_threads(1)
    try:
        state = setup(seed)
        start, cpu = time.perf_counter(), time.process_time()
        train(state, data)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        return elapsed, cpu, accuracy(state, data)
    finally:
        if threads is not None:
            import torch
            torch.set_num_threads(threads)


def child_memory(framework: str, mnist: str) -> None:
    """Run one epoch in this (fresh) process and print its memory figures as JSON."""
    if framework.startswith("pytorch") or framework == "keras":
        import torch  # noqa: F401 - the library's own footprint belongs to the baseline
        if framework == "pytorch-1thread":
            torch.set_num_threads(1)
    if framework.startswith("glassnet"):
        import glassnet  # noqa: F401
    data = load_mnist(Path(mnist))
    setup, train, _ = RUNNERS[framework]
    state = setup(0)
    reset_peak()
    baseline = rss_kib("VmRSS")
    train(state, data)
    peak = rss_kib("VmHWM")
    print(json.dumps({"peak_rss_mib": peak / 1024, "baseline_rss_mib": baseline / 1024,
                      "training_mib": (peak - baseline) / 1024}))


def measure_memory(frameworks, mnist: str) -> dict:
    result = {}
    for framework in frameworks:
        out = subprocess.run([sys.executable, __file__, "--child", framework, "--mnist", mnist],
                             capture_output=True, text=True, check=True)
        result[framework] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  memory {framework:16s} peak {result[framework]['peak_rss_mib']:7.1f} MiB, "
              f"training adds {result[framework]['training_mib']:7.1f} MiB", flush=True)
    return result


def gemm_report(repeats: int = 7) -> dict:
    """float32 GEMM throughput on one core for a large square product (the machine's
    practical peak) and for the products the CNN's convolutions run per chunk."""
    from glassnet.ops.conv import CHUNK_ROWS
    from glassnet.ops.parallel import single_threaded_blas

    rng = np.random.default_rng(0)
    rows2 = round(CHUNK_ROWS / 576) * 576  # conv2: 24 x 24 output pixels per image
    rows1 = round(CHUNK_ROWS / 676) * 676  # conv1: 26 x 26
    shapes = {
        "square 2048x2048x2048": ((2048, 2048), (2048, 2048), False),
        f"conv2 forward col @ W ({rows2}x288x64)": ((rows2, 288), (288, 64), False),
        f"conv2 kernel grad col.T @ dz (288x{rows2}x64)": ((rows2, 288), (rows2, 64), True),
        f"conv2 input grad dz @ W_k.T, 9 per chunk ({rows2}x64x32)": ((rows2, 64), (64, 32),
                                                                     False),
        f"conv1 forward col @ W ({rows1}x9x32)": ((rows1, 9), (9, 32), False),
        f"conv1 kernel grad col.T @ dz (9x{rows1}x32)": ((rows1, 9), (rows1, 32), True),
    }
    result = {}
    with single_threaded_blas():
        for name, (a_shape, b_shape, transposed) in shapes.items():
            a = rng.standard_normal(a_shape, dtype=np.float32)
            b = rng.standard_normal(b_shape, dtype=np.float32)
            flops = 2 * a.size * b_shape[1]  # a (m, k) times b (k, n), or a.T (k, m) times b
            best = float("inf")
            for _ in range(repeats):
                start = time.process_time()
                _ = a.T @ b if transposed else a @ b
                best = min(best, time.process_time() - start)
            result[name] = flops / max(best, 1e-9) / 1e9
    peak = result["square 2048x2048x2048"]
    for name, rate in result.items():
        print(f"  {name:58s} {rate:6.1f} GFLOP/s  {rate / peak:5.0%} of the square product")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=60000,
                        help="train on the first N images (times are scaled to 60,000)")
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--gemm", action="store_true",
                        help="also measure one core's float32 GEMM throughput")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--mnist", default=str(ROOT.parent / "shared" / "datasets" / "mnist"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "cnn.json"))
    args = parser.parse_args()
    if args.child:
        child_memory(args.child, args.mnist)
        return
    frameworks = args.frameworks.split(",")
    data = load_mnist(Path(args.mnist))
    scale = len(data[0]) / min(args.samples, len(data[0]))
    data = (data[0][:args.samples], data[1][:args.samples], data[2], data[3])
    times = {f: [] for f in frameworks}
    cpu_times = {f: [] for f in frameworks}
    accuracy = {f: [] for f in frameworks}
    loads = []
    results = {}
    for r in range(args.rounds):
        for framework in frameworks:  # interleaved: each round runs every framework
            loads.append(os.getloadavg()[0] if hasattr(os, "getloadavg") else None)
            elapsed, cpu, acc = run_epoch(framework, data, seed=r)
            times[framework].append(elapsed * scale)
            cpu_times[framework].append(cpu * scale)
            accuracy[framework].append(acc)
            print(f"  round {r + 1}: {framework:16s} {elapsed * scale:7.2f} s "
                  f"(CPU {cpu * scale:7.2f} s)  test accuracy {acc:.4f}", flush=True)
        results = summarize(times, accuracy)
        results["cpu"] = summarize(cpu_times, accuracy)
        results["samples"], results["scaled_to_epoch_of"] = len(data[0]), 60000
        write(args, results, loads)  # after every round, so a long run leaves its results
    if args.memory:
        results["memory"] = measure_memory(frameworks, args.mnist)
    if args.gemm:
        results["gemm_gflops_one_core"] = gemm_report()
    print_table(frameworks, results)
    write(args, results, loads)


def summarize(times: dict, accuracy: dict) -> dict:
    medians = {f: statistics.median(v) for f, v in times.items() if v}

    def ratios(base):
        return {f: m / medians[base] for f, m in medians.items()} if base in medians else {}

    return {"times_s": times, "median_s": medians,
            "test_accuracy_median": {f: statistics.median(v) for f, v in accuracy.items() if v},
            "ratio_vs_pytorch": ratios("pytorch"),
            "ratio_vs_pytorch_1thread": ratios("pytorch-1thread"),
            "ratio_vs_keras": ratios("keras")}


def print_table(frameworks, results: dict) -> None:
    print()
    print("seconds per 60,000-image epoch (median); ratios of wall time, then of CPU time")
    print(f"{'framework':16s} {'wall s':>8s} {'vs torch':>8s} {'vs torch1':>9s} "
          f"{'vs keras':>8s} {'CPU s':>8s} {'vs torch':>8s} {'vs torch1':>9s} "
          f"{'test acc':>8s} {'peak MiB':>9s} {'train MiB':>9s}")
    nan = float("nan")
    for f in frameworks:
        memory = results.get("memory", {}).get(f, {})
        column = {key: results.get(key, {}).get(f, nan) for key in (
            "median_s", "ratio_vs_pytorch", "ratio_vs_pytorch_1thread", "ratio_vs_keras",
            "test_accuracy_median")}
        cpu = {key: results.get("cpu", {}).get(key, {}).get(f, nan) for key in (
            "median_s", "ratio_vs_pytorch", "ratio_vs_pytorch_1thread")}
        print(f"{f:16s} {column['median_s']:8.1f} {column['ratio_vs_pytorch']:8.2f} "
              f"{column['ratio_vs_pytorch_1thread']:9.2f} {column['ratio_vs_keras']:8.2f} "
              f"{cpu['median_s']:8.1f} {cpu['ratio_vs_pytorch']:8.2f} "
              f"{cpu['ratio_vs_pytorch_1thread']:9.2f} {column['test_accuracy_median']:8.4f} "
              f"{memory.get('peak_rss_mib', nan):9.1f} {memory.get('training_mib', nan):9.1f}")


def write(args, results: dict, loads: list) -> None:
    meta = {"rounds": args.rounds, "batch_size": BATCH, "python": platform.python_version(),
            "machine": platform.machine(), "cpus": os.cpu_count(), "numpy": np.__version__,
            "load_average_at_each_run": loads}
    try:
        import torch
        meta["torch"] = torch.__version__
        meta["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print(f"written {args.out}", flush=True)


if __name__ == "__main__":
    main()
