"""Figures for the book and the command line.

Every function draws on a fresh :class:`matplotlib.figure.Figure` (or on the
one it is given) and returns it, without touching pyplot's global state: it
works on a machine with no display, and a notebook shows the returned
figure once.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Sequence

import numpy as np
import torch
from matplotlib.figure import Figure

CLASS_COLORS = ("tab:blue", "tab:red")


def show_figures_in_ipython() -> None:
    """Let IPython (a notebook, the book's build) display the figures this package returns.

    IPython renders a bare :class:`~matplotlib.figure.Figure` as an image
    only once a figure format is registered, which ``pyplot`` would do as a
    side effect. This registers PNG directly; outside IPython it does nothing.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        from IPython.core.pylabtools import select_figure_formats

        select_figure_formats(shell, {"png"})


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
    if P.ndim != 2 or P.shape != (n_grid, 2):
        raise ValueError(f"Ygrid must have shape ({n_grid}, 2), one row per grid point; got {P.shape}")
    if not np.isfinite(P).all():
        raise ValueError("Ygrid holds NaN or infinite values; expected probabilities")
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


def network_diagram(nx: int = 3, nh: int = 4, ny: int = 2) -> Figure:
    """Draw an ``nx -> nh -> ny`` network as layers of units joined by their weights."""
    fig = Figure(figsize=(6, 3.6))
    ax = fig.add_subplot()
    layers = [(nx, "input $x$", "tab:gray"), (nh, "hidden $h$", "tab:green"), (ny, "output $\\hat{y}$", "tab:purple")]
    tallest = max(n for n, _, _ in layers)
    centres = []
    for col, (n, label, color) in enumerate(layers):
        ys = np.arange(n) - (n - 1) / 2
        centres.append([(2.0 * col, y) for y in ys])
        ax.scatter([2.0 * col] * n, ys, s=500, c=color, zorder=3, edgecolors="k")
        ax.text(2.0 * col, -tallest / 2 - 0.5, f"{label}\n{n} units", ha="center", va="top")
    for left, right in itertools.pairwise(centres):
        for x0, y0 in left:
            for x1, y1 in right:
                ax.plot([x0, x1], [y0, y1], c="0.6", lw=0.8, zorder=1)
    ax.text(1.0, tallest / 2 + 0.1, "$W_h, b_h$ then tanh", ha="center")
    ax.text(3.0, tallest / 2 + 0.1, "$W_y, b_y$ then softmax", ha="center")
    ax.set(xlim=(-0.7, 4.7), ylim=(-tallest / 2 - 1.6, tallest / 2 + 0.6))
    ax.axis("off")
    return fig


def computation_graph() -> Figure:
    """The chain ``x -> htilde -> h -> ytilde -> yhat -> l``, with each gradient written under its node."""
    fig = Figure(figsize=(9, 3.6))
    ax = fig.add_subplot()
    nodes = ["$x$", r"$\tilde{h}$", "$h$", r"$\tilde{y}$", r"$\hat{y}$", r"$\ell$"]
    ops = [r"$W_h x + b_h$", "tanh", r"$W_y h + b_y$", "softmax", "cross-\nentropy"]
    grads = {1: r"$\nabla_{h}\ell \odot (1-h^2)$", 2: r"$W_y^\top \nabla_{\tilde{y}}\ell$",
             3: r"$\hat{y}-y$", 5: "$1$"}
    for i, name in enumerate(nodes):
        ax.text(2 * i, 0, name, ha="center", va="center", fontsize=15,
                bbox={"boxstyle": "round", "fc": "white", "ec": "k"})
        if i in grads:
            ax.text(2 * i, -0.45, grads[i], ha="center", va="top", fontsize=10, color="tab:red")
    for i, op in enumerate(ops):
        ax.annotate("", xy=(2 * i + 1.6, 0.1), xytext=(2 * i + 0.4, 0.1),
                    arrowprops={"arrowstyle": "->", "color": "k"})
        ax.text(2 * i + 1, 0.25, op, ha="center", va="bottom", fontsize=9)
        ax.annotate("", xy=(2 * i + 0.4, -0.1), xytext=(2 * i + 1.6, -0.1),
                    arrowprops={"arrowstyle": "->", "color": "tab:red"})
    for i, params, g in ((1, "$W_h, b_h$", r"$\nabla_{\tilde{h}}\ell\, x^\top,\ \nabla_{\tilde{h}}\ell$"),
                         (3, "$W_y, b_y$", r"$\nabla_{\tilde{y}}\ell\, h^\top,\ \nabla_{\tilde{y}}\ell$")):
        ax.text(2 * i - 1, 1.0, params, ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round", "fc": "lightyellow", "ec": "0.5"})
        ax.annotate("", xy=(2 * i - 1, 0.62), xytext=(2 * i - 1, 0.85), arrowprops={"arrowstyle": "->"})
        ax.text(2 * i - 1, 1.3, g, ha="center", va="bottom", fontsize=10, color="tab:red")
    ax.text(5, -1.25, "forward pass in black, left to right; backward pass in red, right to left: "
            "each gradient (red) reuses the one to its right", ha="center", fontsize=9, color="0.3")
    ax.set(xlim=(-0.6, 10.6), ylim=(-1.45, 1.7))
    ax.axis("off")
    return fig


def boundary_animation(data, frames: Sequence[tuple[str, torch.Tensor]], interval: int = 200, dpi: int = 60) -> str:
    """The decision boundary over training as a self-contained HTML player with a slider.

    Args:
        data: a :class:`tmenn.data.CirclesData`.
        frames: ``(title, Ygrid)`` pairs, ``Ygrid`` the probabilities on ``data.Xgrid``.
        interval: milliseconds between frames when playing.
        dpi: resolution of each frame (they are embedded as PNG in the HTML).

    Returns:
        HTML from :meth:`matplotlib.animation.Animation.to_jshtml`: the frames
        and the player are inline, so it needs neither network nor ffmpeg.
    """
    from matplotlib import animation

    if not frames:
        raise ValueError("frames must hold at least one (title, Ygrid) pair")
    fig = Figure(figsize=(5, 5), dpi=dpi)

    def draw(i: int):
        title, Ygrid = frames[i]
        decision_boundary(data, Ygrid, title=title, fig=fig)
        return fig.axes

    player = animation.FuncAnimation(fig, draw, frames=len(frames), interval=interval, blit=False)
    return _offline_player(player.to_jshtml(default_mode="once"))


# matplotlib's player links Font Awesome from a CDN for its button icons;
# plain characters draw the same buttons with no network.
_ICONS = {"fa fa-minus": "−", "fa fa-fast-backward": "⏮", "fa fa-step-backward": "⏪",
          "fa fa-play fa-flip-horizontal": "◀", "fa fa-pause": "⏸", "fa fa-play": "▶",
          "fa fa-step-forward": "⏩", "fa fa-fast-forward": "⏭", "fa fa-plus": "+"}


def _offline_player(html: str) -> str:
    html = re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">', "", html)
    for css_class, char in _ICONS.items():
        html = html.replace(f'<i class="{css_class}"></i>', char)
    if "http://" in html or "https://" in html or "<i class=\"fa" in html:
        raise RuntimeError("the animation player still refers to the network; matplotlib's template has changed")
    return html


def confusion_matrix(Y: torch.Tensor, Yhat: torch.Tensor, classes: Sequence[str], title: str = "") -> Figure:
    """Counts of (true class, predicted class) pairs, from one-hot ``Y (n, ny)`` and ``Yhat (n, ny)``."""
    from sklearn.metrics import ConfusionMatrixDisplay

    fig = Figure(figsize=(7, 6))
    ax = fig.add_subplot()
    ConfusionMatrixDisplay.from_predictions(
        _numpy("Y", Y).argmax(axis=1), _numpy("Yhat", Yhat).argmax(axis=1), labels=range(len(classes)),
        display_labels=list(classes), ax=ax, cmap="Blues", colorbar=False, xticks_rotation=45,
    )
    ax.set_title(title)
    fig.tight_layout()
    return fig


def image_grid(images: torch.Tensor, titles: Sequence[str], ncols: int = 8) -> Figure:
    """Grey-level images ``(n, rows, cols)`` in a grid, each with its title."""
    n = len(images)
    if n == 0:
        raise ValueError("images must hold at least one image")
    nrows = -(-n // ncols)
    fig = Figure(figsize=(1.3 * ncols, 1.6 * nrows))
    for i, (image, title) in enumerate(zip(_numpy("images", images), titles, strict=True)):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        ax.imshow(image, cmap="gray_r")
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    fig.tight_layout()
    return fig
