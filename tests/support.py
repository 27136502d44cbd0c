"""Helpers for tests: the demo packages and the files of ../shared."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, event

from dxplan.accounts.rules import Actor
from dxplan.db import Base
from dxplan.demo import demo_package_files
from dxplan.interchange.errors import PackageError
from dxplan.plans.field_labels import label_package_problems
from dxplan.plans.package.validation import validate_package

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

_PACKAGES = {f.name.removesuffix(".json"): f for f in demo_package_files()}


def load_demo_package(plan_id: str) -> dict[str, Any]:
    """A fresh copy of one of the five demo packages, by plan id."""
    return copy.deepcopy(_parsed(plan_id))


_CACHE: dict[str, Any] = {}


def _parsed(plan_id: str) -> Any:
    if plan_id not in _CACHE:
        _CACHE[plan_id] = json.loads(_PACKAGES[plan_id].read_text(encoding="utf-8"))
    return _CACHE[plan_id]


DEMO_PLAN_IDS = sorted(_PACKAGES)


def shared_path(*parts: str) -> Path:
    """A file in ../shared; the test is skipped where the checkout has no ../shared."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (only a development checkout has ../shared)")
    return path


def empty_tables(engine: Engine) -> None:
    """Delete every row of dxplan's tables (the schema stays)."""
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


SYSTEM = Actor.system_actor("test")
"""The actor of tests that write as the command line does."""


def without_uids(value: Any) -> Any:
    """A package form with every `uid` field left out (to compare with a package that has none)."""
    if isinstance(value, dict):
        return {key: without_uids(item) for key, item in value.items() if key != "uid"}
    if isinstance(value, list):
        return [without_uids(item) for item in value]
    return value


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def ensure_valid(doc: Any, source: str) -> None:
    """Validate a package as the import service does before it writes anything (without a
    database): a PackageError with every problem, labelled, when it cannot be imported."""
    problems = validate_package(doc)
    if problems:
        raise PackageError(source, label_package_problems(problems, doc))
