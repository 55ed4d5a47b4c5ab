"""Make glassnet/datasets/data/mnist_subset.npz: a stratified subset of real MNIST.

6,000 training and 1,000 test images are taken from the four original IDX files (checked
against the digests in glassnet.datasets.sources).  Each class gets its share of the subset
in the proportion it has in the full split (largest remainders round the shares to whole
images), and the images of each class are drawn with NumPy's legacy RandomState(SEED), whose
stream NumPy keeps fixed across versions, so the same files always give the same subset.
The images keep MNIST's order; the file also records their positions in the full splits.

Usage:
    python tools/make_bundled_mnist.py [--source DIR] [--output FILE]

Example:
    $ python tools/make_bundled_mnist.py --source ../shared/datasets/mnist
    wrote glassnet/datasets/data/mnist_subset.npz (1.1 MiB): train 6000, test 1000
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from glassnet.datasets import sources  # noqa: E402
from glassnet.datasets.download import file_digests  # noqa: E402
from glassnet.datasets.idx import read_idx_split  # noqa: E402
from glassnet.datasets.mnist import IDX_FILES  # noqa: E402

SEED = 0
TRAIN_SIZE = 6000
TEST_SIZE = 1000
DEFAULT_SOURCE = ROOT.parent / "shared" / "datasets" / "mnist"
DEFAULT_OUTPUT = ROOT / "glassnet" / "datasets" / "data" / "mnist_subset.npz"


def class_quotas(labels: np.ndarray, size: int) -> dict[int, int]:
    """How many images of each class a subset of ``size`` gets: proportional shares, rounded
    by largest remainder (ties to the smaller label).

    Example:
        >>> class_quotas(np.array([0, 0, 0, 1]), 2)
        {0: 2, 1: 0}
    """
    classes, counts = np.unique(labels, return_counts=True)
    exact = counts * size / len(labels)
    quotas = np.floor(exact).astype(int)
    order = np.argsort(-(exact - quotas), kind="stable")
    quotas[order[:size - quotas.sum()]] += 1
    return {int(c): int(q) for c, q in zip(classes, quotas)}


def stratified_indices(labels: np.ndarray, size: int, rng: np.random.RandomState) -> np.ndarray:
    """Ascending positions of a stratified random subset of ``size`` labels.

    Example:
        >>> stratified_indices(np.array([0, 1, 0, 1]), 2, np.random.RandomState(0)).tolist()
        [1, 2]
    """
    chosen = []
    for label, quota in class_quotas(labels, size).items():
        members = np.flatnonzero(labels == label)
        chosen.append(members[rng.permutation(len(members))[:quota]])
    return np.sort(np.concatenate(chosen))


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write a compressed .npz whose bytes depend only on the arrays (fixed zip time stamps),
    through a temporary file renamed into place."""
    temporary = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)
    os.replace(temporary, path)


def check_sources(folder: Path) -> list[Path]:
    """The four IDX files in ``folder``, each checked against its pinned digests."""
    paths = []
    for name in IDX_FILES:
        spec = sources.FILES[f"mnist/{name}"]
        path = folder / name
        if not path.is_file():
            raise SystemExit(f"missing {path}: the four MNIST IDX files are needed")
        if not set(file_digests(path, spec.algorithms)) & set(spec.digests):
            raise SystemExit(f"{path} does not match any pinned digest of {spec.path}")
        paths.append(path)
    return paths


def make_subset(folder: Path) -> dict[str, np.ndarray]:
    """The arrays of the bundled file, from the IDX files in ``folder``."""
    paths = check_sources(folder)
    (x_train, y_train), (x_test, y_test) = (read_idx_split(paths[0], paths[1]),
                                            read_idx_split(paths[2], paths[3]))
    rng = np.random.RandomState(SEED)
    train = stratified_indices(y_train, TRAIN_SIZE, rng)
    test = stratified_indices(y_test, TEST_SIZE, rng)
    return {"x_train": x_train[train], "y_train": y_train[train],
            "x_test": x_test[test], "y_test": y_test[test],
            "train_indices": train.astype(np.int32), "test_indices": test.astype(np.int32)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder with the four MNIST IDX .gz files")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    arrays = make_subset(args.source)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_npz(args.output, arrays)
    size = args.output.stat().st_size / 2**20
    print(f"wrote {args.output} ({size:.1f} MiB): train {len(arrays['y_train'])}, "
          f"test {len(arrays['y_test'])}")


if __name__ == "__main__":
    main()
