"""tmenn.derivations: every check of Part 1 holds, a wrong formula fails, and the numbers match the code."""

from __future__ import annotations

import pytest
import sympy as sp

from tmenn import backward, derivations, forward, loss_accuracy
from tmenn.gradcheck import random_problem, rel_error


def test_every_check_of_part_1_holds():
    checks = derivations.all_checks()
    assert len(checks) >= 20
    failing = [c.title for c in checks if not c.holds]
    assert failing == []


def test_wrong_formulas_are_rejected():
    net = derivations.Network(n=2)
    f = net.forward
    no_mean = (f["Yhat"] - net.Y).T * f["H"]  # forgot the 1/N
    assert not derivations.Check("no 1/N", net.derived_gradients["Wy"], no_mean).holds
    transposed = net.closed_forms(f["H"], f["Yhat"])["Wy"].T  # wrong shape
    assert not derivations.Check("transposed", net.derived_gradients["Wy"], transposed).holds
    sign = -net.closed_forms(f["H"], f["Yhat"])["Wh"]
    assert not derivations.Check("sign", net.derived_gradients["Wh"], sign).holds
    z = sp.Symbol("z", real=True)
    misprint = derivations.Check("misprinted sigmoid", sp.Matrix([1 / (1 + sp.exp(z))]),
                                 sp.Matrix([1 / (1 + sp.exp(-z))]))
    assert not misprint.holds


def test_q14_needs_the_targets_to_sum_to_one():
    ce = derivations.softmax_cross_entropy(ny=3)
    assert ce["q14"].holds and ce["q15"].holds
    unconstrained = derivations.Check("no constraint", ce["q14"].derived, ce["q14"].closed)
    assert not unconstrained.holds


def test_markdown_summary_says_whether_it_holds():
    check = derivations.composition_of_affine_maps()
    assert "holds" in check._repr_markdown_() and "does not" not in check._repr_markdown_()


def test_lambdified_derivatives_equal_backward():
    net = derivations.Network(n=3, nx=2, nh=4, ny=3)
    params, X, Y = random_problem(3, 2, 4, 3, seed=5)
    _, outputs = forward(params, X)
    grads = backward(params, outputs, Y)
    for name, value in net.sympy_gradients(params, X, Y).items():
        assert value.shape == grads[name].shape
        assert rel_error(grads[name], value) < 1e-12, name


def test_lambdified_forward_and_loss_equal_the_code():
    net = derivations.Network(n=4, nx=3, nh=2, ny=2)
    params, X, Y = random_problem(4, 3, 2, 2, seed=6)
    Yhat, outputs = forward(params, X)
    assert rel_error(Yhat, net.lambdify(net.forward["Yhat"])(params, X, Y)) < 1e-12
    assert rel_error(outputs["htilde"], net.lambdify(net.forward["Htilde"])(params, X, Y)) < 1e-12
    L, _ = loss_accuracy(Yhat, Y)
    for simplified in (True, False):
        L_sym = net.lambdify(sp.Matrix([net.loss(simplified)]))(params, X, Y)
        assert rel_error(L.reshape(1, 1), L_sym) < 1e-12


def test_lambdify_rejects_wrong_shapes():
    net = derivations.Network(n=2)
    params, X, Y = random_problem(3, 2, 3, 3)
    with pytest.raises(ValueError, match=r"X and Y must have shapes \(2, 2\) and \(2, 3\)"):
        net.sympy_gradients(params, X, Y)


def test_parabola_step():
    out = derivations.gradient_descent_on_a_parabola()
    _w, eta, a = sp.symbols("w eta a", positive=True)
    assert sp.simplify(out["factor"] - (1 - eta * a)) == 0
