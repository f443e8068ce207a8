"""Every chapter of the book runs from top to bottom as a notebook, without the book build."""

from __future__ import annotations

import pytest
from chapters import execute, notebooks

CHAPTERS = notebooks()


def test_the_table_of_contents_lists_the_chapters():
    names = [path.stem for path in CHAPTERS]
    assert names[:5] == ["01_data", "02_architecture", "03_losses", "04_gradient_descent", "05_backpropagation"]


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_chapter_executes(path):
    notebook = execute(path)
    errors, stderr, unrendered = [], [], []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors.append(output)
            # A warning shown to readers must be meant: such cells carry the tag "expected-stderr".
            elif output.get("name") == "stderr" and "expected-stderr" not in cell.metadata.get("tags", []):
                stderr.append((cell.source.splitlines()[0], output["text"]))
            # A figure must reach the reader as an image, not as its text repr.
            data = output.get("data", {})
            if data.get("text/plain", "").startswith("<Figure") and "image/png" not in data:
                unrendered.append(cell.source.splitlines()[0])
    assert errors == []
    assert stderr == []
    assert unrendered == []
