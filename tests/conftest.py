"""Shared helpers for the tests."""

from __future__ import annotations

import os

if "PYTEST_XDIST_WORKER" in os.environ:
    # One thread per worker (and per notebook kernel or book build it starts):
    # two workers on two cores, each with several OpenMP threads that spin
    # while waiting, run tiny matrix products ten times slower.
    os.environ["OMP_NUM_THREADS"] = "1"

import pytest
import torch

from tmenn.data import CirclesData

if "PYTEST_XDIST_WORKER" in os.environ:
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def circles() -> CirclesData:
    return CirclesData()


@pytest.fixture
def no_mnist_files(tmp_path, monkeypatch):
    """Point $TMENN_DATA at an empty folder, so MNISTData uses its offline fallback."""
    monkeypatch.setenv("TMENN_DATA", str(tmp_path / "empty"))
    return tmp_path / "empty"
