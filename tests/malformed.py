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
    # ensure_ascii: a lone surrogate can only be written as an escape ("\\ud800").
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8", errors="backslashreplace")


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


RAW = "@@raw@@"


def _raw(plan_id: str, path: tuple[str | int, ...], raw: bytes) -> bytes:
    """The package with `raw` written as it is (a number, a nesting) at `path`."""
    return _mutated(plan_id, _set(path, RAW)).replace(f'"{RAW}"'.encode(), raw, 1)


def _successor_cycle(doc: Doc) -> None:
    # 2-1-(3) (index 25) already moved to 3-2-(2) (index 59); make 3-2-(2) move back.
    doc["initiatives"][59]["terminated"] = {"reason": None, "successor": "2-1-(3)"}


def _twice_uid(doc: Doc) -> None:
    doc["initiatives"][0]["uid"] = UID
    doc["initiatives"][1]["indicators"][0]["uid"] = UID


UID = "0f8fad5b-d9cb-469f-a165-70867728950e"
TARGET = ("initiatives", 1, "indicators", 0, "targets", "2021")
VALUE = (*TARGET, "value")
TARGET_PATH = "$.initiatives[1].indicators[0].targets.2021"
LONG_KEY = "k" * 10_000_000


def hardening_cases() -> list[Case]:
    """What fuzzing found: each must be refused with a path, never a traceback."""
    return [
        Case(
            "arrays nested 100,000 deep",
            _raw(HADANO, ("initiatives", 0, "note"), b"[" * 100_000 + b"]" * 100_000),
            "$.initiatives[0].note" + "[0]" * 61,
            ("nested over 64 levels deep", "at most 64 levels"),
        ),
        Case(
            "a lone surrogate in a title",
            _mutated(HADANO, _set(("initiatives", 0, "title"), "手続\ud800")),
            "$.initiatives[0].title",
            ("a lone surrogate U+D800 at character 3", "Unicode text"),
        ),
        Case(
            "a lone surrogate in a department name",
            _mutated(HADANO, _set(("initiatives", 0, "lead_departments", 0), "\udfff課")),
            "$.initiatives[0].lead_departments[0]",
            ('"\\udfff課"', "a lone surrogate U+DFFF at character 1"),
        ),
        Case(
            "NUL in a title",
            _mutated(HADANO, _set(("sections", 0, "title"), "市民\x00")),
            "$.sections[0].title",
            ("the control character U+0000 at character 3", "without control characters"),
        ),
        Case(
            "ESC in a figure text",
            _mutated(HADANO, _set((*TARGET, "text"), "\x1b[31m5%")),
            f"{TARGET_PATH}.text",
            ("U+001B at character 1", "one line of text"),
        ),
        Case(
            "DEL in a department name",
            _mutated(HADANO, _set(("initiatives", 0, "related_departments", 0), "課\x7f")),
            "$.initiatives[0].related_departments[0]",
            ("U+007F at character 2",),
        ),
        Case(
            "a C1 control (NEL) in a long text",
            _mutated(HADANO, _set(("initiatives", 0, "overview"), "概要\x85続き")),
            "$.initiatives[0].overview",
            ("U+0085 at character 3", 'line breaks are "\\n"'),
        ),
        Case(
            "a carriage return in a note",
            _mutated(HADANO, _set(("initiatives", 0, "note"), "一行目\r\n二行目")),
            "$.initiatives[0].note",
            ("U+000D at character 4",),
        ),
        Case(
            "a line break in a title",
            _mutated(HADANO, _set(("initiatives", 0, "title"), "一行目\n二行目")),
            "$.initiatives[0].title",
            ("a line break at character 4", "one line of text, without line breaks"),
        ),
        Case(
            "a trailing newline in an initiative code",
            _mutated(HADANO, _set(("initiatives", 0, "code"), "1-1-(1)\n")),
            "$.initiatives[0].code",
            ('"1-1-(1)\\n"', "a line break at character 8"),
        ),
        Case(
            "a trailing newline in the plan id",
            _mutated(HADANO, _set(("plan", "id"), "hadano-ict-plan\n")),
            "$.plan.id",
            ("a line break at character 16",),
        ),
        Case(
            "a trailing newline in a date",
            _mutated(REFORM, _set(("plan", "published"), "2024-05-15\n")),
            "$.plan.published",
            ('"2024-05-15\\n"', "a line break at character 11"),
        ),
        Case(
            "a year key with a trailing newline next to the same year",
            _mutated(HADANO, _set((*TARGET[:-1], "2021\n"), {"text": "6%", "value": 6})),
            "$.initiatives[1].indicators[0].targets",
            ('the key "2021\\n" (a line break at character 5)',),
        ),
        Case(
            "1e400 as a figure value",
            _raw(HADANO, VALUE, b"1e400"),
            f"{TARGET_PATH}.value",
            ("1E+400 (a number written", "at most 15 significant digits"),
        ),
        Case(
            "a figure value of 21 digits",
            _raw(HADANO, VALUE, b"123456789012345678901"),
            f"{TARGET_PATH}.value",
            ("123456789012345678901", "less than 10^15"),
        ),
        Case(
            "a figure value finer than a millionth",
            _raw(HADANO, VALUE, b"1e-7"),
            f"{TARGET_PATH}.value",
            ("1E-7", "at most 6 digits after the decimal point"),
        ),
        Case(
            "a figure value of 16 significant digits",
            _raw(HADANO, VALUE, b"1234567890.123456"),
            f"{TARGET_PATH}.value",
            ("1234567890.123456", "at most 15 significant digits"),
        ),
        Case(
            "an integer of 4,301 digits",
            _raw(HADANO, VALUE, b"9" * 4301),
            f"{TARGET_PATH}.value",
            ("a whole number of 4301 digits", "at most 30 digits"),
        ),
        Case(
            "Infinity as a figure value",
            _raw(HADANO, VALUE, b"-Infinity"),
            f"{TARGET_PATH}.value",
            ("-Infinity (not a JSON number)", "a finite number"),
        ),
        Case(
            "a fiscal year in exponent form",
            _raw(HADANO, ("plan", "period", "start_fy"), b"2.021e3"),
            "$.plan.period.start_fy",
            ("2021 (a number written with a decimal point or an exponent)", "a whole number"),
        ),
        Case(
            "a fiscal year with a decimal point",
            _raw(HADANO, ("plan", "period", "start_fy"), b"2021.0"),
            "$.plan.period.start_fy",
            ("2021.0 (a number written with a decimal point", "a whole number"),
        ),
        Case(
            "a successor cycle",
            _mutated(HADANO, _successor_cycle),
            "$.initiatives[25].terminated.successor",
            ("a cycle 2-1-(3) → 3-2-(2) → 2-1-(3)", "a chain of successors that ends"),
        ),
        Case(
            "a duplicate key inside an initiative",
            _mutated(HADANO, _set(("initiatives", 3, "code"), RAW)).replace(
                f'"code": "{RAW}"'.encode(), b'"code": "1-4", "code": "1-4"', 1
            ),
            "$.initiatives[3]",
            ('the key "code" twice in one object',),
        ),
        Case(
            "an unknown key of ten million characters",
            _mutated(HADANO, _set(("initiatives", 0, LONG_KEY), 1)),
            '$.initiatives[0]["' + "k" * 37 + '…"]',
            ('the unknown field "' + "k" * 57 + '…"',),
        ),
        Case(
            "a department name longer than its column",
            _mutated(HADANO, _set(("initiatives", 0, "lead_departments", 0), "課" * 201)),
            "$.initiatives[0].lead_departments[0]",
            ("(201 characters)", "at most 200 characters"),
        ),
        Case(
            "a municipality name longer than its column",
            _mutated(HADANO, _set(("municipality", "name"), "秦" * 101)),
            "$.municipality.name",
            ("(101 characters)", "at most 100 characters"),
        ),
        Case(
            "an overview of more than 100,000 characters",
            _mutated(HADANO, _set(("initiatives", 0, "overview"), "あ" * 100_001)),
            "$.initiatives[0].overview",
            ("(100,001 characters)", "at most 100000 characters"),
        ),
        Case(
            "a year key before 1900",
            _mutated(HADANO, _set((*TARGET[:-1], "1899"), {"text": "6%", "value": 6})),
            "$.initiatives[1].indicators[0].targets.1899",
            ("fiscal years must lie between 1900 and 2200 (this is 1899)",),
        ),
        Case(
            "a one-year span key",
            _mutated(HADANO, _set((*TARGET[:-1], "2022-2022"), {"text": "6%", "value": 6})),
            "$.initiatives[1].indicators[0].targets.2022-2022",
            ('a one-year key is written "2022", not as a span',),
        ),
        Case(
            "a uid used twice",
            _mutated(HADANO, _twice_uid),
            "$.initiatives[1].indicators[0].uid",
            (f'"{UID}"', "already at $.initiatives[0].uid"),
        ),
        Case(
            "a uid in upper case",
            _mutated(HADANO, _set(("plan", "uid"), UID.upper())),
            "$.plan.uid",
            ("canonical lower-case form",),
        ),
        Case(
            "a figure unit with a line break",
            _mutated(HADANO, _set((*TARGET, "unit"), "%\n")),
            f"{TARGET_PATH}.unit",
            ("a line break at character 2",),
        ),
    ]


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
            "duplicate glossary term",
            _mutated(
                HADANO,
                _set(
                    ("glossary",),
                    [
                        {"term": "RPA", "explanation": "定型作業の自動化。"},
                        {"term": "AI", "explanation": "人工知能。"},
                        {"term": "RPA", "explanation": "もう一度。"},
                    ],
                ),
            ),
            "$.glossary[2].term",
            ('"RPA"', "a term not used before (already at $.glossary[0])"),
        ),
        Case(
            "glossary entry without explanation",
            _mutated(HADANO, _set(("glossary",), [{"term": "RPA"}])),
            "$.glossary[0].explanation",
            ("the field is missing", "'explanation'"),
        ),
        Case(
            "glossary term of two lines",
            _mutated(HADANO, _set(("glossary",), [{"term": "R\nPA", "explanation": "x"}])),
            "$.glossary[0].term",
            ("a line break at character 2", "without line breaks"),
        ),
        Case(
            "glossary term over 200 characters",
            _mutated(HADANO, _set(("glossary",), [{"term": "語" * 201, "explanation": "x"}])),
            "$.glossary[0].term",
            ("201 characters", "at most 200 characters"),
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
            "$.initiatives[0].indicators[1].targets.2023.value",
            ("NaN (not a JSON number)", "a finite number"),
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
            ('the key "2023-2020"', "a span must not end before it starts (2023 > 2020)"),
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
            ('the unknown field "leader"',),
        ),
        Case(
            "duplicate key in one object",
            full.replace(b'"format": "dxplan-package/1",', b'"format": "x", "format": "y",', 1),
            "$",
            ('the key "format" twice in one object', "each key once"),
        ),
        Case(
            "published date that does not exist",
            _mutated(REFORM, _set(("plan", "published"), "2024-02-30")),
            "$.plan.published",
            ('"2024-02-30"', "a date that exists"),
        ),
        *hardening_cases(),
    ]
