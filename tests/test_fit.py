"""The training loop: determinism, callbacks, bad input, and the accuracy it reaches."""

from __future__ import annotations

import math
import types

import pytest
import torch

import tmenn
from tmenn.data import CirclesData, FashionMNISTData, MNISTData

LAB = {"nh": 10, "eta": 0.03, "batch_size": 10, "std": 0.3}  # the lab's settings for the circles


def test_same_seed_same_history_other_seed_differs(circles):
    a = tmenn.fit(circles, epochs=3, seed=4)
    b = tmenn.fit(circles, epochs=3, seed=4)
    c = tmenn.fit(circles, epochs=3, seed=5)
    assert (a.loss_train, a.loss_test, a.acc_train, a.acc_test) == (b.loss_train, b.loss_test, b.acc_train, b.acc_test)
    assert all(torch.equal(a.params[k], b.params[k]) for k in a.params)
    assert a.loss_train != c.loss_train


def test_history_has_one_value_per_epoch_and_a_working_predict(circles):
    seen = []
    history = tmenn.fit(circles, "nn", epochs=4, callback=lambda h: seen.append(len(h.loss_train)))
    assert seen == [1, 2, 3, 4]
    for values in (history.loss_train, history.loss_test, history.acc_train, history.acc_test, history.epoch_seconds):
        assert len(values) == 4 and all(isinstance(v, float) and math.isfinite(v) for v in values)
    assert isinstance(history.model, torch.nn.Sequential)
    P = history.predict(circles.Xgrid)
    assert P.shape == (1600, 2) and not P.requires_grad
    torch.testing.assert_close(P.sum(dim=1), torch.ones(1600))
    assert tmenn.fit(circles, epochs=1).model is None


def test_last_batch_may_be_smaller(circles):
    history = tmenn.fit(circles, epochs=1, batch_size=199)  # batches of 199 and 1
    assert math.isfinite(history.loss_train[0])


def test_float64_training(circles):
    history = tmenn.fit(circles, epochs=1, dtype=torch.float64)
    assert history.params["Wh"].dtype == torch.float64


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stage": "keras"}, "stage must be one of 'manual', 'autograd', 'nn', 'optim'"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"batch_size": -3}, "batch_size"),
        ({"eta": 0}, "eta"),
        ({"eta": float("inf")}, "eta"),
        ({"nh": 0}, "nh"),
        ({"epochs": 0}, "epochs"),
        ({"std": -1}, "std"),
    ],
)
def test_fit_rejects_bad_arguments(circles, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tmenn.fit(circles, **kwargs)


def _data(**changes):
    """Small circles as a plain namespace, with some tensors replaced."""
    data = CirclesData(n_train=20, n_test=10)
    fields = {k: getattr(data, k) for k in ("Xtrain", "Ytrain", "Xtest", "Ytest")}
    return types.SimpleNamespace(**{**fields, **changes})


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_fit_rejects_non_finite_data(value):
    X = _data().Xtrain.clone()
    X[3, 1] = value
    with pytest.raises(ValueError, match=r"data.Xtrain holds 1 NaN or infinite"):
        tmenn.fit(_data(Xtrain=X), epochs=1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"Ytrain": torch.zeros(20, 2)}, "one-hot"),
        ({"Ytrain": torch.eye(2)[[0, 1] * 9 + [0]]}, "20 rows but data.Ytrain has 19"),
        ({"Xtest": torch.zeros(10, 3)}, "Xtest must have 2 columns"),
        ({"Xtest": torch.zeros(10, 2, dtype=torch.int64)}, "floating"),
    ],
)
def test_fit_rejects_inconsistent_data(changes, message):
    with pytest.raises(ValueError, match=message):
        tmenn.fit(_data(**changes), epochs=1)


def test_fit_rejects_data_without_the_lab_attributes():
    with pytest.raises(ValueError, match="Xtrain, Ytrain, Xtest, Ytest"):
        tmenn.fit(types.SimpleNamespace(Xtrain=torch.zeros(2, 2)), epochs=1)


def test_predict_rejects_wrong_width(circles):
    history = tmenn.fit(circles, epochs=1)
    with pytest.raises(ValueError, match="2 columns"):
        history.predict(torch.zeros(5, 3))


# ---- accuracy the book relies on -------------------------------------------------


@pytest.mark.parametrize("stage", tmenn.STAGES)
def test_every_stage_learns_the_circles_with_the_lab_settings(circles, stage):
    history = tmenn.fit(circles, stage, epochs=300, **LAB)
    assert history.acc_test[-1] >= 0.95


def test_fit_defaults_learn_the_circles(circles):
    assert tmenn.fit(circles).acc_test[-1] >= 0.95


@pytest.mark.slow
def test_manual_stage_on_offline_mnist(no_mnist_files):
    with pytest.warns(UserWarning, match="5,000-digit"):
        data = MNISTData()
    history = tmenn.fit(data, "manual", nh=256, batch_size=32, epochs=10)
    assert history.acc_test[-1] >= 0.90


@pytest.mark.slow
def test_manual_stage_on_fashion_mnist():
    history = tmenn.fit(FashionMNISTData(), "manual", nh=256, batch_size=32, epochs=10)
    assert history.acc_test[-1] >= 0.87


def test_learning_rate_schedule(circles):
    history = tmenn.fit(circles, epochs=4, eta=0.1, eta_final=0.001)
    assert history.eta == pytest.approx([0.1, 0.1 * 0.01 ** (1 / 3), 0.1 * 0.01 ** (2 / 3), 0.001])
    assert tmenn.fit(circles, epochs=2, eta=0.2).eta == [0.2, 0.2]
    with pytest.raises(ValueError, match="eta_final"):
        tmenn.fit(circles, eta_final=0)


def test_every_stage_follows_the_schedule(circles):
    runs = [tmenn.fit(circles, s, nh=6, eta=0.3, eta_final=0.01, epochs=3, dtype=torch.float64) for s in tmenn.STAGES]
    for history in runs[1:]:
        for name, value in runs[0].params.items():
            assert (history.params[name].detach() - value).abs().max().item() < 1e-10


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": 1.5}, "seed must be an integer"),
        ({"dtype": "float64"}, "dtype must be a floating torch.dtype"),
        ({"dtype": torch.int64}, "dtype must be a floating torch.dtype"),
        ({"eta_final": 0.01, "epochs": 1}, "eta_final needs epochs >= 2"),
    ],
)
def test_fit_rejects_more_bad_arguments(circles, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tmenn.fit(circles, **kwargs)


def test_fit_accepts_numpy_integers(circles):
    import numpy as np

    history = tmenn.fit(circles, nh=np.int64(5), epochs=np.int32(2), batch_size=np.int64(50), seed=np.int64(3))
    assert len(history.loss_train) == 2


def test_evaluate_in_chunks_equals_one_piece(circles):
    from tmenn.train import evaluate

    history = tmenn.fit(circles, epochs=2)
    whole = evaluate(history.logits, circles.Xtrain, circles.Ytrain)
    chunked = evaluate(history.logits, circles.Xtrain, circles.Ytrain, chunk=37)
    assert chunked[0] == pytest.approx(whole[0], rel=1e-6) and chunked[1] == whole[1]
    assert whole == (history.loss_train[-1], history.acc_train[-1])
    with pytest.raises(ValueError, match="chunk"):
        evaluate(history.logits, circles.Xtrain, circles.Ytrain, chunk=0)
