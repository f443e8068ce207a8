"""The IDX reader on good, truncated, oversized, bad-magic and corrupted files."""

from __future__ import annotations

import gzip

import numpy as np
import pytest
import torch

from tmenn.data import read_idx, write_idx


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip(tmp_path, dtype, suffix):
    values = (np.arange(2 * 3 * 4) % 100).astype(dtype).reshape(2, 3, 4)
    path = write_idx(tmp_path / f"x-idx3-ubyte{suffix}", values)
    out = read_idx(path)
    assert out.shape == (2, 3, 4)
    assert np.array_equal(out.numpy(), values)


def test_reads_a_header_like_mnist(tmp_path):
    path = tmp_path / "labels-idx1-ubyte"
    path.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9]))
    assert torch.equal(read_idx(path), torch.tensor([7, 0, 9], dtype=torch.uint8))


def test_big_endian_values(tmp_path):
    path = tmp_path / "v-idx1"
    path.write_bytes(bytes([0, 0, 0x0B, 1, 0, 0, 0, 2, 0x01, 0x02, 0xFF, 0xFE]))
    assert read_idx(path).tolist() == [0x0102, -2]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (bytes([0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3]),
         r"truncated: shape \(5,\) of uint8 needs 13 bytes, the file holds 11"),
        (bytes([0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3]), "has trailing bytes"),
        (bytes([0, 1, 8, 1, 0, 0, 0, 1, 1]), "bad IDX magic number 00010801"),
        (bytes([0, 0, 7, 1, 0, 0, 0, 1, 1]), "bad IDX magic number"),
        (bytes([0, 0, 8, 0]), "bad IDX magic number"),
        (bytes([0, 0, 8, 3, 0, 0]), "truncated IDX header"),
        (bytes([0, 0]), "truncated IDX file"),
        (b"P5\n28 28\n255\n", "bad IDX magic number"),
    ],
)
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_bad_files_raise_value_error_naming_the_file(tmp_path, payload, message, suffix):
    path = tmp_path / f"broken-idx{suffix}"
    path.write_bytes(gzip.compress(payload) if suffix else payload)
    with pytest.raises(ValueError, match=message) as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_corrupted_gzip(tmp_path):
    good = gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 100]) + bytes(100))
    path = tmp_path / "cut-idx1-ubyte.gz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(ValueError, match=f"{path}: not a valid gzip file"):
        read_idx(path)
    path.write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match="not a valid gzip file"):
        read_idx(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "absent-idx1-ubyte")


def test_write_rejects_unsupported_dtypes(tmp_path):
    with pytest.raises(ValueError, match="IDX cannot store int64"):
        write_idx(tmp_path / "x", np.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError, match="at least one dimension"):
        write_idx(tmp_path / "x", np.uint8(3))
