"""The lab's datasets: circles, MNIST, Fashion-MNIST, and the IDX reader."""

from .base import LabData, one_hot, standardize, validation_split
from .circles import CirclesData
from .fetch import fetch_mnist
from .idx import read_idx, write_idx
from .mnist import FashionMNISTData, MNISTData, images

__all__ = [
    "CirclesData",
    "FashionMNISTData",
    "LabData",
    "MNISTData",
    "fetch_mnist",
    "images",
    "one_hot",
    "read_idx",
    "standardize",
    "validation_split",
    "write_idx",
]
