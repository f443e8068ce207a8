"""The book's chapters, as listed in _toc.yml, and a way to execute one as a notebook."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbclient
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"


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
