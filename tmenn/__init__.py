"""tmenn: a one-hidden-layer perceptron, derived, proved and trained.

The top level exposes stage V1 (everything by hand) and the training loop:

    from tmenn import init_params, forward, loss_accuracy, backward, sgd, fit

The other stages live in :mod:`tmenn.autograd` (V2), :mod:`tmenn.nn` (V3)
and :mod:`tmenn.optim` (V4); the datasets in :mod:`tmenn.data`.
"""

import sys as _sys

from .manual import backward, forward, init_params, loss_accuracy, sgd, softmax
from .train import STAGES, History, fit

__all__ = [
    "STAGES",
    "History",
    "backward",
    "fit",
    "forward",
    "init_params",
    "loss_accuracy",
    "sgd",
    "softmax",
]
__version__ = "0.1.0"

if "IPython" in _sys.modules:  # in a notebook, show returned figures as images
    from .plots import show_figures_in_ipython

    show_figures_in_ipython()
