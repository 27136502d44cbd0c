"""Reading a package file: bytes → UTF-8 text → JSON, refusing anything ambiguous.

Numbers are read exactly: a number with a fraction or an exponent becomes a `Decimal`, an
integer an `int` (refused beyond MAX_INTEGER_DIGITS digits, before Python converts it).
Duplicate keys, NaN / Infinity and over-long integers are marked while parsing and reported
with their JSON path afterwards; nesting deeper than MAX_DEPTH is refused before parsing.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from dxplan.interchange.errors import PackageError
from dxplan.plans.package.values import DEPTH_EXPECTED, MAX_DEPTH
from dxplan.problems import Problem, json_path, shown

MAX_INTEGER_DIGITS = 30
"""The longest integer accepted, in digits (a fiscal year has 4, a figure at most 15)."""


# Outside strings only brackets, commas and colons matter for the nesting and its path.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]', re.DOTALL)


class _Offender:
    """Put in the parsed tree where a value cannot be accepted; reported with its path."""

    def __init__(self, found: str, expected: str) -> None:
        self.found = found
        self.expected = expected


class _DuplicateKeys(dict[str, Any]):
    """An object that had a key more than once."""

    def __init__(self, pairs: list[tuple[str, Any]], twice: str) -> None:
        super().__init__(pairs)
        self.twice = twice


def _key(token: str) -> str:
    try:
        key = json.loads(token)
    except ValueError:
        return token[1:-1]
    return key if isinstance(key, str) else token[1:-1]


def nesting_problem(text: str) -> Problem | None:
    """The first array or object nested deeper than MAX_DEPTH, found without parsing."""
    frames: list[list[Any]] = []  # [opening bracket, key token or index]
    last_string = ""
    for match in _TOKENS.finditer(text):
        token = match.group()
        char = token[0]
        if char == '"':
            last_string = token
        elif char in "[{":
            if len(frames) == MAX_DEPTH:
                parts = [_key(part) if isinstance(part, str) else part for _, part in frames]
                found = f"{MAX_DEPTH}段を超えて入れ子になった配列とオブジェクト"
                return Problem(
                    json_path([p for p in parts if p is not None]), found, DEPTH_EXPECTED
                )
            frames.append([char, 0 if char == "[" else None])
        elif char in "]}":
            if frames:
                frames.pop()
        elif frames and frames[-1][0] == "{":
            if char == ":":
                frames[-1][1] = last_string
        elif char == "," and frames:
            frames[-1][1] += 1
    return None


def _offences(doc: Any) -> list[Problem]:
    """The marked values of a parsed document, in document order, each with its path."""
    problems: list[Problem] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), doc)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, _Offender):
            problems.append(Problem(json_path(parts), node.found, node.expected))
        elif isinstance(node, dict):
            if isinstance(node, _DuplicateKeys):
                found = f"一つのオブジェクトに二度現れるキー {shown(node.twice)}"
                problems.append(Problem(json_path(parts), found, "一度だけ現れるキー"))
            stack.extend(reversed([((*parts, k), v) for k, v in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([((*parts, i), v) for i, v in enumerate(node)]))
    return problems


def _first_repeated(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return ""


def _loads(text: str) -> tuple[Any, bool]:
    """The parsed document, and whether anything in it was marked as an offender."""
    marked: list[bool] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        marked.append(True)
        return _DuplicateKeys(pairs, _first_repeated(pairs))

    def constant(name: str) -> Any:
        marked.append(True)
        return _Offender(f"{name}（JSONの数値ではありません）", "有限の数値")

    def integer(digits: str) -> Any:
        count = len(digits.lstrip("-"))
        if count <= MAX_INTEGER_DIGITS:
            return int(digits)
        marked.append(True)
        return _Offender(f"{count}桁の整数", f"{MAX_INTEGER_DIGITS}桁以内の整数")

    def fraction(digits: str) -> Any:
        try:
            return Decimal(digits)
        except InvalidOperation:
            marked.append(True)
            return _Offender(f"{shown(digits)}（範囲外の数値）", "有限の数値")

    doc = json.loads(
        text,
        object_pairs_hook=pairs_hook,
        parse_constant=constant,
        parse_int=integer,
        parse_float=fraction,
    )
    return doc, bool(marked)


def _decoded(data: bytes, source: str) -> str:
    """The text of a package file; a PackageError when it is empty or not UTF-8."""
    if not data.strip():
        raise PackageError(source, [Problem("$", "空のファイル", "計画パッケージのJSON文書")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        found = f"{exc.start}バイト目の 0x{data[exc.start]:02x}（UTF-8ではありません）"
        raise PackageError(source, [Problem("$", found, "UTF-8で書かれたファイル")]) from None


def _parsed(text: str, source: str) -> Any:
    """The document of a package's text; a PackageError says where and why it cannot be read."""
    too_deep = nesting_problem(text)
    if too_deep is not None:
        raise PackageError(source, [too_deep])
    try:
        doc, marked = _loads(text)
    except json.JSONDecodeError as exc:
        found = f"{exc.lineno}行{exc.colno}列目にJSONとして読めない箇所"
        raise PackageError(source, [Problem("$", found, "正しいJSON")]) from None
    except RecursionError:  # not expected after nesting_problem(); never a traceback
        found = f"{MAX_DEPTH}段を超えて入れ子になった配列とオブジェクト"
        raise PackageError(source, [Problem("$", found, DEPTH_EXPECTED)]) from None
    if marked:
        raise PackageError(source, _offences(doc))
    return doc


def parse_package_bytes(data: bytes, source: str) -> Any:
    """Decode and parse a package; a PackageError says where and why it cannot be read."""
    return _parsed(_decoded(data, source), source)


def read_package(path: Path) -> Any:
    """Read and parse the package at `path`.

    The file's bytes are let go of once decoded, before parsing: a large package is then never
    held three times over (bytes, text and parsed document).
    """
    try:
        text = _decoded(path.read_bytes(), str(path))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PackageError(str(path), [Problem("$", reason, "読み取れるファイル")]) from None
    return _parsed(text, str(path))
