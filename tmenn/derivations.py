"""SymPy checks of the formulas that Part 1 of the book derives.

Every result is a :class:`Check`. It pairs what SymPy *derives* (usually
``sympy.diff`` of the loss) with the *closed form* that the book writes
down, and it holds when their difference simplifies to zero in every entry.
The networks are symbolic but small and of concrete size (by default 2
inputs, 3 hidden units, 3 classes), so each matrix identity is checked
entry by entry.

The book shows these checks next to the code that uses the same formulas.
:meth:`Network.lambdify` turns a derived expression into a float64 function,
so that the chapters can compare it with :func:`tmenn.manual.backward` at
the same numbers.

Notation follows the book, with one sample per row: ``X (n, nx)``,
``Htilde = X Wh^T + bh^T``, ``H = tanh(Htilde)``, ``Ytilde = H Wy^T + by^T``,
``Yhat = softmax(Ytilde)`` by rows, and ``L = (1/n) sum_k l_k``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import sympy as sp
import torch

PARAMS = ("Wh", "bh", "Wy", "by")


# ---- building blocks ----------------------------------------------------------


def _symbol(name: str, index: str) -> sp.Symbol:
    """``name`` with ``index`` as subscript: a name ending in ``,`` or ``{`` is continued inside its
    own open subscript (``W_{h,`` + ``12`` gives ``W_{h,12}``); any other gets a subscript of its own."""
    text = f"{name}{index}}}" if name.endswith((",", "{")) else f"{name}_{{{index}}}"
    return sp.Symbol(text, real=True)


def symbol_matrix(name: str, rows: int, cols: int) -> sp.Matrix:
    """Symbols ``name_{ij}``, 1-based, e.g. ``W_{h,12}`` for ``symbol_matrix("W_{h,", 2, 2)``."""
    return sp.Matrix(rows, cols, lambda i, j: _symbol(name, f"{i + 1}{j + 1}"))


def symbol_vector(name: str, size: int) -> sp.Matrix:
    """A column of symbols ``name_{i}``, 1-based (same naming rule as :func:`symbol_matrix`)."""
    return sp.Matrix([_symbol(name, str(i + 1)) for i in range(size)])


def is_zero(expr: sp.Expr) -> bool:
    """Whether ``expr`` is identically 0.

    ``expand`` settles the identities of this book quickly. When it does
    not, the expression is evaluated at one point: a non-zero value there
    disproves the identity at once. Only if that value is zero does
    ``simplify`` (slow) get the final word.
    """
    expr = sp.expand(expr)
    if expr == 0:
        return True
    point = {s: sp.Rational(k + 3, 7 + 2 * k) for k, s in enumerate(sorted(expr.free_symbols, key=str))}
    if abs(complex(expr.subs(point).evalf(30))) > 1e-20:
        return False
    return sp.simplify(expr) == 0


def softmax_rows(Z: sp.Matrix) -> sp.Matrix:
    """Row-wise softmax of a symbolic matrix."""
    rows = []
    for k in range(Z.rows):
        total = sum(sp.exp(z) for z in Z.row(k))
        rows.append([sp.exp(z) / total for z in Z.row(k)])
    return sp.Matrix(rows)


def cross_entropy(Y: sp.Matrix, Yhat: sp.Matrix) -> sp.Expr:
    """Mean cross-entropy ``-(1/n) sum_k sum_i Y_ki log Yhat_ki``, the definition."""
    n = Y.rows
    return -sum(Y[k, i] * sp.log(Yhat[k, i]) for k in range(n) for i in range(Y.cols)) / n


def cross_entropy_simplified(Y: sp.Matrix, Ytilde: sp.Matrix) -> sp.Expr:
    """Mean of ``-sum_i y_i ytilde_i + log sum_i exp(ytilde_i)``, the form of question 14."""
    n = Y.rows
    total = 0
    for k in range(n):
        total += -sum(Y[k, i] * Ytilde[k, i] for i in range(Y.cols)) + sp.log(
            sum(sp.exp(z) for z in Ytilde.row(k))
        )
    return total / n


def one_hot_constraint(Y: sp.Matrix) -> dict[sp.Symbol, sp.Expr]:
    """Substitution imposing ``sum_i y_ki = 1`` on every row (true of one-hot targets)."""
    return {Y[k, -1]: 1 - sum(Y[k, i] for i in range(Y.cols - 1)) for k in range(Y.rows)}


def grad(expr: sp.Expr, wrt: sp.Matrix) -> sp.Matrix:
    """``sympy.diff`` of ``expr`` with respect to every entry of ``wrt``, in its shape."""
    return wrt.applyfunc(lambda w: sp.diff(expr, w))


# ---- the check ------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A formula of the book, and whether SymPy confirms it.

    Attributes:
        title: what is being shown, in words.
        derived: what SymPy obtains on its own (a derivative, a definition).
        closed: the formula the book states, as an expression of the same symbols.
        constraint: a substitution true of the problem (e.g. ``sum_i y_i = 1``)
            applied before simplifying.
    """

    title: str
    derived: sp.Matrix
    closed: sp.Matrix
    constraint: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()

    @cached_property
    def holds(self) -> bool:
        """True when ``derived - closed`` simplifies to 0 in every entry."""
        derived, closed = sp.Matrix(self.derived), sp.Matrix(self.closed)
        if derived.shape != closed.shape:
            return False
        residual = (derived - closed).subs(dict(self.constraint))
        return all(is_zero(entry) for entry in residual)

    @property
    def entries(self) -> int:
        return sp.Matrix(self.derived).rows * sp.Matrix(self.derived).cols

    def _repr_markdown_(self) -> str:
        if self.holds:
            what = "the entry simplifies" if self.entries == 1 else f"all {self.entries} entries simplify"
            return f"SymPy check: {self.title}: holds ({what} to zero)."
        return f"SymPy check: {self.title}: **does not hold** (not every entry of the difference is zero)."


# ---- the network ------------------------------------------------------------------


@dataclass(frozen=True)
class Network:
    """The ``nx -> nh -> ny`` perceptron on a batch of ``n`` symbolic samples.

    With ``n = 1`` the batch is a single sample ``x`` (the row ``X``), and
    the mean loss is its loss ``l``.
    """

    n: int = 1
    nx: int = 2
    nh: int = 3
    ny: int = 3

    # symbols
    @cached_property
    def X(self) -> sp.Matrix:
        return symbol_matrix("X", self.n, self.nx) if self.n > 1 else symbol_vector("x", self.nx).T

    @cached_property
    def Y(self) -> sp.Matrix:
        return symbol_matrix("Y", self.n, self.ny) if self.n > 1 else symbol_vector("y", self.ny).T

    @cached_property
    def params(self) -> dict[str, sp.Matrix]:
        """``Wh (nh, nx)``, ``bh (nh, 1)``, ``Wy (ny, nh)``, ``by (ny, 1)``."""
        return {
            "Wh": symbol_matrix("W_{h,", self.nh, self.nx),
            "bh": symbol_vector("b_{h,", self.nh),
            "Wy": symbol_matrix("W_{y,", self.ny, self.nh),
            "by": symbol_vector("b_{y,", self.ny),
        }

    # forward pass, eq-forward-batch
    def _ones(self) -> sp.Matrix:
        return sp.ones(self.n, 1)

    def hidden_from(self, Htilde: sp.Matrix) -> tuple[sp.Matrix, sp.Matrix, sp.Matrix]:
        """``H, Ytilde, Yhat`` computed from a given ``Htilde``."""
        p = self.params
        H = Htilde.applyfunc(sp.tanh)
        Ytilde = H * p["Wy"].T + self._ones() * p["by"].T
        return H, Ytilde, softmax_rows(Ytilde)

    @cached_property
    def forward(self) -> dict[str, sp.Matrix]:
        """``Htilde, H, Ytilde, Yhat`` as expressions of ``X`` and the parameters."""
        p = self.params
        Htilde = self.X * p["Wh"].T + self._ones() * p["bh"].T
        H, Ytilde, Yhat = self.hidden_from(Htilde)
        return {"Htilde": Htilde, "H": H, "Ytilde": Ytilde, "Yhat": Yhat}

    def loss(self, simplified: bool = True) -> sp.Expr:
        """The mean cross-entropy, in the simplified form by default."""
        f = self.forward
        if simplified:
            return cross_entropy_simplified(self.Y, f["Ytilde"])
        return cross_entropy(self.Y, f["Yhat"])

    # closed forms, eq-grad-batch
    def closed_forms(self, H: sp.Matrix, Yhat: sp.Matrix) -> dict[str, sp.Matrix]:
        """The book's gradients of the mean loss, given the forward values ``H`` and ``Yhat``."""
        p = self.params
        grad_Ytilde = (Yhat - self.Y) / self.n
        grad_Htilde = (grad_Ytilde * p["Wy"]).multiply_elementwise(H.applyfunc(lambda h: 1 - h**2))
        return {
            "Ytilde": grad_Ytilde,
            "Wy": grad_Ytilde.T * H,
            "by": grad_Ytilde.T * self._ones(),
            "Htilde": grad_Htilde,
            "Wh": grad_Htilde.T * self.X,
            "bh": grad_Htilde.T * self._ones(),
        }

    @cached_property
    def free_Ytilde(self) -> sp.Matrix:
        """``Ytilde`` as free symbols, to differentiate the loss with respect to it."""
        return symbol_matrix(r"\tilde{y}", self.n, self.ny)

    @cached_property
    def free_Htilde(self) -> sp.Matrix:
        """``Htilde`` as free symbols, to differentiate the loss with respect to it."""
        return symbol_matrix(r"\tilde{h}", self.n, self.nh)

    @cached_property
    def derived_gradients(self) -> dict[str, sp.Matrix]:
        """``sympy.diff`` of the mean loss with respect to each parameter and to ``Ytilde``, ``Htilde``."""
        out = {name: grad(self.loss(), value) for name, value in self.params.items()}
        Z, G = self.free_Ytilde, self.free_Htilde
        out["Ytilde"] = grad(cross_entropy_simplified(self.Y, Z), Z)
        out["Htilde"] = grad(cross_entropy_simplified(self.Y, self.hidden_from(G)[1]), G)
        return out

    def gradient_checks(self) -> dict[str, Check]:
        """One :class:`Check` per gradient: ``Ytilde, Wy, by, Htilde, Wh, bh``."""
        derived = self.derived_gradients
        f = self.forward
        closed = self.closed_forms(f["H"], f["Yhat"])
        Z, G = self.free_Ytilde, self.free_Htilde
        closed["Ytilde"] = (softmax_rows(Z) - self.Y) / self.n
        H_G, _, Yhat_G = self.hidden_from(G)
        closed["Htilde"] = self.closed_forms(H_G, Yhat_G)["Htilde"]
        size = "one sample" if self.n == 1 else f"a batch of {self.n}"
        titles = {
            "Ytilde": r"gradient with respect to $\tilde{y}$",
            "Wy": r"gradient with respect to $W_y$",
            "by": r"gradient with respect to $b_y$",
            "Htilde": r"gradient with respect to $\tilde{h}$",
            "Wh": r"gradient with respect to $W_h$",
            "bh": r"gradient with respect to $b_h$",
        }
        return {
            name: Check(f"{titles[name]} ({size}, nx={self.nx}, nh={self.nh}, ny={self.ny})",
                        derived[name], closed[name])
            for name in titles
        }

    def symbols_of(self, params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor) -> dict:
        """Map every symbol of the network to the matching float in ``params``, ``X``, ``Y``."""
        if tuple(X.shape) != (self.n, self.nx) or tuple(Y.shape) != (self.n, self.ny):
            raise ValueError(
                f"X and Y must have shapes {(self.n, self.nx)} and {(self.n, self.ny)}, "
                f"got {tuple(X.shape)} and {tuple(Y.shape)}"
            )
        values = {}
        pairs = [(self.X, X), (self.Y, Y)] + [(self.params[k], params[k].reshape(self.params[k].shape)) for k in PARAMS]
        for symbols, tensor in pairs:
            for s, v in zip(symbols, tensor.detach().double().reshape(-1).tolist(), strict=True):
                values[s] = v
        return values

    def lambdify(self, expr: sp.Matrix) -> Callable[[dict, torch.Tensor, torch.Tensor], torch.Tensor]:
        """Turn a matrix of the network's symbols into ``f(params, X, Y) -> float64 tensor``."""
        symbols = list(self.X) + list(self.Y) + [s for k in PARAMS for s in self.params[k]]
        f = sp.lambdify(symbols, list(expr), modules="math")  # a flat list of float expressions

        def evaluate(params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
            values = self.symbols_of(params, X, Y)
            return torch.tensor(f(*(values[s] for s in symbols)), dtype=torch.float64).reshape(expr.shape)

        return evaluate

    def sympy_gradients(self, params: dict[str, torch.Tensor], X: torch.Tensor, Y: torch.Tensor) -> dict:
        """The derived (``sympy.diff``) gradients of the parameters, evaluated in float64.

        Shapes follow :func:`tmenn.manual.backward`: ``bh (nh,)`` and ``by (ny,)``.
        """
        out = {}
        for name in PARAMS:
            value = self.lambdify(self.derived_gradients[name])(params, X, Y)
            out[name] = value.reshape(params[name].shape)
        return out


# ---- stand-alone results -----------------------------------------------------------


def composition_of_affine_maps(nx: int = 2, nh: int = 3, ny: int = 2) -> Check:
    """Two affine maps in a row are one affine map: why activations are needed."""
    x = symbol_vector("x", nx)
    W1, b1 = symbol_matrix("A", nh, nx), symbol_vector("a", nh)
    W2, b2 = symbol_matrix("B", ny, nh), symbol_vector("c", ny)
    return Check(
        "two affine maps compose into the affine map $x \\mapsto (BA)x + (Ba + c)$",
        W2 * (W1 * x + b1) + b2,
        (W2 * W1) * x + (W2 * b1 + b2),
    )


def activation_checks() -> dict[str, Check]:
    """Facts about the activations: the sigmoid's formula and slope, tanh's slope."""
    z = sp.Symbol("z", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    lab = 1 / (1 + sp.exp(z))
    return {
        "lab_sigmoid": Check(r"the misprinted $1/(1+e^{z})$ equals $1-\sigma(z)=\sigma(-z)$, a decreasing function",
                             sp.Matrix([lab, lab]), sp.Matrix([1 - sigma, sigma.subs(z, -z)])),
        "sigmoid_slope": Check(r"$\sigma'(z) = \sigma(z)\,(1-\sigma(z))$",
                               sp.Matrix([sp.diff(sigma, z)]), sp.Matrix([sigma * (1 - sigma)])),
        "tanh_slope": Check(r"$\tanh'(z) = 1 - \tanh^2(z)$",
                            sp.Matrix([sp.diff(sp.tanh(z), z)]), sp.Matrix([1 - sp.tanh(z) ** 2])),
        "tanh_sigmoid": Check(r"$\tanh(z) = 2\sigma(2z) - 1$",
                              sp.Matrix([sp.tanh(z).rewrite(sp.exp)]), sp.Matrix([2 * sigma.subs(z, 2 * z) - 1])),
    }


def softmax_checks(ny: int = 3) -> dict[str, Check]:
    """Softmax sums to 1, and adding a constant to every logit changes nothing."""
    z = symbol_vector(r"\tilde{y}", ny).T
    c = sp.Symbol("c", real=True)
    p = softmax_rows(z)
    return {
        "sums_to_one": Check(r"$\sum_i \mathrm{softmax}(\tilde{y})_i = 1$", sp.Matrix([sum(p)]), sp.Matrix([1])),
        "shift": Check(r"$\mathrm{softmax}(\tilde{y} + c) = \mathrm{softmax}(\tilde{y})$",
                       softmax_rows(z.applyfunc(lambda v: v + c)), p),
    }


def loss_slopes(ny: int = 3) -> dict[str, Check]:
    """How each loss changes with the predictions ``yhat_i`` (question 8)."""
    y, yhat = symbol_vector("y", ny), symbol_vector(r"\hat{y}", ny)
    ce = -sum(y[i] * sp.log(yhat[i]) for i in range(ny))
    mse = sum((y[i] - yhat[i]) ** 2 for i in range(ny))
    return {
        "cross_entropy": Check(r"$\partial \ell_{CE} / \partial \hat{y}_i = -y_i / \hat{y}_i$",
                               grad(ce, yhat), sp.Matrix([-y[i] / yhat[i] for i in range(ny)])),
        "mse": Check(r"$\partial \ell_{MSE} / \partial \hat{y}_i = 2(\hat{y}_i - y_i)$",
                     grad(mse, yhat), sp.Matrix([2 * (yhat[i] - y[i]) for i in range(ny)])),
    }


def softmax_cross_entropy(ny: int = 3) -> dict[str, Check]:
    """Question 14's simplification, and question 15's gradient derived from the definition."""
    y, z = symbol_vector("y", ny).T, symbol_vector(r"\tilde{y}", ny).T
    constraint = tuple(one_hot_constraint(y).items())
    definition = cross_entropy(y, softmax_rows(z))
    simplified = cross_entropy_simplified(y, z)
    return {
        "q14": Check(r"$-\sum_i y_i \log \mathrm{softmax}(\tilde{y})_i"
                     r" = -\sum_i y_i\tilde{y}_i + \log\sum_j e^{\tilde{y}_j}$ when $\sum_i y_i = 1$",
                     sp.Matrix([sp.expand_log(definition, force=True)]), sp.Matrix([simplified]), constraint),
        "q15": Check(r"$\partial \ell / \partial \tilde{y}_i = \hat{y}_i - y_i$, from the definition of $\ell$",
                     grad(definition, z), softmax_rows(z) - y, constraint),
    }


def gradient_descent_on_a_parabola() -> dict[str, sp.Expr]:
    """One step of ``w <- w - eta f'(w)`` on ``f(w) = a w^2 / 2`` multiplies ``w`` by ``1 - eta a``."""
    w, eta, a = sp.symbols("w eta a", positive=True)
    step = w - eta * sp.diff(a * w**2 / 2, w)
    return {"step": sp.factor(step), "factor": sp.factor(step / w)}


def all_checks() -> list[Check]:
    """Every check of Part 1, for the tests and for the count the book reports."""
    checks = [composition_of_affine_maps()]
    checks += activation_checks().values()
    checks += softmax_checks().values()
    checks += loss_slopes().values()
    checks += softmax_cross_entropy().values()
    checks += Network(n=1).gradient_checks().values()
    checks += Network(n=2).gradient_checks().values()
    return checks
