"""Reading a package file: bytes → UTF-8 text → JSON, refusing anything ambiguous."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dxplan.interchange.errors import PackageError, Problem


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(name)


def parse_package_bytes(data: bytes, source: str) -> Any:
    """Decode and parse a package; a PackageError says where and why it cannot be read."""
    if not data.strip():
        raise PackageError(source, [Problem("$", "an empty file", "a plan package JSON document")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        found = f"byte 0x{data[exc.start]:02x} at offset {exc.start}, which is not UTF-8"
        raise PackageError(source, [Problem("$", found, "a UTF-8 encoded file")]) from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except _DuplicateKeyError as exc:
        problem = Problem("$", f"the key {exc.key!r} twice in one object", "each key once")
        raise PackageError(source, [problem]) from None
    except json.JSONDecodeError as exc:
        found = f"invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg.lower()})"
        raise PackageError(source, [Problem("$", found, "valid JSON")]) from None
    except ValueError as exc:
        found = f"{exc} (not a JSON number)"
        raise PackageError(source, [Problem("$", found, "finite numbers only")]) from None


def read_package(path: Path) -> Any:
    """Read and parse the package at `path`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PackageError(str(path), [Problem("$", reason, "a readable file")]) from None
    return parse_package_bytes(data, str(path))
