"""Stage V1: the one-hidden-layer perceptron written out by hand.

Every function here transcribes an equation derived in Part 1 of the book,
with one sample per row:

    X (n, nx) -> htilde = X Wh^T + bh -> h = tanh(htilde)
              -> ytilde = h Wy^T + by -> yhat = softmax(ytilde)    (n, ny)

No autograd is used: :func:`backward` applies the closed-form gradients.
The docstrings name the book section (chapter file and label) that derives
each formula.
"""

from __future__ import annotations

import math

import torch

from . import _checks

Params = dict[str, torch.Tensor]

# Per-layer standard deviations for the named initialisations: fan_in and
# fan_out are the layer's input and output sizes.
_SCALED_STD = {
    "glorot": lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out)),
    "lecun": lambda fan_in, fan_out: math.sqrt(1.0 / fan_in),
}


def init_params(
    nx: int,
    nh: int,
    ny: int,
    *,
    std: float | str = 0.3,
    generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.float32,
) -> Params:
    """Draw the initial parameters of an ``nx -> nh -> ny`` network.

    Book: Part 2, "V1: forward and backward by hand", section "Initial
    weights" (``book/chapters/07_manual.md``, label ``sec-v1-init``).

    Args:
        nx, nh, ny: input, hidden and output sizes.
        std: the weights' standard deviation. A number draws every weight
            matrix from N(0, std^2), the lab's choice being 0.3. ``"glorot"``
            uses sqrt(2 / (fan_in + fan_out)) per layer and ``"lecun"``
            sqrt(1 / fan_in): both keep tanh out of saturation when ``nx`` is
            large (784 for MNIST), where 0.3 does not.
        generator: source of randomness, for reproducible draws.
        dtype: floating dtype of every tensor.

    Returns:
        ``{"Wh": (nh, nx), "bh": (nh,), "Wy": (ny, nh), "by": (ny,)}``.
        The biases start at zero: the random weights already make the hidden
        units differ from one another, and a zero bias starts every unit at
        the centre of tanh, where its slope is largest.
    """
    nx, nh, ny = (_checks.positive_int(n, v) for n, v in (("nx", nx), ("nh", nh), ("ny", ny)))
    dtype = _checks.floating_dtype(dtype)
    if isinstance(std, str) and std in _SCALED_STD:
        std_h, std_y = _SCALED_STD[std](nx, nh), _SCALED_STD[std](nh, ny)
    else:
        try:
            std_h = std_y = _checks.positive_number("std", std)
        except ValueError:
            raise ValueError(f"std must be a positive number or one of {sorted(_SCALED_STD)}, got {std!r}") from None
    return {
        "Wh": torch.randn(nh, nx, generator=generator, dtype=dtype) * std_h,
        "bh": torch.zeros(nh, dtype=dtype),
        "Wy": torch.randn(ny, nh, generator=generator, dtype=dtype) * std_y,
        "by": torch.zeros(ny, dtype=dtype),
    }


def softmax(ytilde: torch.Tensor) -> torch.Tensor:
    """Row-wise softmax, ``yhat_i = exp(ytilde_i) / sum_j exp(ytilde_j)``.

    Book: Part 1, "Architecture and forward pass", section "Activation
    functions" (``book/chapters/02_architecture.md``, label ``sec-activations``).

    Subtracting each row's maximum first changes nothing mathematically (the
    factor ``exp(-max)`` cancels) but keeps ``exp`` from overflowing.

    Args:
        ytilde: logits, shape ``(n, ny)``.

    Returns:
        probabilities, shape ``(n, ny)``, each row summing to 1.
    """
    _checks.matrix("ytilde", ytilde)
    e = torch.exp(ytilde - ytilde.amax(dim=1, keepdim=True))
    return e / e.sum(dim=1, keepdim=True)


