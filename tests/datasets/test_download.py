"""The cache and download machinery, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import os

import numpy as np
import pytest

from glassnet.datasets import boston_housing, download, sources

from tests.datasets import makers

KEY = "boston_housing.npz"


@pytest.fixture
def boston_file(serve):
    data = makers.boston_npz(np.random.default_rng(0))
    path = serve(KEY, data)
    return data, path


def test_default_cache_folder_is_under_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(download.HOME_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert download.cache_dir() == tmp_path / ".glassnet" / "datasets"
    monkeypatch.setenv(download.HOME_ENV, str(tmp_path / "elsewhere"))
    assert download.cache_dir() == tmp_path / "elsewhere" / "datasets"


def test_download_shows_progress_and_puts_the_file_in_the_cache(boston_file, mirror, home,
                                                                capsys):
    data, path = boston_file
    result = download.fetch(KEY)
    assert result == home / KEY
    assert result.read_bytes() == data
    err = capsys.readouterr().err
    assert f"Downloading {mirror.url}{path}" in err
    assert str(home / KEY) in err
    final = err.strip().splitlines()[-1]
    assert final.startswith("[" + "=" * 20 + "] 100%"), final
    assert mirror.requests[path] == 1
    assert [p.name for p in home.iterdir()] == [KEY]  # no temporary file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert result.stat().st_mode & 0o777 == 0o666 & ~umask  # as any file the user writes


def test_second_call_is_served_from_the_cache(boston_file, mirror, capsys):
    data, path = boston_file
    first = boston_housing.load_data()
    capsys.readouterr()
    second = boston_housing.load_data()
    assert mirror.requests[path] == 1
    assert capsys.readouterr().err == ""
    for a, b in zip(first[0] + first[1], second[0] + second[1]):
        np.testing.assert_array_equal(a, b)


def test_truncated_cached_file_is_fetched_again(boston_file, mirror, home, capsys):
    data, path = boston_file
    home.mkdir(parents=True)
    (home / KEY).write_bytes(data[: len(data) // 2])
    download.fetch(KEY)
    assert (home / KEY).read_bytes() == data
    assert mirror.requests[path] == 1
    assert "does not match its pinned digest" in capsys.readouterr().err


def test_corrupt_cached_file_is_never_read(boston_file, mirror, home):
    data, path = boston_file
    home.mkdir(parents=True)
    corrupt = bytearray(data)
    corrupt[len(corrupt) // 2] ^= 0xFF
    (home / KEY).write_bytes(bytes(corrupt))
    assert download.cached(KEY) is None
    boston_housing.load_data()
    assert (home / KEY).read_bytes() == data
    assert mirror.requests[path] == 1


def test_transfer_that_breaks_off_is_tried_again(boston_file, mirror, home, capsys):
    data, path = boston_file
    mirror.plans[path] = ["drop"]
    download.fetch(KEY)
    assert (home / KEY).read_bytes() == data
    assert mirror.requests[path] == 2
    err = capsys.readouterr().err
    assert f"transfer broke off after {len(data) // 2} of {len(data)} bytes" in err
    assert f"trying again (2/{download.ATTEMPTS})" in err


def test_server_error_is_tried_again(boston_file, mirror, home):
    data, path = boston_file
    mirror.plans[path] = ["error500", "drop"]
    download.fetch(KEY)
    assert (home / KEY).read_bytes() == data
    assert mirror.requests[path] == 3


def test_transfer_that_always_breaks_gives_up_after_the_attempts(boston_file, mirror, home):
    data, path = boston_file
    mirror.plans[path] = ["drop"] * download.ATTEMPTS
    with pytest.raises(download.DownloadError) as caught:
        download.fetch(KEY)
    assert mirror.requests[path] == download.ATTEMPTS
    assert not (home / KEY).exists()
    assert list(home.iterdir()) == []
    assert "broke off" in str(caught.value)


def test_corrupt_download_is_rejected(boston_file, mirror, home):
    data, path = boston_file
    mirror.plans[path] = ["corrupt"]
    with pytest.raises(download.ChecksumError) as caught:
        download.fetch(KEY)
    message = str(caught.value)
    expected = hashlib.sha256(data).hexdigest()
    received = hashlib.sha256(bytes(b ^ 0xFF for b in data)).hexdigest()
    assert f"expected sha256:{expected}" in message
    assert f"received sha256:{received}" in message
    assert str(home / KEY) in message
    # The whole file arrived: the same server is not asked again, nothing enters the cache.
    assert mirror.requests[path] == 1
    assert list(home.iterdir()) == []


def test_no_network_names_the_url_and_where_to_put_the_file(closed_port_url, pin, home):
    pin(KEY, b"anything")
    with pytest.raises(download.DownloadError) as caught:
        boston_housing.load_data()
    message = str(caught.value)
    assert f"{closed_port_url}/{KEY}: connection refused" in message
    assert f"save it as\n  {home / KEY}\n" in message
    assert sources.FILES[KEY].digests[0] in message
    assert caught.value.destination == home / KEY


def test_missing_file_on_the_server_is_reported(mirror, pin):
    pin(KEY, b"anything")
    with pytest.raises(download.DownloadError, match=r"HTTP 404"):
        download.fetch(KEY)
    assert mirror.requests["/" + KEY] == 1  # a refusal is not retried


def test_next_url_is_tried_when_one_fails(server, home, pin, monkeypatch, closed_port_url):
    data = makers.boston_npz(np.random.default_rng(1))
    pin(KEY, data)
    path = server.add("copy/boston.npz", data)
    monkeypatch.delenv(download.MIRROR_ENV)
    spec = sources.FILES[KEY]
    urls = (f"{closed_port_url}/{KEY}", f"{server.url}/missing.npz", server.url + path)
    monkeypatch.setitem(sources.FILES, KEY, type(spec)(KEY, urls, spec.digests, "test"))
    assert download.fetch(KEY).read_bytes() == data
    assert server.requests["/missing.npz"] == 1
    assert server.requests[path] == 1


def test_path_argument_names_the_file_in_the_cache_or_anywhere(boston_file, mirror, home,
                                                                 tmp_path):
    data, _ = boston_file
    boston_housing.load_data(path="my_boston.npz")
    assert (home / "my_boston.npz").read_bytes() == data
    elsewhere = tmp_path / "data" / "boston.npz"
    boston_housing.load_data(path=str(elsewhere))
    assert elsewhere.read_bytes() == data


def test_md5_pins_are_checked_too(serve, home):
    import json

    from glassnet.datasets import imdb
    index = {"the": 1, "and": 2, "film": 3}
    data = json.dumps(index).encode()
    serve("imdb_word_index.json", data, algorithm="md5")
    assert imdb.get_word_index() == index
    assert sources.FILES["imdb_word_index.json"].digests[0].startswith("md5:")


def test_every_real_file_is_pinned_and_has_a_canonical_source():
    for key, spec in sources.FILES.items():
        assert spec.path == key and spec.urls and spec.digests
        assert all(url.startswith(("https://", "http://")) for url in spec.urls)
    assert sources.FILES["mnist.npz"].digests == (
        "sha256:731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",)
    with pytest.raises(ValueError, match="sha256:<64 hex digits>"):
        sources.RemoteFile("x", ("http://h/x",), ("sha256:abc",), "x")
