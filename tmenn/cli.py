"""Command line: ``python -m tmenn train ...``, ``fetch mnist`` and ``bench``."""

from __future__ import annotations

import argparse
import inspect
import math
import sys
from pathlib import Path

from .train import STAGES, fit

DATASETS = ("circles", "mnist", "fashion")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tmenn", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="train the network and save its figures")
    train.add_argument("--data", choices=DATASETS, default="circles")
    train.add_argument("--stage", choices=STAGES, default="manual")
    defaults = {name: p.default for name, p in inspect.signature(fit).parameters.items()}
    train.add_argument("--nh", type=_positive_int, default=defaults["nh"], help="hidden units (%(default)s)")
    train.add_argument("--eta", type=_positive_float, default=defaults["eta"], help="learning rate (%(default)s)")
    train.add_argument("--epochs", type=_positive_int, default=defaults["epochs"], help="epochs (%(default)s)")
    train.add_argument("--batch-size", type=_positive_int, default=defaults["batch_size"],
                       help="mini-batch size (%(default)s)")
    train.add_argument("--seed", type=int, default=defaults["seed"], help="random seed (%(default)s)")
    train.add_argument("--out", type=Path, default=Path("out"), help="folder for the PNG figures")
    train.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    fetch = commands.add_parser("fetch", help="download a dataset")
    fetch.add_argument("dataset", choices=("mnist",))
    fetch.add_argument("--root", type=Path, default=None,
                       help="target folder (default: $TMENN_DATA or ~/.cache/tmenn/mnist)")
    fetch.add_argument("--mirror", action="append", default=None,
                       help="base URL to download from (repeatable; default: the public mirrors)")

    bench = commands.add_parser("bench", help="time one epoch of every stage and of scikit-learn's MLPClassifier")
    bench.add_argument("--data", choices=DATASETS, default="fashion")
    bench.add_argument("--nh", type=_positive_int, default=100, help="hidden units (%(default)s)")
    bench.add_argument("--eta", type=_positive_float, default=0.1, help="learning rate (%(default)s)")
    bench.add_argument("--batch-size", type=_positive_int, default=64, help="mini-batch size (%(default)s)")
    bench.add_argument("--repeats", type=_positive_int, default=5,
                       help="epochs per implementation; the median is reported (%(default)s)")
    return parser


def _load(name: str):
    from . import data

    return {"circles": data.CirclesData, "mnist": data.MNISTData, "fashion": data.FashionMNISTData}[name]()


def _train(args) -> int:
    from . import plots

    try:
        data = _load(args.data)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"data: {data.source}")
    history = fit(data, args.stage, nh=args.nh, eta=args.eta, epochs=args.epochs,
                  batch_size=args.batch_size, seed=args.seed, progress=not args.no_progress)
    print(
        f"final ({args.stage}, {len(history.loss_train)} epochs, "
        f"{sum(history.epoch_seconds):.1f} s): "
        f"train loss {history.loss_train[-1]:.4f}, acc {history.acc_train[-1]:.2%}; "
        f"test loss {history.loss_test[-1]:.4f}, acc {history.acc_test[-1]:.2%}"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    written = [args.out / "curves.png"]
    plots.history_curves(history, title=f"{args.data}, stage {args.stage}").savefig(written[0], dpi=100)
    if args.data == "circles":
        written.append(args.out / "decision_boundary.png")
        fig = data.plot_data_with_grid(history.predict(data.Xgrid), title=f"stage {args.stage}")
        fig.savefig(written[-1], dpi=100)
    for path in written:
        print(f"wrote {path}")
    return 0


def _fetch(args) -> int:
    from .data.fetch import MNIST_MIRRORS, fetch_mnist

    try:
        root = fetch_mnist(args.root, mirrors=args.mirror or MNIST_MIRRORS)
    except (ConnectionError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"MNIST is ready in {root}")
    return 0


def _bench(args) -> int:
    import warnings

    from . import bench

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the MNIST fallback notice; the table names the data
            data = _load(args.data)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    report = bench.run(data, nh=args.nh, eta=args.eta, batch_size=args.batch_size, repeats=args.repeats)
    print(report.text())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad arguments)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "train" and args.out.exists() and not args.out.is_dir():
        parser.error(f"--out {args.out} exists and is not a folder; give a folder for the figures")
    return {"train": _train, "fetch": _fetch, "bench": _bench}[args.command](args)
