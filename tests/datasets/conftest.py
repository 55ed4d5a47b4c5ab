"""Fixtures for the dataset tests: a temporary GLASSNET_HOME, a real HTTP server on 127.0.0.1
that serves generated files (counting requests, and breaking transfers on demand), and a
way to pin the generated files' digests in place of the real ones."""

from __future__ import annotations

import dataclasses
import hashlib
import http.server
import importlib
import socket
import threading
from collections import Counter

import pytest

from glassnet.datasets import download, sources


class FileServer:
    """Serves ``files`` (URL path -> bytes).  ``plans[path]`` lists what the next requests
    for that path get: "drop" (the whole Content-Length announced, half the body sent, then
    the connection closed), "corrupt" (the body with its bytes changed), "error500", or
    "ok"; once the plan is used up, requests get the file."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.plans: dict[str, list[str]] = {}
        self.requests: Counter = Counter()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests[self.path] += 1
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                plan = server.plans.get(self.path)
                action = plan.pop(0) if plan else "ok"
                if action == "error500":
                    self.send_error(500)
                    return
                if action == "corrupt":
                    body = bytes(b ^ 0xFF for b in body)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if action == "drop":
                    self.wfile.write(body[:len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,),
                                       daemon=True)
        self.thread.start()

    def add(self, cache_path: str, data: bytes) -> str:
        path = "/" + cache_path
        self.files[path] = data
        return path

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    file_server = FileServer()
    yield file_server
    file_server.close()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty GLASSNET_HOME; returns its datasets folder.  Retries wait no time."""
    root = tmp_path / "glassnet_home"
    monkeypatch.setenv(download.HOME_ENV, str(root))
    monkeypatch.delenv(download.MIRROR_ENV, raising=False)
    monkeypatch.setattr(download, "RETRY_DELAY", 0.0)
    return root / "datasets"


@pytest.fixture
def mirror(server, home, monkeypatch):
    """Every download goes to the test server."""
    monkeypatch.setenv(download.MIRROR_ENV, server.url)
    return server


@pytest.fixture
def closed_port_url(home, monkeypatch):
    """A mirror URL on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv(download.MIRROR_ENV, url)
    return url


@pytest.fixture
def pin(monkeypatch):
    """pin(key, data, algorithm="sha256"): make ``data`` the accepted content of ``key``."""
    def pin_file(key: str, data: bytes, algorithm: str = "sha256") -> None:
        digest = f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"
        spec = dataclasses.replace(sources.FILES[key], digests=(digest,))
        monkeypatch.setitem(sources.FILES, key, spec)
    return pin_file


@pytest.fixture
def serve(mirror, pin):
    """serve(key, data): put ``data`` on the test server as the file ``key`` and pin it."""
    def serve_file(key: str, data: bytes, algorithm: str = "sha256") -> str:
        pin(key, data, algorithm)
        return mirror.add(key, data)
    return serve_file


@pytest.fixture
def keras_reading(keras, monkeypatch):
    """keras_reading("imdb", path_or_function): Keras's loader module, reading local files:
    its ``get_file`` returns ``path`` (or ``function(fname)``) instead of downloading (Keras
    would refuse the test files, whose digests differ from the real ones)."""
    def patch(name: str, where):
        module = importlib.import_module(f"keras.src.datasets.{name}")
        locate = where if callable(where) else (lambda fname: where)
        monkeypatch.setattr(module, "get_file",
                            lambda fname=None, *args, **kwargs: str(locate(fname)))
        return module
    return patch
