"""Numerical oracles for the hand-written gradients, in float64.

Book: Part 1, "Backpropagation", section "Checking the code"
(``book/chapters/05_backpropagation.md``, label ``sec-grad-check``).

Two independent references for :func:`tmenn.manual.backward`:

* :func:`autograd_gradients` rebuilds the network from torch's own layers
  (``linear``, ``tanh``, ``cross_entropy``) and lets autograd differentiate
  it, so it shares no code with :mod:`tmenn.manual`;
* :func:`numerical_gradients` perturbs each parameter by ``±h`` and takes
  the centred difference of the loss, which needs no derivative at all.
"""

from __future__ import annotations

import torch

from . import manual
from .manual import Params


def rel_error(a: torch.Tensor, b: torch.Tensor) -> float:
    """Largest elementwise ``|a - b| / max(1e-8, |a| + |b|)``.

    Relative, so that it means the same for large and small gradients; the
    floor keeps entries where both are (nearly) zero from dividing by zero.
    """
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    return float(((a - b).abs() / (a.abs() + b.abs()).clamp_min(1e-8)).max())


def random_problem(
    n: int, nx: int, nh: int, ny: int, *, seed: int = 0, dtype: torch.dtype = torch.float64
) -> tuple[Params, torch.Tensor, torch.Tensor]:
    """A random network and batch for checks: ``(params, X (n, nx), Y (n, ny) one-hot)``.

    The biases are drawn too (not zero, as after :func:`tmenn.manual.init_params`),
    so that every term of every gradient is exercised.
    """
    g = torch.Generator().manual_seed(seed)
    params = {
        "Wh": torch.randn(nh, nx, generator=g, dtype=dtype) * 0.5,
        "bh": torch.randn(nh, generator=g, dtype=dtype) * 0.1,
        "Wy": torch.randn(ny, nh, generator=g, dtype=dtype) * 0.5,
        "by": torch.randn(ny, generator=g, dtype=dtype) * 0.1,
    }
    X = torch.randn(n, nx, generator=g, dtype=dtype)
    Y = torch.nn.functional.one_hot(torch.randint(ny, (n,), generator=g), ny).to(dtype)
    return params, X, Y


def autograd_gradients(params: Params, X: torch.Tensor, Y: torch.Tensor) -> Params:
    """Gradients of the mean cross-entropy, by autograd through torch's own layers."""
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}
    h = torch.tanh(torch.nn.functional.linear(X, leaves["Wh"], leaves["bh"]))
    ytilde = torch.nn.functional.linear(h, leaves["Wy"], leaves["by"])
    torch.nn.functional.cross_entropy(ytilde, Y.argmax(dim=1)).backward()
    return {k: v.grad for k, v in leaves.items()}


def numerical_gradients(params: Params, X: torch.Tensor, Y: torch.Tensor, h: float = 1e-6) -> Params:
    """Centred finite differences ``(L(w + h) - L(w - h)) / 2h`` for every parameter entry.

    ``params`` is perturbed in place one entry at a time and restored.
    """

    def loss() -> float:
        Yhat, outputs = manual.forward(params, X)
        return manual.loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])[0].item()

    grads = {}
    for name, value in params.items():
        flat, grad = value.view(-1), torch.zeros_like(value)
        for i in range(flat.numel()):
            old = flat[i].item()
            flat[i] = old + h
            plus = loss()
            flat[i] = old - h
            minus = loss()
            flat[i] = old
            grad.view(-1)[i] = (plus - minus) / (2 * h)
        grads[name] = grad
    return grads
