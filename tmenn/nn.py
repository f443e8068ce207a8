"""Stage V3: the network as ``torch.nn`` layers and loss.

Book: Part 2, "V3: torch.nn" (``book/chapters/09_nn.md``).

``torch.nn.Linear(nx, nh)`` stores ``weight (nh, nx)`` and ``bias (nh,)`` and
computes ``X weight^T + bias``: exactly ``Wh`` and ``bh`` of V1, so the
parameters can be copied across with :func:`load_params`.
"""

from __future__ import annotations

import torch

from . import _checks
from .manual import Params, accuracy

# Where each V1 parameter lives in the Sequential built by init_model.
_LAYOUT = {"Wh": (0, "weight"), "bh": (0, "bias"), "Wy": (2, "weight"), "by": (2, "bias")}


def init_model(nx: int, nh: int, ny: int) -> tuple[torch.nn.Sequential, torch.nn.CrossEntropyLoss]:
    """Build the ``nx -> nh -> ny`` network and its loss.

    Book: Part 2, "V3: torch.nn", section "The model"
    (``book/chapters/09_nn.md``, label ``sec-v3-model``).

    Returns:
        ``(model, loss)``: ``model`` maps ``X (n, nx)`` to the logits
        ``ytilde (n, ny)`` (``Linear``, ``Tanh``, ``Linear``, no softmax);
        ``loss`` is ``CrossEntropyLoss``, which applies log-softmax itself and
        therefore must be given logits, not probabilities.
    """
    nx, nh, ny = (_checks.positive_int(n, v) for n, v in (("nx", nx), ("nh", nh), ("ny", ny)))
    model = torch.nn.Sequential(
        torch.nn.Linear(nx, nh),
        torch.nn.Tanh(),
        torch.nn.Linear(nh, ny),
    )
    return model, torch.nn.CrossEntropyLoss()


def loss_accuracy(
    loss: torch.nn.Module, Yhat: torch.Tensor, Y: torch.Tensor
) -> tuple[torch.Tensor, float]:
    """Mean loss and accuracy, with ``Yhat`` the model's logits.

    Book: Part 2, "V3: torch.nn", section "Loss on logits"
    (``book/chapters/09_nn.md``, label ``sec-v3-loss``).

    Args:
        loss: a loss module such as ``CrossEntropyLoss()``.
        Yhat: logits ``ytilde``, shape ``(n, ny)``.
        Y: one-hot targets, shape ``(n, ny)``; the loss receives their class
            indices.

    Returns:
        ``(L, acc)``: the 0-d loss tensor and the accuracy as a float.
    """
    _checks.matrix("Yhat", Yhat)
    _checks.same_shape("Y", Y, "Yhat", Yhat)
    L = loss(Yhat, Y.argmax(dim=1))
    return L, accuracy(Yhat, Y)


def sgd(model: torch.nn.Module, eta: float) -> torch.nn.Module:
    """One gradient step on every trainable parameter of ``model``, then clear the gradients.

    Book: Part 2, "V3: torch.nn", section "The update"
    (``book/chapters/09_nn.md``, label ``sec-v3-sgd``).

    ``model.zero_grad()`` sets every ``.grad`` back to None, so the next
    ``L.backward()`` starts from nothing. Frozen parameters
    (``requires_grad=False``) are left alone.

    Returns:
        ``model``, updated in place.
    """
    eta = _checks.learning_rate(eta)
    trainable = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    for name, param in trainable:  # check everything before changing anything
        if param.grad is None:
            raise ValueError(f"{name}.grad is None: call L.backward() before sgd")
    with torch.no_grad():
        for _, param in trainable:
            param -= eta * param.grad
    model.zero_grad()
    return model


def load_params(model: torch.nn.Sequential, params: Params) -> torch.nn.Sequential:
    """Copy V1 parameters ``Wh, bh, Wy, by`` into a model from :func:`init_model`.

    The model's own tensors are overwritten in place, so an optimiser built
    on ``model.parameters()`` keeps working. The model takes the dtype of
    ``params``.
    """
    nx, nh, ny = _checks.params(params)
    if not (isinstance(model, torch.nn.Sequential) and len(model) == 3
            and isinstance(model[0], torch.nn.Linear) and isinstance(model[2], torch.nn.Linear)):
        raise ValueError("model must be the Sequential(Linear, Tanh, Linear) of init_model")
    if (model[0].in_features, model[0].out_features, model[2].out_features) != (nx, nh, ny):
        raise ValueError(
            f"model has sizes ({model[0].in_features}, {model[0].out_features}, "
            f"{model[2].out_features}) but params have ({nx}, {nh}, {ny})"
        )
    model.to(params["Wh"].dtype)
    with torch.no_grad():
        for name, (layer, attr) in _LAYOUT.items():
            getattr(model[layer], attr).copy_(params[name])
    return model


def get_params(model: torch.nn.Sequential) -> Params:
    """The model's parameters under the V1 names, detached (they share storage)."""
    return {name: getattr(model[layer], attr).detach() for name, (layer, attr) in _LAYOUT.items()}
