"""Gradients of a deep chain of layers, two ways: the naive chain rule and backpropagation.

Book: Part 3, "The cost of backpropagation" (``book/chapters/14_backprop_cost.md``,
label ``sec-exp-backprop-cost``), answering question 12 of
``book/chapters/05_backpropagation.md`` (label ``sec-naive-vs-backprop``).

The network is ``L`` tanh layers of equal width ``d``, one sample, no biases:

    z_0 = x,   z_l = tanh(W_l z_{l-1})  for l = 1..L,   loss = ||z_L||^2 / 2,

so that ``grad_{z_L} loss = z_L``. Both functions return the gradients of
the loss with respect to every ``W_l`` and count the matrix-vector products
they perform: the work that grows with depth.
"""

from __future__ import annotations

import torch

from . import _checks


def deep_chain(L: int, d: int, *, seed: int = 0, dtype: torch.dtype = torch.float64):
    """Random weights ``W_1..W_L`` (each ``(d, d)``, LeCun-scaled) and an input ``x (d,)``."""
    L = _checks.positive_int("L (the number of layers)", L)
    d = _checks.positive_int("d (the width)", d)
    g = torch.Generator().manual_seed(seed)
    weights = [torch.randn(d, d, generator=g, dtype=dtype) / d**0.5 for _ in range(L)]
    return weights, torch.randn(d, generator=g, dtype=dtype)


def forward(weights: list[torch.Tensor], x: torch.Tensor) -> list[torch.Tensor]:
    """All the layer values ``[z_0, z_1, ..., z_L]``; the loss is ``||z_L||^2 / 2``."""
    zs = [x]
    for W in weights:
        zs.append(torch.tanh(W @ zs[-1]))
    return zs


def backprop_gradients(weights: list[torch.Tensor], zs: list[torch.Tensor]) -> tuple[list[torch.Tensor], int]:
    """One backward sweep: each layer reuses the gradient passed down by the layer above.

    Returns the gradients ``[dloss/dW_1, ..., dloss/dW_L]`` and the number
    of matrix-vector products, ``L - 1``.
    """
    L = len(weights)
    grads: list[torch.Tensor] = [torch.empty(0)] * L
    delta, products = zs[L], 0  # gradient with respect to z_L
    for l in range(L, 0, -1):  # noqa: E741 (l is the layer index, as in the book)
        delta_pre = delta * (1 - zs[l] ** 2)  # through tanh: gradient with respect to W_l z_{l-1}
        grads[l - 1] = torch.outer(delta_pre, zs[l - 1])
        if l > 1:
            delta = weights[l - 1].T @ delta_pre  # passed down to z_{l-1}: one product per layer
            products += 1
    return grads, products


def naive_gradients(weights: list[torch.Tensor], zs: list[torch.Tensor]) -> tuple[list[torch.Tensor], int]:
    """For every layer, the chain rule applied afresh from the loss down to that layer.

    Nothing is shared between layers: the gradient for ``W_l`` walks through
    layers ``L, L-1, ..., l + 1`` again. Returns the gradients and the number
    of matrix-vector products, ``L (L - 1) / 2``.
    """
    L = len(weights)
    grads, products = [], 0
    for target in range(1, L + 1):
        delta = zs[L]
        for l in range(L, target, -1):  # noqa: E741
            delta = weights[l - 1].T @ (delta * (1 - zs[l] ** 2))
            products += 1
        grads.append(torch.outer(delta * (1 - zs[target] ** 2), zs[target - 1]))
    return grads, products
