"""Question 12's two gradient methods: both exact, one quadratic and one linear in depth."""

from __future__ import annotations

import pytest
import torch

from tmenn import chain
from tmenn.gradcheck import rel_error


@pytest.mark.parametrize("L", [1, 2, 5, 12])
def test_both_methods_equal_autograd(L):
    weights, x = chain.deep_chain(L, 6, seed=L)
    zs = chain.forward(weights, x)
    leaves = [W.clone().requires_grad_(True) for W in weights]
    (0.5 * chain.forward(leaves, x)[-1].pow(2).sum()).backward()
    for method in (chain.backprop_gradients, chain.naive_gradients):
        grads, _ = method(weights, zs)
        assert len(grads) == L
        for g, leaf in zip(grads, leaves, strict=True):
            assert rel_error(g, leaf.grad) < 1e-12


@pytest.mark.parametrize("L", [1, 2, 3, 10, 40])
def test_product_counts(L):
    weights, x = chain.deep_chain(L, 3)
    zs = chain.forward(weights, x)
    assert chain.backprop_gradients(weights, zs)[1] == L - 1
    assert chain.naive_gradients(weights, zs)[1] == L * (L - 1) // 2


@pytest.mark.parametrize(("L", "d"), [(0, 3), (3, 0), (2.5, 3), (True, 3)])
def test_bad_sizes(L, d):
    with pytest.raises(ValueError, match="positive integer"):
        chain.deep_chain(L, d)


def test_chain_values_stay_finite():
    weights, x = chain.deep_chain(64, 32)
    assert torch.isfinite(chain.forward(weights, x)[-1]).all()
