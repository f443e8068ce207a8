"""Figures: headless, returned rather than shown, and the animation self-contained."""

from __future__ import annotations

import pytest
import torch
from matplotlib.figure import Figure

import tmenn
from tmenn import plots
from tmenn.data import CirclesData


def test_boundary_animation_is_offline_and_has_every_frame(circles):
    frames = []
    tmenn.fit(circles, nh=10, eta=0.03, batch_size=10, epochs=3, std=0.3,
              callback=lambda h: frames.append((f"epoch {len(h.loss_train)}", h.predict(circles.Xgrid))))
    html = plots.boundary_animation(circles, frames)
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/png;base64") == len(frames) == 3
    assert 'class="anim-slider"' in html
    with pytest.raises(ValueError, match="at least one"):
        plots.boundary_animation(circles, [])


def test_confusion_matrix_and_image_grid():
    Y = torch.eye(3)[torch.tensor([0, 1, 2, 2])]
    P = torch.eye(3)[torch.tensor([0, 2, 2, 2])]
    fig = plots.confusion_matrix(Y, P, ["a", "b", "c"], title="t")
    counts = [[int(t.get_text()) for t in fig.axes[0].texts]]
    assert isinstance(fig, Figure) and sum(counts[0]) == 4
    grid = plots.image_grid(torch.rand(5, 28, 28), [str(i) for i in range(5)], ncols=4)
    assert len(grid.axes) == 5
    with pytest.raises(ValueError, match="at least one image"):
        plots.image_grid(torch.zeros(0, 28, 28), [])


def test_diagrams_draw():
    assert isinstance(plots.network_diagram(3, 4, 2), Figure)
    assert isinstance(plots.computation_graph(), Figure)
    history = tmenn.fit(CirclesData(n_train=20, n_test=20), epochs=2)
    assert len(plots.history_curves(history).axes) == 2
