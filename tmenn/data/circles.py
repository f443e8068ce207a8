"""The lab's toy problem: two concentric noisy circles in the plane."""

from __future__ import annotations

import math
import numbers

import torch
from matplotlib.figure import Figure
from sklearn.datasets import make_circles

from .. import _checks, plots
from .base import LabData, one_hot


class CirclesData(LabData):
    """Two concentric circles, the inner one class 1, with the lab's interface.

    Book: Part 2, "The data" (``book/chapters/06_data_provided.md``).

    Points come from :func:`sklearn.datasets.make_circles` (radii 1 and
    ``factor``, Gaussian noise of standard deviation ``noise``), the same draw
    for the same ``seed``.

    Attributes:
        Xtrain ``(n_train, 2)``, Ytrain ``(n_train, 2)`` one-hot, Xtest
        ``(n_test, 2)``, Ytest ``(n_test, 2)``: float32 tensors.
        Xgrid ``(1600, 2)``: a 40 x 40 grid over [-2, 2)^2 with step 0.1, the
        first coordinate varying fastest, for drawing decision boundaries.
    """

    grid_step = 0.1

    def __init__(self, n_train: int = 200, n_test: int = 200, *, noise: float = 0.1,
                 factor: float = 0.5, seed: int = 0) -> None:
        n_train = _checks.positive_int("n_train", n_train)
        n_test = _checks.positive_int("n_test", n_test)
        if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not 0 < factor < 1:
            raise ValueError(f"factor (inner radius / outer radius) must be a number in (0, 1), got {factor!r}")
        if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not 0 <= noise < math.inf:
            raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
        seed = _checks.integer("seed", seed)
        X, y = make_circles(n_samples=n_train + n_test, noise=noise, factor=factor, random_state=seed)
        X = torch.from_numpy(X).float()
        Y = one_hot(torch.from_numpy(y), 2)
        super().__init__(X[:n_train], Y[:n_train], X[n_train:], Y[n_train:])
        ticks = torch.arange(40) * self.grid_step - 2
        x2, x1 = torch.meshgrid(ticks, ticks, indexing="ij")
        self.Xgrid = torch.stack([x1.flatten(), x2.flatten()], dim=1)
        self.noise, self.factor = noise, factor
        self.source = (f"sklearn.datasets.make_circles(noise={noise}, factor={factor}, "
                       f"random_state={seed}), {n_train} train / {n_test} test")
        self._grid_fig: Figure | None = None

    def plot_data(self) -> Figure:
        """Scatter the train (o) and test (+) points, coloured by class."""
        fig = Figure(figsize=(5, 5))
        ax = fig.add_subplot()
        plots.scatter_classes(ax, self.Xtrain, self.Ytrain, "o", "train")
        plots.scatter_classes(ax, self.Xtest, self.Ytest, "+", "test")
        ax.set(aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
        ax.legend(loc="upper right", fontsize="small")
        return fig

    def plot_data_with_grid(self, Ygrid: torch.Tensor, title: str = "") -> Figure:
        """Draw the decision boundary from the probabilities ``Ygrid (1600, 2)`` on ``Xgrid``.

        Redraws the same figure on every call, as the lab's version does.
        ``Ygrid`` must not require grad (use ``.detach()``) and must be
        probabilities (apply softmax to a model's logits).
        """
        self._grid_fig = plots.decision_boundary(self, Ygrid, title=title, fig=self._grid_fig)
        return self._grid_fig
