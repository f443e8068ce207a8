"""What every dataset of the lab offers: four tensors and a loss plot."""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from .. import plots


def one_hot(labels: torch.Tensor, n_classes: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Class indices ``(n,)`` to one-hot rows ``(n, n_classes)``."""
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
    """

    source: str = ""

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
