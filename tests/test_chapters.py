"""Every chapter of the book runs from top to bottom as a notebook.

When this test session also reads the HTML book (the `book` tests, as in
`make test`), the book is built once and the chapters are checked in the
notebooks that build executed, rather than executed a second time. Run
alone, each test executes its chapter itself: no book build is needed.
"""

from __future__ import annotations

import pytest
from chapters import book_is_fresh, build_book, execute, executed_by_the_build, notebooks

CHAPTERS = notebooks()

pytestmark = pytest.mark.xdist_group("book")  # on the worker that builds the book


@pytest.fixture(scope="session")
def reuse_build(request) -> bool:
    """Whether to check the build's executed notebooks instead of executing the chapters here."""
    if book_is_fresh():
        return True
    if any(item.get_closest_marker("book") for item in request.session.items):
        build_book()
        return True
    return False


def test_the_table_of_contents_lists_the_chapters():
    names = [path.stem for path in CHAPTERS]
    assert names[:5] == ["01_data", "02_architecture", "03_losses", "04_gradient_descent", "05_backpropagation"]
    assert len(names) == 16


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_chapter_executes(path, reuse_build):
    notebook = executed_by_the_build(path) if reuse_build else execute(path)
    errors, stderr, unrendered, bad_glue = [], [], [], []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        first_line = cell.source.splitlines()[0] if cell.source else ""
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors.append(output)
            # A warning shown to readers must be meant: such cells carry the tag "expected-stderr".
            elif output.get("name") == "stderr" and "expected-stderr" not in cell.metadata.get("tags", []):
                stderr.append((first_line, output["text"]))
            data = output.get("data", {})
            # A figure must reach the reader as an image, not as its text repr.
            if data.get("text/plain", "").startswith("<Figure") and "image/png" not in data:
                unrendered.append(first_line)
            # A glued number must be a plain Python number, or {glue:text} cannot format it.
            glued = data.get("application/papermill.record/text/plain", "")
            if glued.startswith(("np.", "tensor(", "array(")):
                bad_glue.append((first_line, glued))
    assert errors == []
    assert stderr == []
    assert unrendered == []
    assert bad_glue == []
