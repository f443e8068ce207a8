"""Stage V4: the update delegated to ``torch.optim``.

Book: Part 2, "V4: torch.optim" (``book/chapters/10_optim.md``).

A training step becomes ``optim.zero_grad(); L.backward(); optim.step()``;
the model and its loss are those of V3.
"""

from __future__ import annotations

import torch

from . import _checks
from . import nn as _nn
from .nn import loss_accuracy

__all__ = ["init_model", "loss_accuracy"]


def init_model(
    nx: int, nh: int, ny: int, eta: float
) -> tuple[torch.nn.Sequential, torch.nn.CrossEntropyLoss, torch.optim.SGD]:
    """V3's model and loss, plus plain SGD (no momentum) with learning rate ``eta``.

    Book: Part 2, "V4: torch.optim", section "The optimiser"
    (``book/chapters/10_optim.md``, label ``sec-v4-optim``).

    Returns:
        ``(model, loss, optim)``.
    """
    eta = _checks.learning_rate(eta)
    model, loss = _nn.init_model(nx, nh, ny)
    optim = torch.optim.SGD(model.parameters(), lr=eta)
    return model, loss, optim
