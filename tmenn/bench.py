"""How fast does ``fit`` train? Every stage against scikit-learn and against the machine.

Book: Part 3, "Performance" (``book/chapters/16_performance.md``, label
``sec-perf-table``). ``python -m tmenn bench`` prints the same table.

Each figure is one epoch of the network on a dataset (by default the full
Fashion-MNIST, 784-100-10, batch 64): the shuffled mini-batch steps *and*
the loss and accuracy on the whole training and test sets, as ``fit``
measures them. The references, measured in the same run, are:

* scikit-learn's ``MLPClassifier`` with the same architecture and training
  settings (tanh, plain SGD without momentum, no weight penalty, same batch
  size and learning rate), timed for one epoch plus its accuracy on both
  sets. Its initial weights follow its own rule (Glorot-uniform, random
  biases), so its accuracy column is indicative, not like for like;
* the machine's own rate for a large float32 matrix product (2048 x 2048),
  against which the epoch's arithmetic (counted below) gives a utilisation.
"""

from __future__ import annotations

import statistics
import time
import warnings
from dataclasses import dataclass

import torch

from . import _checks
from .train import STAGES, check_data, fit


def matmul_gflops(n: int = 2048, repeats: int = 10) -> float:
    """The machine's float32 matrix-product rate, in GFLOP/s (median of ``repeats`` products)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)  # warm up the kernels and the thread pool
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - start)
    return 2 * n**3 / statistics.median(times) / 1e9


def epoch_flops(n_train: int, n_test: int, nx: int, nh: int, ny: int) -> float:
    """Floating-point operations of the matrix products in one epoch of ``fit``.

    Training: per sample, the forward products ``X Wh^T`` and ``H Wy^T``
    (``2 (nx nh + nh ny)``), and the backward products for ``Wy``, ``H`` and
    ``Wh`` (``2 (nh ny + ny nh + nh nx)``); no gradient is computed for
    ``X``. Metrics: one more forward pass over both sets. The element-wise
    work (tanh, softmax, the update) is left out: it is small next to the
    products and the products are what the machine rate measures.
    """
    forward = 2 * (nx * nh + nh * ny)
    backward = 2 * (nh * ny + ny * nh + nh * nx)
    return n_train * (forward + backward) + (n_train + n_test) * forward


@dataclass
class Row:
    """One implementation's figures."""

    name: str
    seconds: float  # median seconds per epoch, metrics included
    accuracy: float  # test accuracy after the timed epochs


@dataclass
class Report:
    """The benchmark's measurements and the ratios the book reports."""

    rows: list[Row]
    sklearn: Row
    matmul_gflops: float
    flops: float
    settings: dict
    repeats: int

    def gflops(self, row: Row) -> float:
        return self.flops / row.seconds / 1e9

    def records(self) -> list[dict]:
        """One dictionary per implementation, with the ratios."""
        out = []
        for row in [*self.rows, self.sklearn]:
            out.append({
                "implementation": row.name,
                "seconds per epoch": row.seconds,
                "vs MLPClassifier": row.seconds / self.sklearn.seconds,
                "GFLOP/s": self.gflops(row),
                "share of matmul peak": self.gflops(row) / self.matmul_gflops,
                "test accuracy": row.accuracy,
            })
        return out

    def text(self) -> str:
        """The table as plain text, as ``python -m tmenn bench`` prints it."""
        s = self.settings
        lines = [
            f"one epoch of {s['nx']}-{s['nh']}-{s['ny']} on {s['data']}, batch {s['batch_size']}, "
            f"eta {s['eta']}, train and test metrics included; median of {self.repeats} runs",
            f"machine: float32 2048x2048 matmul {self.matmul_gflops:.1f} GFLOP/s, "
            f"{torch.get_num_threads()} threads; epoch work {self.flops / 1e9:.1f} GFLOP",
            "",
            f"{'implementation':28s} {'s/epoch':>8s} {'vs MLPClassifier':>17s} {'GFLOP/s':>8s} "
            f"{'of peak':>8s} {'test acc':>9s}",
        ]
        for r in self.records():
            lines.append(
                f"{r['implementation']:28s} {r['seconds per epoch']:8.3f} {r['vs MLPClassifier']:16.2f}x "
                f"{r['GFLOP/s']:8.1f} {r['share of matmul peak']:8.1%} {r['test accuracy']:9.2%}"
            )
        return "\n".join(lines)


def time_sklearn(tensors, nh: int, eta: float, batch_size: int, epochs: int, seed: int = 0) -> Row:
    """``MLPClassifier`` with our settings, one epoch at a time, plus its metrics.

    ``tensors`` are ``Xtrain, Ytrain, Xtest, Ytest`` as :func:`tmenn.train.check_data` returns them.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    Xtrain, Ytrain, Xtest, Ytest = (t.numpy() for t in tensors)
    ytrain, ytest = Ytrain.argmax(axis=1), Ytest.argmax(axis=1)
    model = MLPClassifier(hidden_layer_sizes=(nh,), activation="tanh", solver="sgd", alpha=0.0,
                          batch_size=batch_size, learning_rate_init=eta, momentum=0.0,
                          nesterovs_momentum=False, max_iter=1, shuffle=True, random_state=seed)
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(epochs):
            start = time.perf_counter()
            if times:
                model.partial_fit(Xtrain, ytrain)
            else:
                model.fit(Xtrain, ytrain)  # the first epoch also sets the model up
            model.score(Xtrain, ytrain)
            accuracy = model.score(Xtest, ytest)
            times.append(time.perf_counter() - start)
    return Row("sklearn MLPClassifier", statistics.median(times), accuracy)


def run(data=None, *, nh: int = 100, eta: float = 0.1, batch_size: int = 64, repeats: int = 5,
        stages: tuple[str, ...] = STAGES) -> Report:
    """Measure every stage and ``MLPClassifier`` on ``data`` (full Fashion-MNIST by default).

    Each implementation trains for ``repeats`` epochs; its figure is the
    median epoch.
    """
    repeats = _checks.positive_int("repeats", repeats)
    if data is None:
        from .data import FashionMNISTData

        data = FashionMNISTData()
    tensors = check_data(data)
    Xtrain, Ytrain, Xtest, _ = tensors
    nx, ny = Xtrain.shape[1], Ytrain.shape[1]
    peak = matmul_gflops()
    rows = []
    for stage in stages:
        history = fit(data, stage, nh=nh, eta=eta, batch_size=batch_size, epochs=repeats)
        rows.append(Row(f"tmenn {stage}", statistics.median(history.epoch_seconds), history.acc_test[-1]))
    sklearn = time_sklearn(tensors, nh, eta, batch_size, repeats)
    settings = {"data": type(data).__name__, "nx": nx, "nh": nh, "ny": ny, "batch_size": batch_size, "eta": eta}
    return Report(rows, sklearn, peak, epoch_flops(len(Xtrain), len(Xtest), nx, nh, ny), settings, repeats)
