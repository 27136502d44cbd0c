"""The plan's package form kept with a revision (its snapshot): JSON, compressed.

A large plan's package is tens of megabytes of text that compresses about tenfold; it is
written a piece at a time, so that keeping it costs little memory beyond the package itself
(an import stores the package as read, with its exact decimals).
"""

from __future__ import annotations

import json
import zlib
from decimal import Decimal
from typing import Any

_PIECE = 1 << 16


def _number(value: object) -> float:
    if isinstance(value, Decimal):
        return float(value)  # exact: figures have at most 15 significant digits
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def pack(doc: dict[str, Any]) -> bytes:
    """A package as compressed JSON."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_number)
    compressor = zlib.compressobj()
    out: list[bytes] = []
    pending: list[str] = []
    size = 0
    for chunk in encoder.iterencode(doc):
        pending.append(chunk)
        size += len(chunk)
        if size >= _PIECE:
            out.append(compressor.compress("".join(pending).encode()))
            pending, size = [], 0
    out.append(compressor.compress("".join(pending).encode()))
    out.append(compressor.flush())
    return b"".join(out)


def unpack(data: bytes) -> dict[str, Any]:
    """The package `pack` stored."""
    doc: dict[str, Any] = json.loads(zlib.decompress(data))
    return doc
