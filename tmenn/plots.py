"""Figures for the book and the command line.

Every function draws on a fresh :class:`matplotlib.figure.Figure` (or on the
one it is given) and returns it, without touching pyplot's global state: it
works on a machine with no display, and a notebook shows the returned
figure once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from matplotlib.figure import Figure

CLASS_COLORS = ("tab:blue", "tab:red")


def _numpy(name: str, value: object) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        if value.requires_grad:
            raise ValueError(
                f"{name} still requires grad, so it cannot become a NumPy array; "
                f"pass {name}.detach() (autograd stages) to plot it"
            )
        return value.cpu().numpy()
    return np.asarray(value)


def scatter_classes(ax, X: torch.Tensor, Y: torch.Tensor, marker: str, label: str) -> None:
    """Draw the points ``X (n, 2)`` coloured by the class of their one-hot ``Y (n, 2)``."""
    X, classes = _numpy("X", X), _numpy("Y", Y).argmax(axis=1)
    for c, color in enumerate(CLASS_COLORS):
        points = X[classes == c]
        ax.scatter(points[:, 0], points[:, 1], s=18, c=color, marker=marker,
                   label=f"{label}, class {c}", linewidths=1)


def decision_boundary(
    data, Ygrid: torch.Tensor, title: str = "", fig: Figure | None = None
) -> Figure:
    """Colour the plane by the predicted probability of class 1, with the data on top.

    Args:
        data: a :class:`tmenn.data.CirclesData` (its ``Xgrid``, train and
            test sets are drawn).
        Ygrid: predicted probabilities on ``data.Xgrid``, shape ``(1600, 2)``;
            each row must sum to 1 (apply softmax to logits first).
        title: the axes' title.
        fig: a figure to clear and redraw; a new one by default.
    """
    P = _numpy("Ygrid", Ygrid)
    n_grid = data.Xgrid.shape[0]
    if P.ndim != 2 or P.shape[0] != n_grid or P.shape[1] < 2:
        raise ValueError(f"Ygrid must have shape ({n_grid}, 2), one row per grid point; got {P.shape}")
    if P.min() < -1e-6 or P.max() > 1 + 1e-6 or not np.allclose(P.sum(axis=1), 1, atol=1e-4):
        raise ValueError(
            "Ygrid must hold probabilities (rows in [0, 1] summing to 1); it looks like logits: "
            "apply torch.softmax(Ygrid, dim=1) first"
        )
    side = round(n_grid**0.5)
    fig = fig if fig is not None else Figure(figsize=(5, 5))
    fig.clear()
    ax = fig.add_subplot()
    # Each grid value is drawn as a square pixel centred on its grid point.
    half = data.grid_step / 2
    lo, hi = float(data.Xgrid.min()) - half, float(data.Xgrid.max()) + half
    image = ax.imshow(P[:, 1].reshape(side, side), origin="lower", extent=(lo, hi, lo, hi),
                      cmap="RdBu_r", vmin=0, vmax=1, alpha=0.75)
    grid = data.Xgrid.numpy().reshape(side, side, 2)
    if P[:, 1].min() < 0.5 < P[:, 1].max():  # a boundary exists to draw
        ax.contour(grid[..., 0], grid[..., 1], P[:, 1].reshape(side, side), levels=[0.5],
                   colors="k", linewidths=1.5)
    scatter_classes(ax, data.Xtrain, data.Ytrain, "o", "train")
    scatter_classes(ax, data.Xtest, data.Ytest, "+", "test")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="P(class 1)")
    ax.set(xlim=(lo, hi), ylim=(lo, hi), aspect="equal", title=title, xlabel="$x_1$", ylabel="$x_2$")
    return fig


def loss_curves(
    loss_train: Sequence[float],
    loss_test: Sequence[float],
    acc_train: Sequence[float],
    acc_test: Sequence[float],
    fig: Figure | None = None,
    title: str = "",
) -> Figure:
    """Accuracy (left) and loss (right) against the epoch, train and test."""
    fig = fig if fig is not None else Figure(figsize=(10, 3.8))
    fig.clear()
    ax_acc, ax_loss = fig.subplots(1, 2)
    epochs = np.arange(1, len(loss_train) + 1)
    ax_acc.plot(epochs, acc_train, label="acc. train")
    ax_acc.plot(epochs, acc_test, label="acc. test")
    ax_acc.set(xlabel="epoch", ylabel="accuracy")
    ax_loss.plot(epochs, loss_train, label="loss train")
    ax_loss.plot(epochs, loss_test, label="loss test")
    ax_loss.set(xlabel="epoch", ylabel="mean cross-entropy")
    for ax in (ax_acc, ax_loss):
        ax.legend()
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def history_curves(history, title: str = "") -> Figure:
    """:func:`loss_curves` of a :class:`tmenn.train.History`."""
    return loss_curves(history.loss_train, history.loss_test, history.acc_train, history.acc_test,
                       title=title)
