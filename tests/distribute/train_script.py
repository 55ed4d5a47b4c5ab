"""A data-parallel training run used by the distribute tests (started with mpirun).

    mpirun -n 2 python train_script.py --out DIR [--epochs N] [--kill-rank R --kill-step S]
                                       [--checkpoint PATH] [--resume PATH --initial-epoch K]
                                       [--warm-up]

Writes DIR/weights_rank{r}.npz and DIR/history_rank{r}.json.  Without mpirun (or with
--single) it trains in one process with the same global batch.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import glassnet  # noqa: E402
from glassnet import layers  # noqa: E402


def data(n: int = 2560):
    rng = np.random.default_rng(123)
    x = rng.random((n, 784), dtype=np.float32)
    w = rng.standard_normal((784, 10)).astype(np.float32)
    y = np.argmax(x @ w + 0.1 * rng.standard_normal((n, 10)), axis=1)
    return x, y


def wide_mlp():
    # tanh rather than relu: a ReLU unit whose input rounds to either side of zero turns its
    # gradient on or off, so the summation order alone (one GEMM over 128 rows or two over
    # 64) can move some weights by up to a step; tanh keeps the comparison about the
    # parallelism.
    return glassnet.Sequential([layers.Dense(512, activation="tanh", input_shape=(784,)),
                                layers.Dropout(0.2), layers.Dense(10, activation="softmax")])


class KillAt(glassnet.callbacks.Callback):
    def __init__(self, rank, step, my_rank):
        super().__init__()
        self.rank, self.step, self.my_rank = rank, step, my_rank

    def on_train_batch_end(self, batch, logs=None):
        if self.my_rank == self.rank and batch == self.step:
            os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--single", action="store_true")
    parser.add_argument("--kill-rank", type=int)
    parser.add_argument("--kill-step", type=int, default=5)
    parser.add_argument("--checkpoint")
    parser.add_argument("--resume")
    parser.add_argument("--initial-epoch", type=int, default=0)
    parser.add_argument("--warm-up", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    x, y = data()
    glassnet.utils.set_random_seed(7)
    rank = 0
    if args.single:
        model = glassnet.models.load_model(args.resume) if args.resume else wide_mlp()
        if not args.resume:
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
    else:
        strategy = glassnet.distribute.MPIDataParallel(timeout=60)
        rank = strategy.rank
        with strategy.scope():
            if args.resume:
                model = glassnet.models.load_model(args.resume)
            else:
                model = wide_mlp()
                model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                              metrics=["accuracy"])
    callbacks = []
    if args.kill_rank is not None:
        callbacks.append(KillAt(args.kill_rank, args.kill_step, rank))
    if args.checkpoint:
        callbacks.append(glassnet.callbacks.ModelCheckpoint(args.checkpoint))
    if args.warm_up:  # a first fit builds the optimizer: the next fit broadcasts its state
        model.fit(x[:256], y[:256], batch_size=128, epochs=1, verbose=0)
    history = model.fit(x, y, batch_size=128, epochs=args.epochs, verbose=2 if rank == 0 else 0,
                        callbacks=callbacks, initial_epoch=args.initial_epoch)
    np.savez(out / f"weights_rank{rank}.npz", *model.get_weights())
    (out / f"history_rank{rank}.json").write_text(json.dumps(history.history))


if __name__ == "__main__":
    main()
