"""Download MNIST's four IDX files, checked by SHA-256 and written atomically.

Book: Part 2, "The data", section "Getting full MNIST"
(``book/chapters/06_data_provided.md``, label ``sec-data-fetch``).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from pathlib import Path

# SHA-256 of the original files, as published with the dataset's mirrors.
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

# Tried in order; the first is the one torchvision uses, the second TensorFlow's.
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

_CHUNK = 1 << 16


def default_mnist_root() -> Path:
    """``$TMENN_DATA`` if set, else ``~/.cache/tmenn/mnist``."""
    env = os.environ.get("TMENN_DATA")
    return Path(env) if env else Path.home() / ".cache" / "tmenn" / "mnist"


def sha256_of(path: str | PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(url: str, dest: str | PathLike[str], sha256: str, *, timeout: float = 30.0) -> Path:
    """Download ``url`` to ``dest`` if its SHA-256 is ``sha256``.

    The bytes go to a temporary file beside ``dest`` that replaces ``dest``
    only once complete and verified, so a failure leaves no partial file.

    Raises:
        ValueError: the download completed but its checksum differs.
        ConnectionError: the server could not be reached, answered with an
            error, or closed the connection before sending every byte.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    try:
        digest, received = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    expected = response.headers.get("Content-Length")
                    for chunk in iter(lambda: response.read(_CHUNK), b""):
                        out.write(chunk)
                        digest.update(chunk)
                        received += len(chunk)
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                raise ConnectionError(f"{url}: download failed ({exc})") from exc
            if expected is not None and received != int(expected):
                raise ConnectionError(f"{url}: connection closed after {received} of {expected} bytes")
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise ValueError(f"{url}: SHA-256 mismatch, expected {sha256}, got {digest.hexdigest()}")
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return dest


def fetch_mnist(
    root: str | PathLike[str] | None = None,
    *,
    mirrors: Sequence[str] = MNIST_MIRRORS,
    files: Mapping[str, str] = MNIST_FILES,
    timeout: float = 30.0,
    log: Callable[[str], object] = print,
) -> Path:
    """Make sure ``root`` holds the four MNIST files with their checksums.

    A file already present with the right checksum is kept; any other is
    downloaded from the first mirror that serves it intact.

    Args:
        root: target folder, :func:`default_mnist_root` by default.
        mirrors: base URLs ending in ``/``, tried in order.
        files: file name -> expected SHA-256.
        log: receives one line per file.

    Returns:
        The folder, ready for :class:`tmenn.data.MNISTData`.

    Raises:
        ConnectionError: no mirror delivered some file intact; files that
            did arrive are kept.
    """
    root = Path(root) if root is not None else default_mnist_root()
    if not mirrors:
        raise ValueError("mirrors must name at least one base URL")
    for name, sha256 in files.items():
        dest = root / name
        if dest.exists() and sha256_of(dest) == sha256:
            log(f"{dest}: present, checksum ok")
            continue
        errors = []
        for mirror in mirrors:
            try:
                download(mirror.rstrip("/") + "/" + name, dest, sha256, timeout=timeout)
            except (ConnectionError, ValueError) as exc:
                errors.append(str(exc))
            else:
                log(f"{dest}: downloaded from {mirror}, checksum ok")
                break
        else:
            raise ConnectionError(f"could not fetch {name} from any mirror:\n  " + "\n  ".join(errors))
    return root
