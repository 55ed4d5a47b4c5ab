"""The dataset cache: find a file there, or download it, check it and put it there.

Files live in ``$GLASSNET_HOME/datasets`` (``~/.glassnet/datasets`` by default), at the path
their ``sources.FILES`` entry names.  ``fetch`` returns a cached file when its digest matches
and otherwise downloads it: each source URL in turn, a progress line on stderr, the digest
computed while the bytes arrive, the bytes written to a temporary file in the same folder and
renamed into place only when they match, so the cache never holds a partial file.  A transfer
that breaks off is tried again (``ATTEMPTS`` times per URL); a host that cannot be reached or
that says no (HTTP 4xx) passes the turn to the next URL.  A cached file that does not match
(truncated, corrupt, another version) is downloaded again, never read.

``GLASSNET_DATASETS_URL=<base>`` fetches every file from ``<base>/<cache path>`` instead of its
own hosts: a local mirror is a copy of the cache folder behind any web server.

Example:
    >>> path = fetch("boston_housing.npz")  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'boston_housing.npz'
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import secrets
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from glassnet.datasets import sources
from glassnet.datasets.progress import DownloadProgress
from glassnet.version import __version__

HOME_ENV = "GLASSNET_HOME"
MIRROR_ENV = "GLASSNET_DATASETS_URL"
ATTEMPTS = 3          # per URL, for transfers that break off
RETRY_DELAY = 1.0     # seconds before the second attempt, doubled before each next one
TIMEOUT = 20.0        # seconds a connection may stay silent
_CHUNK = 1 << 16


class DownloadError(OSError):
    """A dataset file is not in the cache and no source URL gave a good copy of it.

    ``destination`` is where the file belongs; ``failures`` holds ``(url, reason)`` pairs.

    Example:
        >>> error = DownloadError("offline", Path("/tmp/x.npz"), [("http://h/x.npz", "refused")])
        >>> error.summary
        'http://h/x.npz: refused'
    """

    def __init__(self, message: str, destination: Path, failures: list[tuple[str, str]]):
        super().__init__(message)
        self.destination = destination
        self.failures = failures

    @property
    def summary(self) -> str:
        """The last failure on one line, for notices."""
        url, reason = self.failures[-1] if self.failures else ("", "no source URL")
        return f"{url}: {reason}" if url else reason


class ChecksumError(DownloadError):
    """Every source delivered a whole file, and none matched its pinned digest.

    Example:
        >>> issubclass(ChecksumError, DownloadError)
        True
    """


class _Unreachable(Exception):
    """This URL will not give the file: go to the next one."""


class _Broken(Exception):
    """The transfer broke off: this URL may give the file on another attempt."""


def cache_dir() -> Path:
    """The folder datasets are cached in: ``$GLASSNET_HOME/datasets``, or ``~/.glassnet/...``.

    Example:
        >>> cache_dir().name
        'datasets'
    """
    home = os.environ.get(HOME_ENV) or os.path.join("~", ".glassnet")
    return Path(home).expanduser() / "datasets"


def local_path(key: str, filename: str | os.PathLike | None = None) -> Path:
    """Where the file ``key`` is kept: ``filename`` (relative to the cache folder, or absolute)
    when given, as Keras's ``path=`` arguments, else its own path in the cache.

    Example:
        >>> local_path("mnist/t10k-labels-idx1-ubyte.gz").parent.name
        'mnist'
    """
    spec = _spec(key)
    relative = Path(filename).expanduser() if filename else Path(*spec.path.split("/"))
    return cache_dir() / relative  # an absolute `relative` replaces the cache folder


def file_digests(path: str | os.PathLike, algorithms=("sha256",)) -> tuple[str, ...]:
    """The ``'algorithm:hex'`` digests of a file, one per algorithm.

    Example:
        >>> file_digests(__file__)[0].startswith("sha256:")
        True
    """
    hashers = [hashlib.new(name) for name in algorithms]
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            for hasher in hashers:
                hasher.update(block)
    return _digests(hashers)


def _digests(hashers) -> tuple[str, ...]:
    return tuple(f"{hasher.name}:{hasher.hexdigest()}" for hasher in hashers)


def cached(key: str, filename: str | os.PathLike | None = None) -> Path | None:
    """The cached file ``key`` when it is there and matches a pinned digest, else None.

    Example:
        >>> cached("cifar-10-python.tar.gz")  # doctest: +SKIP
    """
    spec, path = _spec(key), local_path(key, filename)
    if path.is_file() and _matches(file_digests(path, spec.algorithms), spec):
        return path
    return None


def fetch(key: str, filename: str | os.PathLike | None = None) -> Path:
    """The path of a good copy of the file ``key``, downloading it when the cache has none.

    Raises ``DownloadError`` (``ChecksumError`` when the bytes arrived but did not match)
    naming every URL tried and the exact path to put the file at by hand.

    Example:
        >>> fetch("imdb.npz").name  # doctest: +SKIP
        'imdb.npz'
    """
    spec = _spec(key)
    path = local_path(key, filename)
    if path.exists():
        if cached(key, filename) is not None:
            return path
        _notice(f"{path} does not match its pinned digest (corrupt, incomplete or another "
                "version); downloading it again.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OSError(f"Cannot create the dataset cache folder {path.parent}: {error}. Set "
                      f"{HOME_ENV} to a writable folder.") from error
    failures: list[tuple[str, str]] = []
    outcomes = []
    for url in _urls(spec):
        outcomes.append(_download(url, path, spec, failures))
        if outcomes[-1] == "ok":
            return path
    error_type = ChecksumError if set(outcomes) == {"mismatch"} else DownloadError
    raise error_type(_failure_message(spec, path, failures), path, failures)


def _spec(key: str) -> sources.RemoteFile:
    try:
        return sources.FILES[key]
    except KeyError:
        raise KeyError(f"No dataset file is registered as {key!r}. Known files: "
                       f"{', '.join(sorted(sources.FILES))}") from None


def _urls(spec: sources.RemoteFile) -> tuple[str, ...]:
    base = os.environ.get(MIRROR_ENV)
    if base:
        return (base.rstrip("/") + "/" + spec.path,)
    return spec.urls


def _matches(digests, spec: sources.RemoteFile) -> bool:
    return any(digest in spec.digests for digest in digests)


def _notice(message: str) -> None:
    print(f"glassnet: {message}", file=sys.stderr, flush=True)


def _download(url: str, path: Path, spec, failures: list) -> str:
    """Try ``url`` up to ATTEMPTS times; 'ok', 'mismatch' (whole file, wrong digest) or
    'failed'.  Each failure is appended to ``failures``."""
    for attempt in range(1, ATTEMPTS + 1):
        # A name of its own in the destination folder, so the rename is atomic and two
        # processes fetching the same file never write into one another's bytes.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        try:
            with open(temporary, "xb") as stream:
                digests, complete = _transfer(url, stream, path, spec.algorithms)
            if _matches(digests, spec):
                os.replace(temporary, path)
                temporary = None
                return "ok"
            reason = (f"checksum mismatch: expected {' or '.join(spec.digests)}, received "
                      f"{', '.join(digests)}")
            if complete:
                # The server sent every byte it announced: asking again gives the same bytes.
                failures.append((url, reason))
                return "mismatch"
            raise _Broken(reason + " (the length was not announced: maybe cut short)")
        except _Unreachable as error:
            failures.append((url, str(error)))
            return "failed"
        except _Broken as error:
            failures.append((url, str(error)))
            if attempt < ATTEMPTS:
                _notice(f"{url}: {error}; trying again ({attempt + 1}/{ATTEMPTS}).")
                time.sleep(RETRY_DELAY * 2 ** (attempt - 1))
        finally:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
    return "failed"


def _transfer(url: str, stream, path: Path, algorithms) -> tuple[tuple[str, ...], bool]:
    """Copy the body of ``url`` into ``stream``; the digests, and whether the length matched a
    Content-Length header."""
    response = _open(url)
    with response:
        length = response.headers.get("Content-Length")
        expected = int(length) if length and length.isdigit() else None
        hashers = [hashlib.new(name) for name in algorithms]
        progress = DownloadProgress(url, path, expected)
        received = 0
        try:
            while True:
                try:
                    block = response.read(_CHUNK)
                except (OSError, http.client.HTTPException) as error:
                    raise _Broken(f"transfer broke off after {received} bytes "
                                  f"({_describe(error)})") from None
                if not block:
                    break
                stream.write(block)
                for hasher in hashers:
                    hasher.update(block)
                received += len(block)
                progress.update(received)
        finally:
            progress.close()
    if expected is not None and received != expected:
        raise _Broken(f"transfer broke off after {received} of {expected} bytes")
    return _digests(hashers), expected is not None


def _open(url: str):
    request = urllib.request.Request(url, headers={"User-Agent": f"glassnet/{__version__}"})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as error:
        error.close()
        reason = f"HTTP {error.code} {error.reason}"
        raise (_Broken if error.code >= 500 else _Unreachable)(reason) from None
    except urllib.error.URLError as error:
        cause = error.reason
        # A server that closed the connection before answering may answer the next time;
        # refused connections, unknown hosts and silent networks will not.
        if isinstance(cause, (http.client.RemoteDisconnected, ConnectionResetError)):
            raise _Broken(_describe(cause)) from None
        raise _Unreachable(_describe(cause)) from None
    except (http.client.RemoteDisconnected, ConnectionResetError) as error:
        raise _Broken(_describe(error)) from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise _Unreachable(_describe(error)) from None


def _describe(error) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (no server there, or no network)"
    if isinstance(error, socket.gaierror):
        return f"host name not found (no network?): {error}"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return f"no answer within {TIMEOUT:g} s"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _failure_message(spec, path: Path, failures) -> str:
    lines = [f"Could not download {spec.description} ({spec.path}):"]
    lines += [f"  {url}: {reason}" for url, reason in failures]
    if os.environ.get(MIRROR_ENV):
        lines.append(f"({MIRROR_ENV}={os.environ[MIRROR_ENV]} was used instead of the file's "
                     "own sources.)")
        lines.append("Download it (on any machine) from one of its own sources:")
        lines += [f"  {url}" for url in spec.urls]
        lines.append("and save it as")
    else:
        lines.append("Download it (on any machine) from one of the URLs above and save it as")
    lines += [f"  {path}", f"where it is checked against {' or '.join(spec.digests)}."]
    if path.exists():
        lines.append("The file at that path now does not match and is not used.")
    return "\n".join(lines)
