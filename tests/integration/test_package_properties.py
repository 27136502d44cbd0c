"""Property-based hardening of plan-package import: the five demo packages, mutated the ways
fuzzing broke them, are either refused with a PackageError that wrote nothing, or imported and
exported with every number unchanged."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.db import Base, unit_of_work
from dxplan.interchange.errors import PackageError
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.interchange.reading import parse_package_bytes
from dxplan.plans.package.values import as_decimal

from support import DEMO_PLAN_IDS, SYSTEM, ensure_valid, load_demo_package

# The database calls of this module, in one place.


def _import(sessions: sessionmaker[Session], doc: Any) -> None:
    with unit_of_work(sessions) as session:
        import_package(session, doc, source="fuzz.json", actor=SYSTEM)


def _export(sessions: sessionmaker[Session], code: str, plan_id: str) -> dict[str, Any]:
    with unit_of_work(sessions) as session:
        return export_package(session, code, plan_id)


def _counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def _empty(sessions: sessionmaker[Session]) -> None:
    with unit_of_work(sessions) as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))


Path = tuple[str | int, ...]
RAW = "@@raw{}@@"  # where a raw piece goes, numbered
CHARACTERS = ["\x00", "\x1b", "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\n", "\t", "\r"]
CHARACTERS += ["\u2028", "\ufeff", "😀", "\\", '"']
NUMBERS = ["1e400", "-1e400", "2.021e3", "2021.0", "123456789012345678901", "1e-4", "1e-7"]
NUMBERS += ["0.1", "9" * 4301, "NaN", "-Infinity", "-0", "1E2", "0.000001", "999999999999999"]
NUMBERS += ["1e15", "1234567.891", "-0.0", "5", "2021", "1899", "54.40", "1" * 31]
VALUES: list[Any] = [None, True, [], {}, "", 0, "2021", {"text": "1"}, [None]]


def _leaves(node: Any, path: Path = ()) -> list[tuple[Path, Any]]:
    """Every value of the document with its path, containers included (document order)."""
    found: list[tuple[Path, Any]] = [(path, node)]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_leaves(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_leaves(value, (*path, index)))
    return found


def _at(doc: Any, path: Path) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    """A demo package's bytes, changed in one to three ways, and how (for the failure report)."""
    doc = load_demo_package(draw(st.sampled_from(DEMO_PLAN_IDS)))
    raw: list[bytes] = []  # written verbatim where the placeholders are
    how: list[str] = []
    kinds = ["char", "char", "number", "number", "fine", "fine", "fine", "fine"]
    kinds += ["deep", "deep", "twice", "rename", "value", "successors"]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(kinds))
        mark = RAW.format(len(raw))
        leaves = _leaves(doc)
        strings = [(p, v) for p, v in leaves if isinstance(v, str) and not v.startswith("@@raw")]
        numbers = [(p, v) for p, v in leaves if _is_number(v)]
        figures = [(p, v) for p, v in leaves if p[-1:] == ("value",)]
        objects = [(p, v) for p, v in leaves if isinstance(v, dict) and v]
        if kind == "char" and strings:
            path, text = draw(st.sampled_from(strings))
            char = draw(st.sampled_from(CHARACTERS))
            at = draw(st.integers(0, len(text)))
            _at(doc, path[:-1])[path[-1]] = text[:at] + char + text[at:]
            how.append(f"{char!r} into {path}")
        elif kind == "number" and numbers:
            path, _ = draw(st.sampled_from(numbers))
            number = draw(st.sampled_from(NUMBERS))
            _at(doc, path[:-1])[path[-1]] = mark
            raw.append(b'"%s"\0%s' % (mark.encode(), number.encode()))
            how.append(f"{number[:40]} at {path}")
        elif kind == "fine" and figures:
            # A figure value within the limits: it must be accepted and come back unchanged.
            path, _ = draw(st.sampled_from(figures))
            digits = draw(st.integers(-(10**15) + 1, 10**15 - 1))
            places = draw(st.integers(0, 6))
            exponent = draw(st.booleans())
            number = f"{digits}e-{places}" if exponent else str(Decimal(digits).scaleb(-places))
            _at(doc, path[:-1])[path[-1]] = mark
            raw.append(b'"%s"\0%s' % (mark.encode(), number.encode()))
            how.append(f"{number} at {path}")
        elif kind == "deep":
            path, _ = draw(st.sampled_from(leaves[1:]))
            depth = draw(st.sampled_from([50, 64, 100, 5000, 100_000]))
            _at(doc, path[:-1])[path[-1]] = mark
            raw.append(b'"%s"\0%s' % (mark.encode(), b"[" * depth + b"]" * depth))
            how.append(f"{depth} deep at {path}")
        elif kind == "twice" and objects:
            path, target = draw(st.sampled_from(objects))
            key = draw(st.sampled_from(sorted(target)))
            target[mark] = mark
            again = json.dumps(key, ensure_ascii=False).encode() + b': "again"'
            raw.append(b'"%s": "%s"\0%s' % (mark.encode(), mark.encode(), again))
            how.append(f"{key!r} twice at {path}")
        elif kind == "rename" and objects:
            path, target = draw(st.sampled_from(objects))
            key = draw(st.sampled_from(sorted(target)))
            new = draw(st.sampled_from(["x", "2021\n", "2021", "1899", "uid", "unit", "k" * 5000]))
            if new not in target:
                target[new] = target.pop(key)
                how.append(f"{key!r} renamed {new[:20]!r} at {path}")
        elif kind == "successors" and len(doc.get("initiatives", [])) > 1:
            # Two initiatives, each terminated in favour of the other: a cycle.
            items = doc["initiatives"]
            first = draw(st.integers(0, len(items) - 1))
            second = (first + draw(st.integers(1, len(items) - 1))) % len(items)
            for one, other in ((first, second), (second, first)):
                if isinstance(items[one], dict) and isinstance(items[other], dict):
                    items[one]["terminated"] = {"successor": items[other].get("code")}
            how.append(f"initiatives {first} and {second} succeed each other")
        elif kind == "value":
            path, _ = draw(st.sampled_from(leaves[1:]))
            _at(doc, path[:-1])[path[-1]] = draw(st.sampled_from(VALUES))
            how.append(f"a new value at {path}")
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    data = text.encode("utf-8", errors="backslashreplace")
    for piece in raw:
        placeholder, _, written = piece.partition(b"\0")
        data = data.replace(placeholder, written, 1)
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
        how.append("truncated")
    return data, "; ".join(how)


