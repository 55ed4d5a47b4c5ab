"""MNIST: the real files, downloads of IDX files, Keras's npz copy, and the bundled subset."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest

from glassnet.datasets import download, mnist, sources

from tests.datasets import makers

ROOT = Path(__file__).resolve().parents[2]
TRAIN_LABEL_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def _tool():
    spec = importlib.util.spec_from_file_location("make_bundled_mnist",
                                                  ROOT / "tools" / "make_bundled_mnist.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _assert_splits_equal(received, expected):
    for got, want in zip(received[0] + received[1], expected[0] + expected[1]):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def test_real_mnist_in_the_cache_is_read_exactly(shared_datasets, mnist_arrays, home,
                                                 closed_port_url, capsys):
    shutil.copytree(shared_datasets / "mnist", home / "mnist")
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert capsys.readouterr().err == ""  # no download, no notice
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert np.bincount(y_train).tolist() == TRAIN_LABEL_COUNTS
    _assert_splits_equal(((x_train, y_train), (x_test, y_test)), mnist_arrays)
    assert x_train.flags.writeable  # as Keras's arrays from np.load


def test_real_mnist_files_match_a_pinned_digest(shared_datasets):
    for name in mnist.IDX_FILES:
        spec = sources.FILES[f"mnist/{name}"]
        (digest,) = download.file_digests(shared_datasets / "mnist" / name)
        assert digest in spec.digests


def test_idx_files_are_downloaded_and_parsed(serve, mirror, home):
    files, arrays = makers.idx_split_files(np.random.default_rng(3))
    paths = [serve(f"mnist/{name}", data) for name, data in files.items()]
    (x_train, y_train), (x_test, y_test) = mnist.load_data(source="full")
    np.testing.assert_array_equal(x_train, arrays["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_train, arrays["train-labels-idx1-ubyte.gz"])
    np.testing.assert_array_equal(x_test, arrays["t10k-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte.gz"])
    assert x_train.shape == (30, 28, 28) and y_train.dtype == np.uint8
    assert sorted(p.name for p in (home / "mnist").iterdir()) == sorted(files)
    mnist.load_data(source="full")
    assert [mirror.requests[p] for p in paths] == [1, 1, 1, 1]


def test_keras_npz_copy_in_the_cache_is_read_like_keras_reads_it(home, pin, closed_port_url,
                                                                  keras_reading):
    _, arrays = makers.idx_split_files(np.random.default_rng(4))
    data = makers.keras_mnist_npz(arrays)
    pin("mnist.npz", data)
    home.mkdir(parents=True)
    (home / "mnist.npz").write_bytes(data)
    received = mnist.load_data()
    expected = keras_reading("mnist", home / "mnist.npz").load_data()
    _assert_splits_equal(received, expected)


def test_bundled_subset_shapes_and_dtypes(closed_port_url):
    (x_train, y_train), (x_test, y_test) = mnist.load_data(source="bundled")
    assert x_train.shape == (6000, 28, 28) and y_train.shape == (6000,)
    assert x_test.shape == (1000, 28, 28) and y_test.shape == (1000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert mnist.BUNDLED_PATH.stat().st_size < 2 * 2**20


def test_bundled_subset_is_real_mnist_stratified(mnist_arrays):
    (full_x_train, full_y_train), (full_x_test, full_y_test) = mnist_arrays
    (x_train, y_train), (x_test, y_test) = mnist.load_bundled()
    train_indices, test_indices = mnist.bundled_indices()
    assert np.all(np.diff(train_indices) > 0) and np.all(np.diff(test_indices) > 0)
    np.testing.assert_array_equal(x_train, full_x_train[train_indices])
    np.testing.assert_array_equal(y_train, full_y_train[train_indices])
    np.testing.assert_array_equal(x_test, full_x_test[test_indices])
    np.testing.assert_array_equal(y_test, full_y_test[test_indices])
    for subset, full in ((y_train, full_y_train), (y_test, full_y_test)):
        share = np.bincount(full) * len(subset) / len(full)
        assert np.all(np.abs(np.bincount(subset, minlength=10) - share) < 1)


def test_bundled_subset_is_what_the_tool_makes(shared_datasets, tmp_path):
    tool = _tool()
    arrays = tool.make_subset(shared_datasets / "mnist")
    with np.load(mnist.BUNDLED_PATH, allow_pickle=False) as shipped:
        assert sorted(shipped.files) == sorted(arrays)
        for name, array in arrays.items():
            assert shipped[name].dtype == array.dtype
            np.testing.assert_array_equal(shipped[name], array)
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    tool.write_npz(first, {"y": arrays["y_test"]})
    tool.write_npz(second, {"y": arrays["y_test"]})
    assert first.read_bytes() == second.read_bytes()


def test_quotas_round_by_largest_remainder():
    tool = _tool()
    labels = np.repeat(np.arange(10), TRAIN_LABEL_COUNTS)
    quotas = tool.class_quotas(labels, 6000)
    assert sum(quotas.values()) == 6000
    assert list(quotas.values()) == [592, 674, 596, 613, 584, 542, 592, 627, 585, 595]


def test_without_network_the_bundled_subset_stands_in_with_one_notice(closed_port_url, home,
                                                                      capsys):
    received = mnist.load_data()
    _assert_splits_equal(received, mnist.load_bundled())
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"glassnet: full MNIST is not in {home / 'mnist'}")
    assert "connection refused" in lines[0] and "bundled subset" in lines[0]


def test_full_source_raises_instead_of_falling_back(closed_port_url, home):
    with pytest.raises(download.DownloadError) as caught:
        mnist.load_data(source="full")
    assert str(home / "mnist" / "train-images-idx3-ubyte.gz") in str(caught.value)


def test_bundled_source_never_touches_the_network(mirror, capsys):
    mnist.load_data(source="bundled")
    assert sum(mirror.requests.values()) == 0
    assert capsys.readouterr().err == ""


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match=r"Received: source='subset'"):
        mnist.load_data(source="subset")


def test_notice_file_gives_the_attribution():
    text = (mnist.BUNDLED_PATH.parent / "NOTICE.txt").read_text()
    for words in ("Yann LeCun", "Corinna Cortes", "Burges", "CC BY-SA 3.0"):
        assert words in text


def test_offline_machine_tries_every_real_host_then_falls_back(home, monkeypatch, capsys):
    # No name resolves, as on a machine without a network: nothing leaves this process.
    import socket

    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(download.DownloadError) as caught:
        mnist.load_data(source="full")
    message = str(caught.value)
    for host in sources.MNIST_HOSTS:
        assert f"{host}train-images-idx3-ubyte.gz: host name not found" in message
    assert f"save it as\n  {home / 'mnist' / 'train-images-idx3-ubyte.gz'}\n" in message
    capsys.readouterr()
    (x_train, _), _ = mnist.load_data()
    assert x_train.shape == (6000, 28, 28)
    assert capsys.readouterr().err.count("\n") == 1
