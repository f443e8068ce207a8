"""Stage V2: the same network, with gradients from ``torch.autograd``.

Book: Part 2, "V2: torch.autograd" (``book/chapters/08_autograd.md``).

Only two things change from :mod:`tmenn.manual`: the parameters become leaf
tensors that record the operations applied to them, and the update reads
their ``.grad`` instead of a dictionary returned by a hand-written
``backward``. The forward pass and the loss are the V1 functions unchanged:
autograd differentiates exactly the code the book derives.
"""

from __future__ import annotations

import torch

from . import _checks, manual
from .manual import Params, forward, loss_accuracy

__all__ = ["forward", "init_params", "loss_accuracy", "sgd"]


def init_params(
    nx: int,
    nh: int,
    ny: int,
    *,
    std: float | str = 0.3,
    generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.float32,
) -> Params:
    """Like :func:`tmenn.manual.init_params`, as leaf tensors with ``requires_grad``.

    Book: Part 2, "V2: torch.autograd", section "Leaf tensors"
    (``book/chapters/08_autograd.md``, label ``sec-v2-leaves``).

    Returns:
        ``{"Wh": (nh, nx), "bh": (nh,), "Wy": (ny, nh), "by": (ny,)}``; each
        tensor is created first and only then marked ``requires_grad``, so it
        stays a leaf whose ``.grad`` autograd fills.
    """
    params = manual.init_params(nx, nh, ny, std=std, generator=generator, dtype=dtype)
    for value in params.values():
        value.requires_grad_(True)
    return params


def sgd(params: Params, eta: float) -> Params:
    """One gradient step from the ``.grad`` that ``L.backward()`` left, then zero it.

    Book: Part 2, "V2: torch.autograd", section "The update"
    (``book/chapters/08_autograd.md``, label ``sec-v2-sgd``).

    The update runs under ``torch.no_grad()`` so that it is not itself
    recorded, and each ``.grad`` is zeroed afterwards because autograd adds
    new gradients to whatever is already there.

    Args:
        params: leaf tensors with their ``.grad`` filled (modified in place).
        eta: learning rate, finite and > 0.

    Returns:
        ``params``, the same dictionary.
    """
    eta = _checks.learning_rate(eta)
    _checks.params(params)
    for name, value in params.items():  # check everything before changing anything
        if value.grad is None:
            raise ValueError(
                f"params[{name!r}].grad is None: call L.backward() on a loss computed "
                "from these parameters before sgd"
            )
    with torch.no_grad():
        for value in params.values():
            value -= eta * value.grad
            value.grad.zero_()
    return params
