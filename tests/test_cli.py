"""`python -m tmenn` end to end."""

from __future__ import annotations

import subprocess
import sys

import pytest

PNG = b"\x89PNG\r\n\x1a\n"


def run(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "tmenn", *args], capture_output=True, text=True, timeout=timeout)


def test_train_on_the_circles_writes_figures(tmp_path):
    result = run("train", "--data", "circles", "--stage", "optim", "--nh", "10", "--eta", "0.03",
                 "--epochs", "300", "--batch-size", "10", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    final = [line for line in result.stdout.splitlines() if line.startswith("final")]
    assert len(final) == 1 and "test loss" in final[0]
    test_acc = float(final[0].rsplit("acc", 1)[1].strip(" %")) / 100
    assert test_acc >= 0.95
    for name in ("curves.png", "decision_boundary.png"):
        assert (tmp_path / "out" / name).read_bytes()[:8] == PNG
    assert "epoch" in result.stderr  # the tqdm progress bar


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["train", "--stage", "keras"],
        ["train", "--data", "cifar"],
        ["train", "--eta", "0"],
        ["train", "--eta", "nan"],
        ["train", "--batch-size", "0"],
        ["train", "--epochs", "ten"],
        ["fetch", "imagenet"],
    ],
)
def test_bad_arguments_exit_2_with_usage(args):
    result = run(*args, timeout=60)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_bench_prints_every_stage_and_the_references():
    result = run("bench", "--data", "circles", "--nh", "10", "--batch-size", "10", "--repeats", "2")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for name in ("tmenn manual", "tmenn autograd", "tmenn nn", "tmenn optim", "sklearn MLPClassifier"):
        assert name in out
    assert "GFLOP/s" in out and "vs MLPClassifier" in out and "median of 2 runs" in out


def test_bench_rejects_bad_arguments():
    result = run("bench", "--repeats", "0", timeout=60)
    assert result.returncode == 2 and "usage:" in result.stderr


def test_train_refuses_an_out_path_that_is_a_file(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    result = run("train", "--epochs", "1", "--out", str(target), timeout=60)
    assert result.returncode == 2 and "not a folder" in result.stderr and "Traceback" not in result.stderr
