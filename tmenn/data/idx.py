"""Read and write IDX files, the format MNIST and Fashion-MNIST ship in.

An IDX file is a 4-byte magic number ``0x00 0x00 <type> <ndim>``, then
``ndim`` big-endian 32-bit sizes, then the values in big-endian row-major
order. Files ending in ``.gz`` are gzip-compressed.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from os import PathLike
from pathlib import Path

import numpy as np
import torch

# IDX type byte -> big-endian NumPy dtype.
_TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES = {dtype.newbyteorder("="): code for code, dtype in _TYPES.items()}


def _read_bytes(path: Path) -> bytes:
    if path.suffix != ".gz":
        return path.read_bytes()
    try:
        return gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"{path}: not a valid gzip file ({exc})") from exc


def read_idx(path: str | PathLike[str]) -> torch.Tensor:
    """Read an IDX file (``.gz`` or not) into a tensor of its own type and shape.

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: naming the file, if the magic number is wrong, the type
            byte unknown, or the file shorter or longer than its header says.
    """
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise ValueError(f"{path}: truncated IDX file, {len(raw)} bytes is shorter than the 4-byte magic number")
    zero1, zero2, code, ndim = raw[:4]
    if zero1 != 0 or zero2 != 0 or code not in _TYPES or ndim == 0:
        raise ValueError(
            f"{path}: bad IDX magic number {raw[:4].hex()}; expected 0000 followed by a type "
            f"byte in {{{', '.join(f'{c:02x}' for c in _TYPES)}}} and a dimension count >= 1"
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path}: truncated IDX header, {len(raw)} bytes for {ndim} dimensions")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    dtype = _TYPES[code]
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) != expected:
        problem = "truncated" if len(raw) < expected else "has trailing bytes"
        raise ValueError(
            f"{path}: IDX file {problem}: shape {shape} of {dtype.name} needs {expected} bytes, "
            f"the file holds {len(raw)}"
        )
    values = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return torch.from_numpy(values.astype(dtype.newbyteorder("=")))


def write_idx(path: str | PathLike[str], values: np.ndarray | torch.Tensor) -> Path:
    """Write ``values`` as an IDX file, gzip-compressed if ``path`` ends in ``.gz``.

    The dtype must be one IDX supports: uint8, int8, int16, int32, float32 or
    float64.
    """
    path = Path(path)
    array = values.numpy() if isinstance(values, torch.Tensor) else np.asarray(values)
    if array.dtype not in _CODES:
        raise ValueError(f"IDX cannot store {array.dtype}; expected one of {sorted(str(d) for d in _CODES)}")
    if array.ndim == 0:
        raise ValueError("IDX needs at least one dimension, got a scalar")
    code = _CODES[array.dtype]
    payload = (
        bytes([0, 0, code, array.ndim])
        + struct.pack(f">{array.ndim}I", *array.shape)
        + array.astype(_TYPES[code]).tobytes()
    )
    path.write_bytes(gzip.compress(payload) if path.suffix == ".gz" else payload)
    return path
