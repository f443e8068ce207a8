"""Shared helpers for the tests."""

from __future__ import annotations

import pytest

from tmenn.data import CirclesData


@pytest.fixture(scope="session")
def circles() -> CirclesData:
    return CirclesData()


@pytest.fixture
def no_mnist_files(tmp_path, monkeypatch):
    """Point $TMENN_DATA at an empty folder, so MNISTData uses its offline fallback."""
    monkeypatch.setenv("TMENN_DATA", str(tmp_path / "empty"))
    return tmp_path / "empty"
