"""What every dataset of the lab offers: four tensors and a loss plot."""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from .. import _checks, plots


def one_hot(labels: torch.Tensor, n_classes: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Class indices ``(n,)`` to one-hot rows ``(n, n_classes)``."""
    n_classes = _checks.positive_int("n_classes", n_classes)
    if not isinstance(labels, torch.Tensor) or labels.ndim != 1 or labels.is_floating_point() or labels.is_complex():
        shape = tuple(labels.shape) if isinstance(labels, torch.Tensor) else type(labels).__name__
        kind = labels.dtype if isinstance(labels, torch.Tensor) else ""
        raise ValueError(f"labels must be a 1-D tensor of integer class indices, got {shape} {kind}".rstrip())
    labels = labels.long()
    if labels.numel() and (int(labels.min()) < 0 or int(labels.max()) >= n_classes):
        raise ValueError(
            f"labels must lie in 0..{n_classes - 1}, got values from {int(labels.min())} to {int(labels.max())}"
        )
    return torch.nn.functional.one_hot(labels, n_classes).to(dtype)


class LabData:
    """Train and test sets in the lab's layout, one sample per row.

    Attributes:
        Xtrain, Xtest: inputs, shape ``(n, nx)``, float32.
        Ytrain, Ytest: one-hot targets, shape ``(n, ny)``, float32.
        source: where the data came from, in words.
        full: for MNIST-like data, whether this is the complete dataset.
        classes: the class names, when known.
    """

    source: str = ""
    full: bool | None = None
    classes: tuple[str, ...] | None = None

    def __init__(self, Xtrain, Ytrain, Xtest, Ytest) -> None:
        self.Xtrain, self.Ytrain, self.Xtest, self.Ytest = Xtrain, Ytrain, Xtest, Ytest
        self.loss_train: list[float] = []
        self.loss_test: list[float] = []
        self.acc_train: list[float] = []
        self.acc_test: list[float] = []
        self._loss_fig: Figure | None = None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(Xtrain {tuple(self.Xtrain.shape)}, Ytrain {tuple(self.Ytrain.shape)}, "
            f"Xtest {tuple(self.Xtest.shape)}, Ytest {tuple(self.Ytest.shape)}; {self.source})"
        )

    def plot_loss(self, loss_train, loss_test, acc_train, acc_test) -> Figure:
        """Record one epoch's four figures and redraw all recorded epochs.

        As in the lab, pass scalars (floats or 0-d tensors) once per epoch;
        the history is kept here. Returns the same figure each time, redrawn.
        """
        values = {"loss_train": loss_train, "loss_test": loss_test,
                  "acc_train": acc_train, "acc_test": acc_test}
        for name, value in values.items():
            if isinstance(value, torch.Tensor):
                if value.numel() != 1:
                    raise ValueError(f"{name} must be a scalar, got a tensor of shape {tuple(value.shape)}")
                value = value.item()
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number, got {type(value).__name__}")
            values[name] = float(value)
        for name, value in values.items():
            getattr(self, name).append(value)
        self._loss_fig = plots.loss_curves(
            self.loss_train, self.loss_test, self.acc_train, self.acc_test, fig=self._loss_fig
        )
        return self._loss_fig


def standardize(data: LabData, eps: float = 0.1) -> LabData:
    """The same dataset with every input feature centred and scaled by the training set's statistics.

    Book: Part 2, "MNIST and Fashion-MNIST", section "Recommended settings"
    (``book/chapters/12_mnist.md``, label ``sec-mnist-recommended``).

    Each column becomes ``(x - mean) / (std + eps)``, with the mean and
    standard deviation of the *training* inputs applied to both sets, so the
    test set contributes nothing to the preprocessing. ``eps`` keeps nearly
    constant features (an image's border pixels) from being blown up.
    """
    eps = _checks.positive_number("eps", eps)
    mean, scale = data.Xtrain.mean(dim=0), data.Xtrain.std(dim=0) + eps
    return _derived(data, (data.Xtrain - mean) / scale, data.Ytrain, (data.Xtest - mean) / scale, data.Ytest,
                    f"standardised with the training set's per-feature mean and std (+{eps})")


def validation_split(data: LabData, n_val: int, seed: int = 0) -> LabData:
    """Hold out ``n_val`` random training examples as a validation set.

    Book: Part 1, "Data", section "Training, validation and test sets"
    (``book/chapters/01_data.md``, label ``sec-splits``).

    Returns a dataset whose ``Xtrain, Ytrain`` are the remaining training
    examples and whose ``Xtest, Ytest`` are the held-out ones, so that
    :func:`tmenn.fit` reports validation figures in its ``*_test`` lists. The
    real test set is left untouched.
    """
    n = data.Xtrain.shape[0]
    message = f"n_val must be an integer between 1 and {n - 1} (the training set has {n}), got {n_val!r}"
    try:
        n_val = _checks.integer("n_val", n_val)
    except ValueError:
        raise ValueError(message) from None
    if not 0 < n_val < n:
        raise ValueError(message)
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    train, val = order[n_val:], order[:n_val]
    return _derived(data, data.Xtrain[train], data.Ytrain[train], data.Xtrain[val], data.Ytrain[val],
                    f"{n - n_val} training / {n_val} validation examples held out from the training set")


def _derived(data, Xtrain, Ytrain, Xtest, Ytest, change: str) -> LabData:
    """A new dataset made from ``data``: its class names and flags kept, ``change`` added to its source."""
    out = LabData(Xtrain, Ytrain, Xtest, Ytest)
    out.source = f"{data.source}; {change}"
    out.classes, out.full = getattr(data, "classes", None), getattr(data, "full", None)
    return out
