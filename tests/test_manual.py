"""Stage V1: shapes, the hand-written gradients against two oracles, stability, bad input."""

from __future__ import annotations

import math

import pytest
import torch

from tmenn import manual
from tmenn.gradcheck import autograd_gradients, numerical_gradients, random_problem, rel_error

SHAPES = [  # (n, nx, nh, ny)
    (1, 2, 3, 2),
    (5, 4, 10, 3),
    (7, 3, 1, 5),
    (32, 784, 16, 10),
]


def make_batch(n, nx, nh, ny, seed=0):
    return random_problem(n, nx, nh, ny, seed=seed)


def mean_loss(params, X, Y):
    Yhat, outputs = manual.forward(params, X)
    return manual.loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])[0]


def test_init_shapes_dtype_and_zero_biases():
    params = manual.init_params(3, 5, 2, dtype=torch.float64)
    assert {k: tuple(v.shape) for k, v in params.items()} == {"Wh": (5, 3), "bh": (5,), "Wy": (2, 5), "by": (2,)}
    assert all(v.dtype == torch.float64 for v in params.values())
    assert torch.equal(params["bh"], torch.zeros(5, dtype=torch.float64))
    assert torch.equal(params["by"], torch.zeros(2, dtype=torch.float64))


@pytest.mark.parametrize(
    ("std", "expected_h", "expected_y"),
    [
        (0.3, 0.3, 0.3),
        ("glorot", math.sqrt(2 / (400 + 300)), math.sqrt(2 / (300 + 200))),
        ("lecun", math.sqrt(1 / 400), math.sqrt(1 / 300)),
    ],
)
def test_init_statistics(std, expected_h, expected_y):
    params = manual.init_params(400, 300, 200, std=std, generator=torch.Generator().manual_seed(1))
    for name, expected in (("Wh", expected_h), ("Wy", expected_y)):
        w = params[name].double()
        # 60,000+ draws: the sample mean and std are within a few standard errors.
        assert abs(w.mean().item()) < 5 * expected / math.sqrt(w.numel())
        assert w.std().item() == pytest.approx(expected, rel=0.02)


def test_init_is_reproducible_with_a_generator():
    a = manual.init_params(4, 6, 3, generator=torch.Generator().manual_seed(7))
    b = manual.init_params(4, 6, 3, generator=torch.Generator().manual_seed(7))
    c = manual.init_params(4, 6, 3, generator=torch.Generator().manual_seed(8))
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not torch.equal(a["Wh"], c["Wh"])


def test_forward_shapes_and_intermediate_values():
    params, X, _ = make_batch(6, 4, 5, 3)
    Yhat, outputs = manual.forward(params, X)
    assert set(outputs) == {"X", "htilde", "h", "ytilde", "yhat"}
    assert outputs["htilde"].shape == outputs["h"].shape == (6, 5)
    assert outputs["ytilde"].shape == Yhat.shape == (6, 3)
    assert outputs["yhat"] is Yhat
    torch.testing.assert_close(outputs["htilde"], X @ params["Wh"].T + params["bh"])
    torch.testing.assert_close(outputs["h"], torch.tanh(outputs["htilde"]))
    torch.testing.assert_close(Yhat, torch.softmax(outputs["ytilde"], dim=1))
    torch.testing.assert_close(Yhat.sum(dim=1), torch.ones(6, dtype=torch.float64))


def test_loss_and_accuracy_match_torch():
    params, X, Y = make_batch(50, 4, 8, 3)
    Yhat, outputs = manual.forward(params, X)
    expected = torch.nn.functional.cross_entropy(outputs["ytilde"], Y.argmax(dim=1))
    for L, acc in (manual.loss_accuracy(Yhat, Y), manual.loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])):
        assert L.ndim == 0
        assert rel_error(L, expected) < 1e-12
        assert acc == (Yhat.argmax(1) == Y.argmax(1)).sum().item() / 50
        assert isinstance(acc, float)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "n{}-nx{}-nh{}-ny{}".format(*s))
def test_backward_equals_autograd_in_float64(shape):
    params, X, Y = make_batch(*shape)
    _, outputs = manual.forward(params, X)
    grads = manual.backward(params, outputs, Y)

    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    mean_loss(leaves, X, Y).backward()  # autograd through our own forward and loss
    independent = autograd_gradients(params, X, Y)  # autograd through torch's layers
    for name, leaf in leaves.items():
        assert grads[name].shape == leaf.shape
        assert rel_error(grads[name], leaf.grad) < 1e-9, name
        assert rel_error(grads[name], independent[name]) < 1e-9, name