def _numbers(doc: Any) -> list[tuple[Path, Any]]:
    return [(path, value) for path, value in _leaves(doc) if _is_number(value)]


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(case=_mutated())
def test_a_mutated_package_is_refused_cleanly_or_round_trips_its_numbers(
    sessions: sessionmaker[Session], case: tuple[bytes, str]
) -> None:
    data, how = case
    _empty(sessions)
    doc = _read(data, how)
    if doc is None:
        return
    # (b) importing it either is refused and writes nothing, or succeeds.
    before = _counts(sessions)
    try:
        _import(sessions, doc)
    except PackageError:
        assert _counts(sessions) == before, how
        return
    # (c) every number accepted comes back from export, equal as a decimal.
    exported = _export(sessions, doc["municipality"]["code"], doc["plan"]["id"])
    for path, value in _numbers(doc):
        assert as_decimal(_at(exported, path)) == as_decimal(value), (how, path)


def _read(data: bytes, how: str) -> Any:
    """(a) The parsed document, or None when it cannot be parsed: reading and validating raise
    nothing but a PackageError, whose summary is one printable line."""
    doc: Any = None
    refused: PackageError | None = None
    try:
        doc = parse_package_bytes(data, "fuzz.json")
        ensure_valid(doc, "fuzz.json")
    except PackageError as error:
        refused = error
    if refused is not None:
        summary = refused.summary()
        assert "\n" not in summary, how
        summary.encode("utf-8")
        assert all(p.path.startswith("$") for p in refused.problems), how
    return doc
