"""`fetch mnist` against a real HTTP server on 127.0.0.1: good files, a bad checksum, a cut connection."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import numpy as np
import pytest

from tmenn.data import MNISTData, write_idx
from tmenn.data.fetch import download, fetch_mnist
from tmenn.data.mnist import IDX_NAMES


class Mirror(BaseHTTPRequestHandler):
    """Serves ``files`` under three prefixes: /good/ intact, /bad/ altered, /cut/ half then hang up."""

    files: ClassVar[dict[str, bytes]] = {}

    def do_GET(self):
        prefix, _, name = self.path.strip("/").partition("/")
        body = self.files.get(name)
        if body is None or prefix not in ("good", "bad", "cut"):
            self.send_error(404)
            return
        if prefix == "bad":
            body = body[:-1] + bytes([body[-1] ^ 0xFF])
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if prefix == "cut" else body)
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    """A loopback server holding small but valid MNIST-named IDX files; yields (base URL, checksums)."""
    src = tmp_path_factory.mktemp("src")
    rng = np.random.default_rng(0)
    shapes = {"Xtrain": (20, 28, 28), "Ytrain": (20,), "Xtest": (10, 28, 28), "Ytest": (10,)}
    files = {}
    for key, shape in shapes.items():
        values = rng.integers(0, 10 if len(shape) == 1 else 256, shape, dtype=np.uint8)
        name = IDX_NAMES[key] + ".gz"
        files[name] = write_idx(src / name, values).read_bytes()
    Mirror.files = files
    server = ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    checksums = {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    yield f"http://127.0.0.1:{server.server_port}", checksums
    server.shutdown()
    server.server_close()


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_fetch_good_mirror_then_mnist_reads_it(mirror, tmp_path):
    base, checksums = mirror
    lines = []
    root = fetch_mnist(tmp_path / "m", mirrors=[f"{base}/good/"], files=checksums, log=lines.append)
    assert sorted(p.name for p in root.iterdir()) == sorted(checksums)
    assert all("downloaded" in line for line in lines)
    data = MNISTData(root)
    assert data.full and data.Xtrain.shape == (20, 784) and data.Ytest.shape == (10, 10)
    lines.clear()
    fetch_mnist(root, mirrors=[f"{base}/good/"], files=checksums, log=lines.append)
    assert all("present, checksum ok" in line for line in lines)


@pytest.mark.parametrize(("prefix", "message"), [("bad", "SHA-256 mismatch"), ("cut", "connection closed after")])
def test_download_failure_leaves_no_file(mirror, tmp_path, prefix, message):
    base, checksums = mirror
    name = IDX_NAMES["Xtrain"] + ".gz"
    with pytest.raises((ValueError, ConnectionError), match=message):
        download(f"{base}/{prefix}/{name}", tmp_path / name, checksums[name])
    assert list(tmp_path.iterdir()) == []


def test_failed_download_keeps_the_previous_file(mirror, tmp_path):
    base, checksums = mirror
    name = IDX_NAMES["Ytest"] + ".gz"
    (tmp_path / name).write_bytes(b"older copy")
    with pytest.raises(ConnectionError):
        download(f"{base}/cut/{name}", tmp_path / name, checksums[name])
    assert (tmp_path / name).read_bytes() == b"older copy"
    assert leftovers(tmp_path) == []


def test_unreachable_server(tmp_path):
    with pytest.raises(ConnectionError, match="download failed"):
        download("http://127.0.0.1:9/x.gz", tmp_path / "x.gz", "0" * 64, timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_fetch_falls_back_to_the_next_mirror(mirror, tmp_path):
    base, checksums = mirror
    root = fetch_mnist(tmp_path, mirrors=[f"{base}/cut/", f"{base}/bad/", f"{base}/good/"], files=checksums,
                       log=lambda line: None)
    assert sorted(p.name for p in root.iterdir()) == sorted(checksums)


def test_fetch_with_only_broken_mirrors_fails_and_writes_nothing(mirror, tmp_path):
    base, checksums = mirror
    with pytest.raises(ConnectionError, match=r"could not fetch train-images-idx3-ubyte\.gz from any mirror"):
        fetch_mnist(tmp_path, mirrors=[f"{base}/bad/", f"{base}/cut/"], files=checksums, log=lambda line: None)
    assert list(tmp_path.iterdir()) == []


def test_cli_fetch(mirror, tmp_path):
    base, _ = mirror
    # The CLI checks the real MNIST checksums, which these small files do not match: it must fail cleanly.
    result = subprocess.run(
        [sys.executable, "-m", "tmenn", "fetch", "mnist", "--root", str(tmp_path), "--mirror", f"{base}/good/"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "SHA-256 mismatch" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
