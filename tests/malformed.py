"""Malformed plan packages, each built from a real one, with the problem it must be refused for.

Used by the validation unit tests and by the import tests on a real database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from support import load_demo_package

Doc = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """A malformed package: its bytes, and the path and words its first problem must name."""

    name: str
    data: bytes
    path: str
    words: tuple[str, ...]


def _bytes(doc: Doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def _mutated(plan_id: str, change: Callable[[Doc], None]) -> bytes:
    doc = load_demo_package(plan_id)
    change(doc)
    return _bytes(doc)


HADANO = "hadano-ict-plan"
REFORM = "hiratsuka-reform-plan-2020-2023"


def _cycle(doc: Doc) -> None:
    doc["sections"][0]["parent"] = "1-1"  # "1-1" has parent "1": 1 → 1-1 → 1


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target: Any = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _delete(path: tuple[str | int, ...]) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target: Any = doc
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


def _rename_key(path: tuple[str | int, ...], old: str, new: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target: Any = doc
        for part in path:
            target = target[part]
        target[new] = target.pop(old)

    return change


def cases() -> list[Case]:
    """Every malformed package of the issue's list, and a few more."""
    hadano = load_demo_package(HADANO)
    full = _bytes(hadano)
    return [
        Case("truncated JSON", full[: len(full) // 2], "$", ("valid JSON", "line")),
        Case("empty file", b"", "$", ("an empty file",)),
        Case("only white space", b"  \n\t\n", "$", ("an empty file",)),
        Case(
            "not UTF-8 (Shift_JIS)",
            json.dumps(hadano, ensure_ascii=False).encode("cp932", errors="replace"),
            "$",
            ("not UTF-8", "a UTF-8 encoded file"),
        ),
        Case("not an object", b"[1, 2, 3]", "$", ("an array", "a plan package")),
        Case(
            "wrong format version",
            _mutated(HADANO, _set(("format",), "dxplan-package/2")),
            "$.format",
            ('"dxplan-package/2"', "the only format version supported"),
        ),
        Case(
            "municipality code with a wrong check digit",
            _mutated(HADANO, _set(("municipality", "code"), "142116")),
            "$.municipality.code",
            ('"142116"', "check digit 5"),
        ),
        Case(
            "prefecture that does not match the code",
            _mutated(HADANO, _set(("municipality", "prefecture"), "東京都")),
            "$.municipality.prefecture",
            ('"東京都"', '"神奈川県"'),
        ),
        Case(
            "unknown section",
            _mutated(HADANO, _set(("initiatives", 0, "section"), "9-9")),
            "$.initiatives[0].section",
            ('"9-9"', "the code of a section"),
        ),
        Case(
            "duplicate initiative code",
            _mutated(HADANO, _set(("initiatives", 1, "code"), "1-1-(1)")),
            "$.initiatives[1].code",
            ('"1-1-(1)"', "already at $.initiatives[0]"),
        ),
        Case(
            "duplicate section code",
            _mutated(HADANO, _set(("sections", 2, "code"), "1-1")),
            "$.sections[2].code",
            ('"1-1"', "already at $.sections[1]"),
        ),
        Case(
            "a number that is not a number",
            _mutated(
                HADANO,
                _set(("initiatives", 0, "indicators", 1, "targets", "2023", "value"), "29"),
            ),
            "$.initiatives[0].indicators[1].targets.2023.value",
            ('"29" (a string)', "a number, or null"),
        ),
        Case(
            "NaN instead of a number",
            full.replace(b'"value": 29', b'"value": NaN', 1),
            "$",
            ("NaN", "finite numbers only"),
        ),
        Case(
            "a year key that is not a year",
            _mutated(
                HADANO, _rename_key(("initiatives", 0, "indicators", 1, "targets"), "2023", "R5")
            ),
            "$.initiatives[0].indicators[1].targets",
            ('the key "R5"', 'a fiscal year key such as "2021"'),
        ),
        Case(
            "a fiscal year out of range",
            _mutated(REFORM, _set(("initiatives", 0, "goals", 0, "target_fy"), 20230)),
            "$.initiatives[0].goals[0].target_fy",
            ("20230", "Western start year"),
        ),
        Case(
            "a fiscal year written as text",
            _mutated(HADANO, _set(("plan", "period", "start_fy"), "令和3年度")),
            "$.plan.period.start_fy",
            ('"令和3年度" (a string)', "Western start year"),
        ),
        Case(
            "a reversed span key",
            _mutated(REFORM, _rename_key(("initiatives", 0, "results"), "2020-2023", "2023-2020")),
            "$.initiatives[0].results.2023-2020",
            ('the key "2023-2020"', "first year is before its last"),
        ),
        Case(
            "unknown successor",
            _mutated(HADANO, _set(("initiatives", 25, "terminated", "successor"), "9-9-(9)")),
            "$.initiatives[25].terminated.successor",
            ('"9-9-(9)"', "the code of another initiative"),
        ),
        Case(
            "missing plan id",
            _mutated(HADANO, _delete(("plan", "id"))),
            "$.plan.id",
            ("the field is missing",),
        ),
        Case(
            "section cycle",
            _mutated(HADANO, _cycle),
            "$.sections[0].parent",
            ("a cycle 1 → 1-1 → 1", "no section may be its own ancestor"),
        ),
        Case(
            "reversed plan period",
            _mutated(HADANO, _set(("plan", "period"), {"start_fy": 2025, "end_fy": 2021})),
            "$.plan.period",
            ("start_fy 2025 after end_fy 2021", "start_fy <= end_fy"),
        ),
        Case(
            "field of the wrong type",
            _mutated(HADANO, _set(("initiatives", 0, "lead_departments"), "デジタル推進課")),
            "$.initiatives[0].lead_departments",
            ('"デジタル推進課" (a string)', "an array"),
        ),
        Case(
            "verdict outside the achievement scale",
            _mutated(REFORM, _set(("initiatives", 0, "goals", 0, "achievement"), "A")),
            "$.initiatives[0].goals[0].achievement",
            ('"A"', "達成 / 一部未達成 / 未達成"),
        ),
        Case(
            "status outside the progress scale",
            _mutated(HADANO, _set(("initiatives", 0, "activities", 0, "status"), {"2021": "順調"})),
            "$.initiatives[0].activities[0].status.2021",
            ('"順調"', "済 / 概ね順調 / 遅れ / 未着手 / 休止"),
        ),
        Case(
            "unknown field",
            _mutated(HADANO, _set(("initiatives", 0, "leader"), "デジタル推進課")),
            "$.initiatives[0].leader",
            ("the unknown field 'leader'",),
        ),
        Case(
            "duplicate key in one object",
            full.replace(b'"format": "dxplan-package/1",', b'"format": "x", "format": "y",', 1),
            "$",
            ("'format' twice",),
        ),
        Case(
            "published date that does not exist",
            _mutated(REFORM, _set(("plan", "published"), "2024-02-30")),
            "$.plan.published",
            ('"2024-02-30"', "a date that exists"),
        ),
    ]
