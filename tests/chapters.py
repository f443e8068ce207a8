"""The book's chapters, as listed in _toc.yml: running one as a notebook, and building the whole book once."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import jupytext
import nbclient
import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
HTML = ROOT / "_build" / "html"
EXECUTED = ROOT / "_build" / "jupyter_execute"  # where the book build leaves its executed notebooks
COMPLETE = HTML / ".complete"  # written after a build that succeeded (by `make book` too)


def toc_files() -> list[Path]:
    """Every page of the table of contents, in reading order, as paths to ``.md`` files."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return [BOOK / f"{name}.md" for name in files]


def is_notebook(path: Path) -> bool:
    """Whether a page is a MyST notebook: its front matter names a kernel."""
    text = path.read_text()
    return text.startswith("---\n") and "kernelspec:" in text.split("---\n", 2)[1]


def notebooks() -> list[Path]:
    """The pages that are notebooks, in reading order."""
    return [path for path in toc_files() if is_notebook(path)]


def execute(path: Path, timeout: int = 900):
    """Run the notebook in its own folder, as the book build does; raises on the first failing cell."""
    notebook = jupytext.read(path)
    client = nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return notebook


def sources() -> list[Path]:
    """Everything a build of the book depends on."""
    return [ROOT / "_config.yml", ROOT / "_toc.yml", *BOOK.rglob("*.md"), *BOOK.rglob("*.py"),
            *BOOK.glob("*.bib"), *(ROOT / "tmenn").rglob("*.py")]


def book_is_fresh() -> bool:
    """Whether a complete build of the current sources exists."""
    return COMPLETE.exists() and COMPLETE.stat().st_mtime >= max(path.stat().st_mtime for path in sources())


def build_book() -> Path:
    """Build the HTML book, as `make book` does, unless a complete build of the current sources exists.

    A file lock makes concurrent callers (pytest-xdist workers) wait for one build.
    """
    (ROOT / "_build").mkdir(exist_ok=True)
    with open(ROOT / "_build" / ".build-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not book_is_fresh():
            COMPLETE.unlink(missing_ok=True)
            jupyter_book = Path(sys.executable).with_name("jupyter-book")
            result = subprocess.run(
                [str(jupyter_book), "build", "book", "--all", "--toc", str(ROOT / "_toc.yml"),
                 "-W", "-n", "--keep-going"],
                cwd=ROOT, capture_output=True, text=True, timeout=3000, env=os.environ.copy(),
            )
            assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
            COMPLETE.touch()
    return HTML


def executed_by_the_build(path: Path):
    """The notebook of ``path`` as the book build executed it."""
    return nbformat.read(EXECUTED / path.relative_to(BOOK).with_suffix(".ipynb"), as_version=4)