def test_backward_equals_centered_finite_differences():
    params, X, Y = make_batch(4, 3, 5, 3, seed=3)
    _, outputs = manual.forward(params, X)
    grads = manual.backward(params, outputs, Y)
    numeric = numerical_gradients(params, X, Y, h=1e-6)
    for name in params:
        assert rel_error(grads[name], numeric[name]) < 1e-6, name


def test_a_wrong_gradient_fails_the_checks():
    params, X, Y = make_batch(4, 3, 5, 3, seed=3)
    _, outputs = manual.forward(params, X)
    grads = manual.backward(params, outputs, Y)
    numeric = numerical_gradients(params, X, Y)
    assert rel_error(grads["Wh"] * 4, numeric["Wh"]) > 0.5  # e.g. a batch sum instead of a mean
    assert rel_error(grads["Wy"].T.contiguous().reshape(grads["Wy"].shape), numeric["Wy"]) > 1e-3


def test_backward_is_the_gradient_of_the_mean_not_the_sum():
    params, X, Y = make_batch(8, 3, 4, 2)
    _, outputs = manual.forward(params, X)
    g8 = manual.backward(params, outputs, Y)
    _, doubled = manual.forward(params, torch.cat([X, X]))
    g16 = manual.backward(params, doubled, torch.cat([Y, Y]))
    for name in g8:  # the same samples twice: same mean, so the same gradient
        torch.testing.assert_close(g8[name], g16[name])


def test_loss_finite_at_logits_of_plus_minus_1e4():
    params = {
        "Wh": torch.eye(2),
        "bh": torch.zeros(2),
        "Wy": torch.tensor([[1e4, 0.0], [-1e4, 0.0]]),
        "by": torch.zeros(2),
    }
    X = torch.tensor([[10.0, 0.0], [-10.0, 0.0]])  # tanh saturates at +-1: logits +-1e4
    Y = torch.tensor([[0.0, 1.0], [0.0, 1.0]])  # the first sample is confidently wrong
    Yhat, outputs = manual.forward(params, X)
    assert outputs["ytilde"].abs().max() == pytest.approx(1e4)
    assert torch.isfinite(Yhat).all()

    exact, acc = manual.loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
    assert torch.isfinite(exact)
    assert exact.item() == pytest.approx((2e4 + 0.0) / 2)  # -log softmax = 2e4 for the wrong one, 0 else
    assert acc == 0.5

    capped, _ = manual.loss_accuracy(Yhat, Y)
    assert torch.isfinite(capped)
    assert capped.item() == pytest.approx(-math.log(torch.finfo(torch.float32).tiny) / 2, rel=1e-4)

    grads = manual.backward(params, outputs, Y)
    assert all(torch.isfinite(g).all() for g in grads.values())


def test_softmax_does_not_overflow():
    ytilde = torch.tensor([[1e4, 0.0, -1e4], [800.0, 800.0, 0.0]])
    torch.testing.assert_close(manual.softmax(ytilde), torch.softmax(ytilde, dim=1))


def test_sgd_updates_in_place_and_returns_params():
    params, X, Y = make_batch(5, 3, 4, 2)
    before = {k: v.clone() for k, v in params.items()}
    ids = {k: id(v) for k, v in params.items()}
    _, outputs = manual.forward(params, X)
    grads = manual.backward(params, outputs, Y)
    out = manual.sgd(params, grads, 0.5)
    assert out is params
    for name in params:
        assert id(params[name]) == ids[name]
        torch.testing.assert_close(params[name], before[name] - 0.5 * grads[name])


def test_a_few_steps_lower_the_loss():
    params, X, Y = make_batch(64, 5, 16, 3)
    first = mean_loss(params, X, Y).item()
    for _ in range(50):
        _, outputs = manual.forward(params, X)
        manual.sgd(params, manual.backward(params, outputs, Y), 0.5)
    assert mean_loss(params, X, Y).item() < 0.8 * first


# ---- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "message"),
    [((0, 3, 2), "nx"), ((2, -1, 2), "nh"), ((2, 3, 0), "ny"), ((2.5, 3, 2), "nx"), ((2, True, 2), "nh")],
)
def test_init_rejects_bad_sizes(sizes, message):
    with pytest.raises(ValueError, match=message):
        manual.init_params(*sizes)


@pytest.mark.parametrize("std", [0, -0.3, float("nan"), float("inf"), "xavier", None])
def test_init_rejects_bad_std(std):
    with pytest.raises(ValueError, match="std"):
        manual.init_params(2, 3, 2, std=std)


