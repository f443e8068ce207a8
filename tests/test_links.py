"""Code and book point at each other: every chapter label a docstring names exists, and every included function too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from chapters import BOOK, ROOT

PACKAGE = ROOT / "tmenn"


def labels_in_book() -> dict[str, Path]:
    found = {}
    for page in BOOK.rglob("*.md"):
        for label in re.findall(r"^\(([\w-]+)\)=$", page.read_text(), flags=re.MULTILINE):
            found[label] = page
    return found


def test_every_label_named_in_a_docstring_exists_in_that_chapter():
    labels = labels_in_book()
    references = []
    for module in PACKAGE.rglob("*.py"):
        text = module.read_text()
        for chapter, label in re.findall(r"``(book/chapters/[\w.]+)``,\s*label\s*``([\w-]+)``", text):
            references.append((module.name, chapter, label))
            assert label in labels, f"{module.name} names label {label}, which no page defines"
            assert labels[label] == ROOT / chapter, f"{module.name}: {label} is in {labels[label].name}, not {chapter}"
        for chapter in re.findall(r"``(book/chapters/[\w.]+\.md)``", text):
            assert (ROOT / chapter).exists(), f"{module.name} names {chapter}, which does not exist"
    assert len(references) >= 15


def test_every_literalinclude_points_at_an_existing_function():
    includes = 0
    for page in BOOK.rglob("*.md"):
        for path, obj in re.findall(r"```\{literalinclude\} (\S+)\n:pyobject: (\S+)", page.read_text()):
            source = (page.parent / path).resolve()
            assert source.exists(), f"{page.name}: {path} does not exist"
            names = {node.name for node in ast.walk(ast.parse(source.read_text()))
                     if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
            assert obj in names, f"{page.name}: {obj} is not defined in {path}"
            includes += 1
    assert includes >= 15


def test_every_public_function_of_the_manual_stage_names_its_section():
    tree = ast.parse((PACKAGE / "manual.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            assert re.search(r"label\s+``sec-", ast.get_docstring(node) or ""), node.name
