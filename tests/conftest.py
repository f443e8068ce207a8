"""Shared helpers for the tests."""

from __future__ import annotations

import pytest
import torch

from tmenn.data import CirclesData


def rel_error(a: torch.Tensor, b: torch.Tensor) -> float:
    """CS231n's relative error: max |a - b| / max(1e-8, |a| + |b|), elementwise."""
    return float(((a - b).abs() / (a.abs() + b.abs()).clamp_min(1e-8)).max())


def one_hot_batch(n: int, ny: int, generator: torch.Generator, dtype=torch.float64) -> torch.Tensor:
    labels = torch.randint(ny, (n,), generator=generator)
    return torch.nn.functional.one_hot(labels, ny).to(dtype)


@pytest.fixture(scope="session")
def circles() -> CirclesData:
    return CirclesData()


@pytest.fixture
def no_mnist_files(tmp_path, monkeypatch):
    """Point $TMENN_DATA at an empty folder, so MNISTData uses its offline fallback."""
    monkeypatch.setenv("TMENN_DATA", str(tmp_path / "empty"))
    return tmp_path / "empty"
