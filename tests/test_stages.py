"""The four stages are one algorithm: same start, same batches, same end."""

from __future__ import annotations

import pytest
import torch

import tmenn
from tmenn import autograd as v2
from tmenn import manual as v1
from tmenn import nn as v3
from tmenn import optim as v4
from tmenn.gradcheck import random_problem

NX, NH, NY, N, BATCH, ETA = 3, 7, 4, 40, 8, 0.3


@pytest.fixture
def problem():
    return random_problem(N, NX, NH, NY, seed=0)


def batches(X, Y):
    for i in range(0, N, BATCH):
        yield X[i:i + BATCH], Y[i:i + BATCH]


def epoch_v1(params, X, Y):
    params = {k: v.clone() for k, v in params.items()}
    for Xb, Yb in batches(X, Y):
        _, outputs = v1.forward(params, Xb)
        v1.sgd(params, v1.backward(params, outputs, Yb), ETA)
    return params


def epoch_v2(params, X, Y):
    params = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    for Xb, Yb in batches(X, Y):
        Yhat, outputs = v2.forward(params, Xb)
        L, _ = v2.loss_accuracy(Yhat, Yb, ytilde=outputs["ytilde"])
        L.backward()
        v2.sgd(params, ETA)
    return {k: v.detach() for k, v in params.items()}


def epoch_v3(params, X, Y):
    model, loss = v3.init_model(NX, NH, NY)
    v3.load_params(model, params)
    for Xb, Yb in batches(X, Y):
        L, _ = v3.loss_accuracy(loss, model(Xb), Yb)
        L.backward()
        v3.sgd(model, ETA)
    return v3.get_params(model)


def epoch_v4(params, X, Y):
    model, loss, optim = v4.init_model(NX, NH, NY, ETA)
    v3.load_params(model, params)
    for Xb, Yb in batches(X, Y):
        optim.zero_grad()
        L, _ = v4.loss_accuracy(loss, model(Xb), Yb)
        L.backward()
        optim.step()
    return v3.get_params(model)


def test_one_epoch_of_each_stage_ends_at_the_same_weights(problem):
    params, X, Y = problem
    reference = epoch_v1(params, X, Y)
    moved = max((reference[k] - params[k]).abs().max().item() for k in params)
    assert moved > 1e-2  # the epoch really changed the weights
    for run in (epoch_v2, epoch_v3, epoch_v4):
        result = run(params, X, Y)
        for name in params:
            assert result[name].dtype == torch.float64
            diff = (result[name] - reference[name]).abs().max().item()
            assert diff < 1e-10, (run.__name__, name, diff)


def test_fit_runs_the_same_algorithm_in_every_stage(circles):
    runs = {s: tmenn.fit(circles, s, nh=6, eta=0.1, epochs=2, batch_size=16, dtype=torch.float64) for s in tmenn.STAGES}
    reference = runs["manual"]
    for stage, history in runs.items():
        for name in reference.params:
            diff = (history.params[name].detach() - reference.params[name]).abs().max().item()
            assert diff < 1e-10, (stage, name, diff)
        assert history.loss_train == pytest.approx(reference.loss_train, rel=1e-10)
        assert history.acc_test == reference.acc_test


def test_nn_loss_equals_the_manual_loss(problem):
    params, X, Y = problem
    model, loss = v3.init_model(NX, NH, NY)
    v3.load_params(model, params)
    Yhat, outputs = v1.forward(params, X)
    L1, acc1 = v1.loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
    with torch.no_grad():
        L3, acc3 = v3.loss_accuracy(loss, model(X), Y)
    assert abs(L1.item() - L3.item()) < 1e-12
    assert acc1 == acc3


def test_init_model_structure():
    model, loss = v3.init_model(2, 10, 2)
    assert [type(m) for m in model] == [torch.nn.Linear, torch.nn.Tanh, torch.nn.Linear]
    assert model[0].weight.shape == (10, 2) and model[2].weight.shape == (2, 10)
    assert isinstance(loss, torch.nn.CrossEntropyLoss)
    model, loss, optim = v4.init_model(2, 10, 2, 0.03)
    assert isinstance(optim, torch.optim.SGD)
    assert optim.param_groups[0]["lr"] == 0.03 and optim.param_groups[0]["momentum"] == 0


def test_autograd_init_gives_leaves():
    params = v2.init_params(3, 4, 2, generator=torch.Generator().manual_seed(0))
    assert all(v.is_leaf and v.requires_grad for v in params.values())
    torch.testing.assert_close(
        params["Wh"].detach(), v1.init_params(3, 4, 2, generator=torch.Generator().manual_seed(0))["Wh"]
    )


def test_autograd_sgd_zeroes_the_gradients(problem):
    params, X, Y = problem
    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    Yhat, _ = v2.forward(leaves, X)
    v2.loss_accuracy(Yhat, Y)[0].backward()
    v2.sgd(leaves, ETA)
    assert all(torch.count_nonzero(v.grad) == 0 for v in leaves.values())


def test_sgd_before_backward_is_a_clear_error_and_changes_nothing():
    params = v2.init_params(3, 4, 2)
    before = {k: v.detach().clone() for k, v in params.items()}
    with pytest.raises(ValueError, match=r"grad is None: call L.backward\(\)"):
        v2.sgd(params, 0.1)
    assert all(torch.equal(params[k].detach(), before[k]) for k in params)
    model, _ = v3.init_model(3, 4, 2)
    with pytest.raises(ValueError, match=r"grad is None"):
        v3.sgd(model, 0.1)


@pytest.mark.parametrize("eta", [0, -1, float("nan")])
def test_stages_reject_bad_eta(eta):
    with pytest.raises(ValueError, match="eta"):
        v4.init_model(2, 3, 2, eta)
    with pytest.raises(ValueError, match="eta"):
        v2.sgd(v2.init_params(2, 3, 2), eta)
    with pytest.raises(ValueError, match="eta"):
        v3.sgd(v3.init_model(2, 3, 2)[0], eta)


def test_nn_rejects_bad_sizes_and_shapes():
    with pytest.raises(ValueError, match="nh"):
        v3.init_model(2, 0, 2)
    model, loss = v3.init_model(2, 3, 2)
    with pytest.raises(ValueError, match="Y must have the shape of Yhat"):
        v3.loss_accuracy(loss, torch.zeros(4, 2), torch.zeros(4, 3))
    with pytest.raises(ValueError, match="sizes"):
        v3.load_params(model, v1.init_params(2, 5, 2))


def test_nn_sgd_skips_frozen_parameters(problem):
    params, X, Y = problem
    model, loss = v3.init_model(NX, NH, NY)
    v3.load_params(model, params)
    model[0].bias.requires_grad_(False)
    frozen = model[0].bias.detach().clone()
    v3.loss_accuracy(loss, model(X), Y)[0].backward()
    v3.sgd(model, ETA)
    assert torch.equal(model[0].bias.detach(), frozen)
    assert all(p.grad is None for p in model.parameters())


def test_load_params_rejects_other_models():
    with pytest.raises(ValueError, match="Sequential\\(Linear, Tanh, Linear\\)"):
        v3.load_params(torch.nn.Sequential(torch.nn.Tanh(), torch.nn.Tanh(), torch.nn.Tanh()),
                       v1.init_params(2, 3, 2))
