"""The lab's training loop, for any of the four stages.

Book: Part 2, "V1: forward and backward by hand", section "The training
loop" (``book/chapters/07_manual.md``, label ``sec-v1-loop``).

Every stage starts from the same weights (drawn by
:func:`tmenn.manual.init_params`) and sees the same mini-batches for the
same ``seed``, so the four stages run one algorithm and can be compared
number for number.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from tqdm import tqdm

from . import _checks, manual
from . import autograd as v2
from . import nn as v3
from . import optim as v4

STAGES = ("manual", "autograd", "nn", "optim")


class _Manual:
    """V1: forward, hand-written backward, sgd."""

    uses_autograd = False  # its steps can run under torch.inference_mode

    def __init__(self, params, eta):
        self.params, self.eta = params, eta

    def step(self, X, Y):
        _, outputs = manual.forward(self.params, X)
        grads = manual.backward(self.params, outputs, Y)
        manual.sgd(self.params, grads, self.eta)

    def logits(self, X):
        return manual.forward(self.params, X)[1]["ytilde"]


class _Autograd(_Manual):
    """V2: the V1 forward and loss, gradients from ``L.backward()``."""

    uses_autograd = True

    def __init__(self, params, eta):
        super().__init__({k: v.requires_grad_(True) for k, v in params.items()}, eta)

    def step(self, X, Y):
        Yhat, outputs = v2.forward(self.params, X)
        L, _ = v2.loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
        L.backward()
        v2.sgd(self.params, self.eta)


class _NN:
    """V3: ``torch.nn`` model and loss, hand-written update."""

    uses_autograd = True

    def __init__(self, params, eta):
        nx, nh, ny = _checks.params(params)
        self.model, self.loss = v3.init_model(nx, nh, ny)
        self.start_from(params)
        self.eta = eta

    def start_from(self, params):
        """Copy the common initial weights into the model, and expose them under V1's names."""
        self.params = v3.get_params(v3.load_params(self.model, params))

    def step(self, X, Y):
        L, _ = v3.loss_accuracy(self.loss, self.model(X), Y)
        L.backward()
        v3.sgd(self.model, self.eta)

    def logits(self, X):
        return self.model(X)


class _Optim(_NN):
    """V4: as V3, the update done by ``torch.optim.SGD``."""

    def __init__(self, params, eta):
        nx, nh, ny = _checks.params(params)
        self.model, self.loss, self.optim = v4.init_model(nx, nh, ny, eta)
        self.start_from(params)

    @property
    def eta(self) -> float:
        return self.optim.param_groups[0]["lr"]

    @eta.setter
    def eta(self, value: float) -> None:
        for group in self.optim.param_groups:
            group["lr"] = value

    def step(self, X, Y):
        self.optim.zero_grad()
        L, _ = v4.loss_accuracy(self.loss, self.model(X), Y)
        L.backward()
        self.optim.step()


_RUNNERS = {"manual": _Manual, "autograd": _Autograd, "nn": _NN, "optim": _Optim}


@dataclass
class History:
    """What :func:`fit` measured, one value per epoch, and what it trained.

    Attributes:
        stage: the stage that trained.
        loss_train, loss_test: mean cross-entropy on each whole set.
        acc_train, acc_test: accuracy on each whole set.
        eta: the learning rate used in each epoch.
        epoch_seconds: wall time of each epoch, the metrics included.
        params: the trained ``Wh, bh, Wy, by`` (for ``nn`` and ``optim`` they
            share storage with the model's parameters).
        model: the trained ``torch.nn.Sequential`` (``nn`` and ``optim``), else None.
    """

    stage: str
    loss_train: list[float] = field(default_factory=list)
    loss_test: list[float] = field(default_factory=list)
    acc_train: list[float] = field(default_factory=list)
    acc_test: list[float] = field(default_factory=list)
    eta: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    params: dict[str, torch.Tensor] = field(default_factory=dict, repr=False)
    model: torch.nn.Module | None = field(default=None, repr=False)
    _runner: object = field(default=None, repr=False, compare=False)

    def logits(self, X: torch.Tensor) -> torch.Tensor:
        """The trained network's logits ``ytilde (n, ny)`` for ``X (n, nx)``, without grad."""
        _checks.matrix("X", X, cols=self.params["Wh"].shape[1])
        with torch.inference_mode():
            return self._runner.logits(X.to(self.params["Wh"].dtype))

    def predict(self, X: torch.Tensor) -> torch.Tensor:
        """Class probabilities ``yhat (n, ny)`` for ``X (n, nx)``, without grad."""
        return manual.softmax(self.logits(X))


