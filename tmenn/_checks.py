"""Cheap argument checks shared by the public functions.

Each helper raises :class:`ValueError` whose message names the argument,
what was received and what was expected, and returns the value it checked
so that calls read as assignments.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import torch

PARAM_NAMES = ("Wh", "bh", "Wy", "by")


def integer(name: str, value: object) -> int:
    """Return ``value`` as an ``int`` if it is an integer (NumPy's included, bool excluded)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return int(value)


def positive_int(name: str, value: object) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= 1, else raise ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def positive_number(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite real number > 0, else raise naming ``name``."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def learning_rate(eta: object, name: str = "eta") -> float:
    """Return ``eta`` as a float if it is finite and > 0, else raise naming ``name``."""
    return positive_number(f"{name} (a learning rate)", eta)


def floating_dtype(value: object) -> torch.dtype:
    """Return ``value`` if it is a floating ``torch.dtype`` such as ``torch.float32``."""
    if not isinstance(value, torch.dtype) or not value.is_floating_point:
        raise ValueError(f"dtype must be a floating torch.dtype such as torch.float32, got {value!r}")
    return value


def matrix(name: str, value: object, cols: int | None = None) -> torch.Tensor:
    """Check that ``value`` is a 2-D floating tensor, optionally ``(n, cols)``."""
    if not isinstance(value, torch.Tensor):
        raise ValueError(f"{name} must be a torch.Tensor, got {type(value).__name__}")
    if value.ndim != 2:
        expected = f"(n, {cols})" if cols is not None else "(n, d)"
        raise ValueError(
            f"{name} must be 2-D with one sample per row, shape {expected}; "
            f"got shape {tuple(value.shape)}"
        )
    if not value.is_floating_point():
        raise ValueError(f"{name} must hold floating-point numbers, got {value.dtype}")
    if cols is not None and value.shape[1] != cols:
        raise ValueError(
            f"{name} must have {cols} columns, shape (n, {cols}); "
            f"got shape {tuple(value.shape)}"
        )
    if value.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one row, got shape {tuple(value.shape)}")
    return value


def same_shape(name: str, value: object, like_name: str, like: torch.Tensor) -> torch.Tensor:
    """Check that ``value`` is a tensor with exactly the shape of ``like``."""
    if not isinstance(value, torch.Tensor):
        raise ValueError(f"{name} must be a torch.Tensor, got {type(value).__name__}")
    if value.shape != like.shape:
        raise ValueError(
            f"{name} must have the shape of {like_name}, {tuple(like.shape)}; "
            f"got {tuple(value.shape)}"
        )
    return value


def params(value: object) -> tuple[int, int, int]:
    """Check a parameter dictionary and return its sizes ``(nx, nh, ny)``.

    Expects the keys ``Wh (nh, nx)``, ``bh (nh,)``, ``Wy (ny, nh)``, ``by (ny,)``.
    """
    if not isinstance(value, Mapping):
        raise ValueError(f"params must be a dict, got {type(value).__name__}")
    missing = [k for k in PARAM_NAMES if k not in value]
    if missing:
        raise ValueError(f"params lacks {missing}; expected keys {list(PARAM_NAMES)}")
    for k in PARAM_NAMES:
        if not isinstance(value[k], torch.Tensor):
            raise ValueError(f"params[{k!r}] must be a torch.Tensor")
    Wh, Wy = value["Wh"], value["Wy"]
    if Wh.ndim != 2 or Wy.ndim != 2:
        raise ValueError(
            f"Wh and Wy must be 2-D, got shapes {tuple(Wh.shape)} and {tuple(Wy.shape)}"
        )
    nh, nx = Wh.shape
    ny = Wy.shape[0]
    expected = {"Wh": (nh, nx), "bh": (nh,), "Wy": (ny, nh), "by": (ny,)}
    for k, shape in expected.items():
        if tuple(value[k].shape) != shape:
            raise ValueError(
                f"params[{k!r}] must have shape {shape} given Wh {tuple(Wh.shape)} "
                f"and Wy {tuple(Wy.shape)}; got {tuple(value[k].shape)}"
            )
    return nx, nh, ny


def one_hot(name: str, value: torch.Tensor) -> torch.Tensor:
    """Check that every row of ``value`` is a one-hot vector."""
    ok = ((value == 0) | (value == 1)).all() and bool((value.sum(dim=1) == 1).all())
    if not ok:
        raise ValueError(f"{name} must be one-hot: each row a single 1, the rest 0")
    return value


def finite(name: str, value: torch.Tensor) -> torch.Tensor:
    """Check that ``value`` holds no NaN or infinity."""
    if not bool(torch.isfinite(value).all()):
        bad = int((~torch.isfinite(value)).sum())
        raise ValueError(f"{name} holds {bad} NaN or infinite values; expected only finite numbers")
    return value


def outputs(value: object, n_params: tuple[int, int, int]) -> None:
    """Check that ``value`` is the dictionary :func:`tmenn.manual.forward` returns for these sizes."""
    nx, nh, ny = n_params
    if not isinstance(value, Mapping):
        raise ValueError(f"outputs must be the dict returned by forward, got {type(value).__name__}")
    missing = [k for k in ("X", "h", "yhat") if k not in value]
    if missing:
        raise ValueError(f"outputs lacks {missing}; pass the dict returned by forward(params, X)")
    n = value["X"].shape[0] if isinstance(value["X"], torch.Tensor) and value["X"].ndim == 2 else None
    for key, cols in (("X", nx), ("h", nh), ("yhat", ny)):
        item = value[key]
        if not isinstance(item, torch.Tensor) or item.ndim != 2 or item.shape != (n, cols):
            shape = tuple(item.shape) if isinstance(item, torch.Tensor) else type(item).__name__
            raise ValueError(
                f"outputs[{key!r}] must have shape (n, {cols}) for these params; got {shape} "
                "(were the outputs computed with other parameters?)"
            )