def forward(params: Params, X: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Forward pass for a batch, one sample per row.

    Book: Part 1, "Architecture and forward pass", section "The forward pass
    for a batch" (``book/chapters/02_architecture.md``, label
    ``sec-forward-batch``).

    Args:
        params: ``Wh (nh, nx)``, ``bh (nh,)``, ``Wy (ny, nh)``, ``by (ny,)``.
        X: inputs, shape ``(n, nx)``.

    Returns:
        ``(Yhat, outputs)``: ``Yhat (n, ny)`` holds the predicted class
        probabilities; ``outputs`` holds ``X (n, nx)``, ``htilde (n, nh)``,
        ``h (n, nh)``, ``ytilde (n, ny)`` and ``yhat (n, ny)``, the values
        :func:`backward` needs.
    """
    nx, _, _ = _checks.params(params)
    _checks.matrix("X", X, cols=nx)
    if X.dtype != params["Wh"].dtype:
        raise ValueError(f"X has dtype {X.dtype} but the parameters have {params['Wh'].dtype}; convert one of them")
    htilde = X @ params["Wh"].T + params["bh"]
    h = torch.tanh(htilde)
    ytilde = h @ params["Wy"].T + params["by"]
    yhat = softmax(ytilde)
    outputs = {"X": X, "htilde": htilde, "h": h, "ytilde": ytilde, "yhat": yhat}
    return yhat, outputs


def loss_accuracy(
    Yhat: torch.Tensor, Y: torch.Tensor, *, ytilde: torch.Tensor | None = None
) -> tuple[torch.Tensor, float]:
    """Mean cross-entropy and accuracy of a batch.

    Book: Part 1, "Loss functions", section "Cross-entropy"
    (``book/chapters/03_losses.md``, label ``sec-cross-entropy``), and
    "Backpropagation", section "Softmax and cross-entropy together"
    (``book/chapters/05_backpropagation.md``, label ``sec-softmax-ce``).

    Two ways to compute the same loss, chosen for numerical reasons:

    * given the logits ``ytilde`` (as :func:`tmenn.fit` and the book pass
      them), it uses the simplified form
      ``l = -sum_i y_i ytilde_i + log sum_i exp(ytilde_i)``, with the
      log-sum-exp shifted by the row maximum. It is exact and finite for any
      finite logits, ±1e4 included.
    * from ``Yhat`` alone, ``l = -sum_i y_i log yhat_i`` would hit
      ``log 0 = -inf`` once softmax underflows (a logit about 104 below the
      largest in float32, about 745 in float64),
      and then ``0 * -inf = NaN``. The probabilities are therefore clamped
      below at the dtype's smallest normal number, so each sample's loss is
      at most about 87.3 in float32 (708.4 in float64): finite, but a cap
      rather than the true value when the network is confidently wrong.

    Args:
        Yhat: predicted probabilities, shape ``(n, ny)``.
        Y: targets, one-hot, shape ``(n, ny)``.
        ytilde: optional logits that produced ``Yhat``, shape ``(n, ny)``.

    Returns:
        ``(L, acc)``: the mean loss as a 0-d tensor (differentiable when the
        inputs require grad) and the fraction of rows whose largest
        prediction is the target class, as a float.
    """
    _checks.matrix("Yhat", Yhat)
    _checks.same_shape("Y", Y, "Yhat", Yhat)
    if not Y.is_floating_point():
        raise ValueError(f"Y must hold floating-point one-hot rows, got {Y.dtype}")
    if ytilde is None:
        log_yhat = torch.log(Yhat.clamp_min(torch.finfo(Yhat.dtype).tiny))
        L = -(Y * log_yhat).sum(dim=1).mean()
    else:
        _checks.same_shape("ytilde", ytilde, "Yhat", Yhat)
        # l = -sum_i y_i ytilde_i + log sum_i exp(ytilde_i), the log-sum-exp shifted by the row max m
        m = ytilde.amax(dim=1, keepdim=True)
        logsumexp = m.squeeze(1) + torch.log(torch.exp(ytilde - m).sum(dim=1))
        L = (-(Y * ytilde).sum(dim=1) + logsumexp).mean()
    return L, accuracy(Yhat, Y)


def accuracy(Yhat: torch.Tensor, Y: torch.Tensor) -> float:
    """Fraction of rows whose largest entry of ``Yhat (n, ny)`` is the class of ``Y (n, ny)``.

    Book: Part 1, "Loss functions", section "The code"
    (``book/chapters/03_losses.md``, label ``sec-loss-code``).

    Works for probabilities and logits alike: softmax keeps the order.
    """
    return (Yhat.argmax(dim=1) == Y.argmax(dim=1)).sum().item() / Y.shape[0]


def backward(params: Params, outputs: dict[str, torch.Tensor], Y: torch.Tensor) -> Params:
    """Gradients of the mean cross-entropy over the batch, by the closed forms.

    Book: Part 1, "Backpropagation", section "A batch at once"
    (``book/chapters/05_backpropagation.md``, label ``sec-grad-batch``);
    one-sample forms in sections ``sec-grad-output`` and ``sec-grad-hidden``.

    Args:
        params: ``Wh (nh, nx)``, ``bh (nh,)``, ``Wy (ny, nh)``, ``by (ny,)``.
        outputs: the dictionary returned by :func:`forward`; uses
            ``X (n, nx)``, ``h (n, nh)`` and ``yhat (n, ny)``.
        Y: one-hot targets, shape ``(n, ny)``.

    Returns:
        ``{"Wh": (nh, nx), "bh": (nh,), "Wy": (ny, nh), "by": (ny,)}``, each
        the gradient of ``L = (1/n) sum_k l(y_k, yhat_k)``.
    """
    _checks.outputs(outputs, _checks.params(params))
    X, h, yhat = outputs["X"], outputs["h"], outputs["yhat"]
    _checks.same_shape("Y", Y, "outputs['yhat']", yhat)
    n = X.shape[0]
    grad_ytilde = (yhat - Y) / n  # softmax + cross-entropy, with the mean's 1/n
    grad_Wy = grad_ytilde.T @ h
    grad_by = grad_ytilde.sum(dim=0)
    grad_htilde = (grad_ytilde @ params["Wy"]) * (1 - h**2)  # tanh' = 1 - tanh^2
    grad_Wh = grad_htilde.T @ X
    grad_bh = grad_htilde.sum(dim=0)
    return {"Wh": grad_Wh, "bh": grad_bh, "Wy": grad_Wy, "by": grad_by}


def sgd(params: Params, grads: Params, eta: float) -> Params:
    """One gradient step, ``w <- w - eta * dL/dw``, in place.

    Book: Part 1, "Gradient descent", section "The update rule"
    (``book/chapters/04_gradient_descent.md``, label ``sec-gd-update``).

    Args:
        params: the tensors to update (modified in place).
        grads: gradients with the same keys and shapes.
        eta: learning rate, finite and > 0.

    Returns:
        ``params``, the same dictionary, for chaining.
    """
    eta = _checks.learning_rate(eta)
    _checks.params(params)
    for name, value in params.items():  # check everything before changing anything
        if name not in grads:
            raise ValueError(f"grads lacks {name!r}; expected the keys of params {list(params)}")
        _checks.same_shape(f"grads[{name!r}]", grads[name], f"params[{name!r}]", value)
    for name, value in params.items():
        value.sub_(grads[name], alpha=eta)
    return params