def test_init_rejects_integer_dtype():
    with pytest.raises(ValueError, match="floating torch"):
        manual.init_params(2, 3, 2, dtype=torch.int64)


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (torch.zeros(5, 3), r"3 columns.*\(n, 4\)|4 columns"),
        (torch.zeros(4), "2-D"),
        (torch.zeros(2, 2, 4), "2-D"),
        (torch.zeros(0, 4), "at least one row"),
        (torch.zeros(5, 4, dtype=torch.int64), "floating"),
        ([[0.0] * 4], "torch.Tensor"),
        (torch.zeros(5, 4, dtype=torch.float64), "dtype"),
    ],
)
def test_forward_rejects_bad_X(X, message):
    params = manual.init_params(4, 3, 2)
    with pytest.raises(ValueError, match=message):
        manual.forward(params, X)


def test_forward_rejects_inconsistent_params():
    params = manual.init_params(4, 3, 2)
    params["bh"] = torch.zeros(5)
    with pytest.raises(ValueError, match=r"params\['bh'\] must have shape \(3,\)"):
        manual.forward(params, torch.zeros(1, 4))
    del params["by"]
    with pytest.raises(ValueError, match="lacks"):
        manual.forward(params, torch.zeros(1, 4))


def test_loss_rejects_mismatched_Y():
    Yhat = torch.full((4, 3), 1 / 3)
    with pytest.raises(ValueError, match=r"Y must have the shape of Yhat, \(4, 3\); got \(4, 2\)"):
        manual.loss_accuracy(Yhat, torch.zeros(4, 2))
    with pytest.raises(ValueError, match="ytilde"):
        manual.loss_accuracy(Yhat, torch.zeros(4, 3), ytilde=torch.zeros(3, 3))


def test_backward_rejects_mismatched_Y():
    params, X, Y = make_batch(5, 3, 4, 2)
    _, outputs = manual.forward(params, X)
    with pytest.raises(ValueError, match="Y must have the shape"):
        manual.backward(params, outputs, Y[:4])


@pytest.mark.parametrize("eta", [0, -0.1, float("nan"), float("inf"), "0.1", None, True])
def test_sgd_rejects_bad_eta_and_changes_nothing(eta):
    params, X, Y = make_batch(5, 3, 4, 2)
    _, outputs = manual.forward(params, X)
    grads = manual.backward(params, outputs, Y)
    before = {k: v.clone() for k, v in params.items()}
    with pytest.raises(ValueError, match="eta"):
        manual.sgd(params, grads, eta)
    assert all(torch.equal(params[k], before[k]) for k in params)


def test_sgd_rejects_grads_that_do_not_match():
    params, *_ = make_batch(5, 3, 4, 2)
    with pytest.raises(ValueError, match="grads lacks"):
        manual.sgd(params, {"Wh": torch.zeros(4, 3)}, 0.1)
    grads = {k: torch.ones_like(v) for k, v in params.items()}
    grads["Wy"] = torch.zeros(4, 2)
    before = {k: v.clone() for k, v in params.items()}
    with pytest.raises(ValueError, match=r"grads\['Wy'\]"):
        manual.sgd(params, grads, 0.1)
    assert all(torch.equal(params[k], before[k]) for k in params)  # Wh and bh untouched too


def test_numpy_scalars_are_accepted_where_python_numbers_are():
    import numpy as np

    params = manual.init_params(np.int64(3), np.int64(4), np.int64(2), std=np.float64(0.3))
    assert params["Wh"].shape == (4, 3)
    _, outputs = manual.forward(params, torch.zeros(2, 3))
    grads = manual.backward(params, outputs, torch.eye(2))
    manual.sgd(params, grads, np.float32(0.1))


@pytest.mark.parametrize("dtype", ["float64", str, torch.int32, None])
def test_init_rejects_non_floating_dtypes(dtype):
    with pytest.raises(ValueError, match=r"dtype must be a floating torch\.dtype"):
        manual.init_params(2, 3, 2, dtype=dtype)


def test_softmax_needs_a_matrix():
    with pytest.raises(ValueError, match="ytilde must be 2-D"):
        manual.softmax(torch.zeros(3))


def test_backward_rejects_outputs_that_do_not_belong_to_params():
    params, X, Y = make_batch(5, 3, 4, 2)
    _, outputs = manual.forward(params, X)
    with pytest.raises(ValueError, match=r"outputs lacks \['h'\]"):
        manual.backward(params, {k: v for k, v in outputs.items() if k != "h"}, Y)
    other = manual.init_params(3, 6, 2, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"outputs\['h'\] must have shape \(n, 6\)"):
        manual.backward(other, outputs, Y)


def test_loss_rejects_integer_targets():
    with pytest.raises(ValueError, match="floating-point one-hot"):
        manual.loss_accuracy(torch.full((2, 2), 0.5), torch.eye(2, dtype=torch.int64))
