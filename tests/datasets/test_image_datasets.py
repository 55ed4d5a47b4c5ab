"""Fashion-MNIST and CIFAR-10 from files in their original formats, against Keras."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet import backend
from glassnet.datasets import cifar10, fashion_mnist, mnist
from glassnet.datasets.idx import parse_idx, read_idx_gz

from tests.datasets import makers


def _assert_same(received, expected):
    for got, want in zip(received[0] + received[1], expected[0] + expected[1]):
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_fashion_mnist_matches_keras(serve, mirror, home, keras_reading):
    files, _ = makers.idx_split_files(np.random.default_rng(5), n_train=25, n_test=9)
    paths = [serve(f"fashion-mnist/{name}", data) for name, data in files.items()]
    received = fashion_mnist.load_data()
    folder = home / "fashion-mnist"
    expected = keras_reading("fashion_mnist", lambda fname: folder / fname).load_data()
    _assert_same(received, expected)
    assert received[0][0].shape == (25, 28, 28) and received[1][1].shape == (9,)
    fashion_mnist.load_data()
    assert [mirror.requests[p] for p in paths] == [1, 1, 1, 1]


def test_idx_reader_rejects_damaged_files(tmp_path):
    good = makers.idx_gz(np.arange(12, dtype=np.uint8).reshape(3, 2, 2))
    (tmp_path / "cut.gz").write_bytes(good[:-10])
    with pytest.raises(ValueError, match="not a complete gzip file"):
        read_idx_gz(tmp_path / "cut.gz")
    with pytest.raises(ValueError, match=r"needs 12 bytes after the header. Received: 11"):
        parse_idx(bytes([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2]) + bytes(11))
    with pytest.raises(ValueError, match="type code 0x08"):
        parse_idx(bytes([0, 0, 0x0D, 1, 0, 0, 0, 1]) + bytes(4))
    with pytest.raises(ValueError, match="expected an IDX file with 1 dimensions"):
        parse_idx(bytes([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 7]), ndim=1)


def test_idx_labels_and_images_must_agree(tmp_path):
    (tmp_path / "x.gz").write_bytes(makers.idx_gz(np.zeros((3, 28, 28))))
    (tmp_path / "y.gz").write_bytes(makers.idx_gz(np.zeros(2)))
    from glassnet.datasets.idx import read_idx_split
    with pytest.raises(ValueError, match="3 images but .* 2 labels"):
        read_idx_split(tmp_path / "x.gz", tmp_path / "y.gz")


def _keras_cifar_reference(keras, files, folder, channels_last):
    """Keras's own batch reader and its assembly steps (Keras's load_data sizes its arrays for
    the real 50,000 images, so it cannot take a small archive whole)."""
    from keras.src.datasets.cifar import load_batch
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    train = [load_batch(str(folder / f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([x for x, _ in train]).astype("uint8")
    y_train = np.concatenate([np.asarray(y) for _, y in train]).astype("uint8").reshape(-1, 1)
    x_test, y_test = load_batch(str(folder / "test_batch"))
    y_test = np.reshape(y_test, (len(y_test), 1)).astype(y_train.dtype)
    if channels_last:
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test.astype(x_train.dtype), y_test)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_cifar10_matches_keras(serve, keras, tmp_path, data_format, monkeypatch):
    archive, files, _ = makers.cifar_archive(np.random.default_rng(6))
    serve("cifar-10-python.tar.gz", archive)
    monkeypatch.setattr(backend._Settings, "image_data_format", data_format)
    received = cifar10.load_data()
    expected = _keras_cifar_reference(keras, files, tmp_path / "batches",
                                      data_format == "channels_last")
    _assert_same(received, expected)
    images = (20, 32, 32, 3) if data_format == "channels_last" else (20, 3, 32, 32)
    assert received[0][0].shape == images and received[0][1].shape == (20, 1)
    assert received[0][0].flags.c_contiguous


def test_cifar_pixels_are_planes_of_red_green_blue(serve):
    archive, _, batches = makers.cifar_archive(np.random.default_rng(7))
    serve("cifar-10-python.tar.gz", archive)
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    stored = batches["data_batch_2"][b"data"][1]  # 1024 red, 1024 green, 1024 blue values
    image = x_train[4 + 1]
    for channel in range(3):
        np.testing.assert_array_equal(image[..., channel].ravel(),
                                      stored[1024 * channel:1024 * (channel + 1)])
    assert y_train[5, 0] == batches["data_batch_2"][b"labels"][1]
    assert y_test[:, 0].tolist() == batches["test_batch"][b"labels"]


def test_cifar_archive_without_a_batch_is_refused(serve, tmp_path):
    import io
    import tarfile
    archive, files, _ = makers.cifar_archive(np.random.default_rng(8))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as smaller:
        for name in ("data_batch_1", "test_batch"):
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(files[name])
            smaller.addfile(info, io.BytesIO(files[name]))
    serve("cifar-10-python.tar.gz", buffer.getvalue())
    with pytest.raises(ValueError, match="lacks the CIFAR-10 batches data_batch_2"):
        cifar10.load_data()


def test_the_datasets_package_exposes_keras_modules():
    import glassnet
    import glassnet.datasets as datasets
    for name in ("mnist", "fashion_mnist", "cifar10", "imdb", "reuters", "boston_housing"):
        assert callable(getattr(datasets, name).load_data)
    assert glassnet.datasets.mnist is mnist