def evaluate(logits: Callable[[torch.Tensor], torch.Tensor], X: torch.Tensor, Y: torch.Tensor,
             chunk: int = 8192) -> tuple[float, float]:
    """Mean cross-entropy and accuracy of a whole set, without grad.

    ``logits`` maps rows of ``X`` to logits. Large sets are cut into chunks
    of ``chunk`` rows, which bounds the size of the intermediate arrays
    (``chunk x nh`` rather than the whole set's); a set of at most ``chunk``
    rows is computed in one piece.
    """
    chunk = _checks.positive_int("chunk", chunk)
    parts = []
    with torch.inference_mode():
        for i in range(0, X.shape[0], chunk):
            ytilde = logits(X[i:i + chunk])
            L, acc = manual.loss_accuracy(manual.softmax(ytilde), Y[i:i + chunk], ytilde=ytilde)
            parts.append((L.item(), acc, ytilde.shape[0]))
    if len(parts) == 1:
        return parts[0][0], parts[0][1]
    n = X.shape[0]
    return sum(L * m for L, _, m in parts) / n, sum(round(acc * m) for _, acc, m in parts) / n


def check_data(data, dtype: torch.dtype | None = None) -> tuple[torch.Tensor, ...]:
    """Validate a dataset once and return ``Xtrain, Ytrain, Xtest, Ytest`` in ``dtype``.

    ``data`` needs the lab's four attributes; inputs must be finite, targets
    one-hot, and the two sets must agree in their numbers of columns.
    """
    tensors = []
    for name in ("Xtrain", "Ytrain", "Xtest", "Ytest"):
        if not hasattr(data, name):
            raise ValueError(f"data must have the attributes Xtrain, Ytrain, Xtest, Ytest; {name} is missing")
        tensors.append(_checks.matrix(f"data.{name}", getattr(data, name)))
    Xtrain, Ytrain, Xtest, Ytest = tensors
    for X, Y, split in ((Xtrain, Ytrain, "train"), (Xtest, Ytest, "test")):
        if X.shape[0] != Y.shape[0]:
            raise ValueError(f"data.X{split} has {X.shape[0]} rows but data.Y{split} has {Y.shape[0]}")
        _checks.finite(f"data.X{split}", X)
        _checks.one_hot(f"data.Y{split}", Y)
    _checks.matrix("data.Xtest", Xtest, cols=Xtrain.shape[1])
    _checks.matrix("data.Ytest", Ytest, cols=Ytrain.shape[1])
    dtype = dtype or Xtrain.dtype
    return tuple(t.to(dtype) for t in tensors)


def fit(
    data,
    stage: str = "manual",
    *,
    nh: int = 100,
    eta: float = 0.1,
    eta_final: float | None = None,
    epochs: int = 50,
    batch_size: int = 16,
    seed: int = 0,
    std: float | str = "lecun",
    dtype: torch.dtype | None = None,
    progress: bool = False,
    callback: Callable[[History], object] | None = None,
) -> History:
    """Train the ``nx -> nh -> ny`` network on ``data`` with mini-batch SGD.

    Each epoch shuffles the training set, takes one gradient step per
    mini-batch of ``batch_size`` rows (the last one may be smaller), then
    measures loss and accuracy on the whole training and test sets.

    Args:
        data: anything with ``Xtrain (n, nx)``, ``Ytrain (n, ny)`` one-hot,
            ``Xtest``, ``Ytest`` (e.g. :class:`tmenn.data.CirclesData`).
        stage: ``"manual"`` (V1), ``"autograd"`` (V2), ``"nn"`` (V3) or
            ``"optim"`` (V4); all run the same algorithm.
        nh: hidden units.
        eta: learning rate (of the first epoch, if ``eta_final`` is given).
        eta_final: if given, the learning rate decays geometrically from
            ``eta`` in the first epoch to ``eta_final`` in the last one; the
            rate stays constant within an epoch.
        epochs: passes over the training set.
        batch_size: rows per gradient step.
        seed: seeds the initial weights and the shuffling; the same seed
            gives the same history.
        std: initial weights' standard deviation, as in
            :func:`tmenn.manual.init_params`. The default ``"lecun"``,
            sqrt(1 / fan_in) per layer, makes each pre-activation's variance
            about the mean square of the layer's inputs whatever the sizes,
            so tanh starts in its steep range on the circles (nx = 2) and on
            MNIST (nx = 784) alike. The lab's 0.3 saturates tanh at
            nx = 784; ``"glorot"`` shrinks the first layer as nh grows and
            learns the circles slowly.
        dtype: compute in this dtype (e.g. ``torch.float64``); the data's by default.
        progress: show a tqdm progress bar over epochs.
        callback: called with the :class:`History` after each epoch.

    Returns:
        A :class:`History`.
    """
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(map(repr, STAGES))}; got {stage!r}")
    nh = _checks.positive_int("nh", nh)
    eta = _checks.learning_rate(eta)
    epochs = _checks.positive_int("epochs", epochs)
    schedule = [eta] * epochs
    if eta_final is not None:
        eta_final = _checks.learning_rate(eta_final, "eta_final")
        if epochs < 2:
            raise ValueError(f"eta_final needs epochs >= 2 to decay from eta to eta_final, got epochs={epochs}")
        schedule = [eta * (eta_final / eta) ** (e / (epochs - 1)) for e in range(epochs)]
    batch_size = _checks.positive_int("batch_size", batch_size)
    seed = _checks.integer("seed", seed)
    if dtype is not None:
        dtype = _checks.floating_dtype(dtype)
    Xtrain, Ytrain, Xtest, Ytest = check_data(data, dtype)
    n, nx = Xtrain.shape
    ny = Ytrain.shape[1]

    generator = torch.Generator().manual_seed(seed)
    params = manual.init_params(nx, nh, ny, std=std, generator=generator, dtype=Xtrain.dtype)
    runner = _RUNNERS[stage](params, eta)
    history = History(stage=stage, params=runner.params, model=getattr(runner, "model", None),
                      _runner=runner)

    # Speed comes from the loop, not from the functions the book derives: the
    # shuffled copies are gathered once per epoch into buffers allocated once,
    # V1's steps run without autograd's per-operation bookkeeping, and the
    # metrics run in chunks of bounded size.
    Xshuffled, Yshuffled = torch.empty_like(Xtrain), torch.empty_like(Ytrain)
    bar = tqdm(range(epochs), desc=f"{stage}", unit="epoch", disable=not progress)
    for epoch in bar:
        start = time.perf_counter()
        runner.eta = schedule[epoch]
        history.eta.append(schedule[epoch])
        order = torch.randperm(n, generator=generator)
        torch.index_select(Xtrain, 0, order, out=Xshuffled)
        torch.index_select(Ytrain, 0, order, out=Yshuffled)
        with torch.inference_mode(not runner.uses_autograd):
            for i in range(0, n, batch_size):
                runner.step(Xshuffled[i:i + batch_size], Yshuffled[i:i + batch_size])
        for X, Y, split in ((Xtrain, Ytrain, "train"), (Xtest, Ytest, "test")):
            L, acc = evaluate(runner.logits, X, Y)
            getattr(history, f"loss_{split}").append(L)
            getattr(history, f"acc_{split}").append(acc)
        history.epoch_seconds.append(time.perf_counter() - start)
        bar.set_postfix(loss=f"{history.loss_train[-1]:.4f}", test_acc=f"{history.acc_test[-1]:.3f}")
        if callback is not None:
            callback(history)
    return history
