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
            ("64段を超えて入れ子", "入れ子が64段以内"),
        ),
        Case(
            "a lone surrogate in a title",
            _mutated(HADANO, _set(("initiatives", 0, "title"), "手続\ud800")),
            "$.initiatives[0].title",
            ("3文字目に対になっていないサロゲート U+D800", "Unicodeの文字"),
        ),
        Case(
            "a lone surrogate in a department name",
            _mutated(HADANO, _set(("initiatives", 0, "lead_departments", 0), "\udfff課")),
            "$.initiatives[0].lead_departments[0]",
            ('"\\udfff課"', "1文字目に対になっていないサロゲート U+DFFF"),
        ),
        Case(
            "NUL in a title",
            _mutated(HADANO, _set(("sections", 0, "title"), "市民\x00")),
            "$.sections[0].title",
            ("3文字目に制御文字 U+0000", "制御文字を含まない"),
        ),
        Case(
            "ESC in a figure text",
            _mutated(HADANO, _set((*TARGET, "text"), "\x1b[31m5%")),
            f"{TARGET_PATH}.text",
            ("1文字目に制御文字 U+001B", "1行の文字列"),
        ),
        Case(
            "DEL in a department name",
            _mutated(HADANO, _set(("initiatives", 0, "related_departments", 0), "課\x7f")),
            "$.initiatives[0].related_departments[0]",
            ("2文字目に制御文字 U+007F",),
        ),
        Case(
            "a C1 control (NEL) in a long text",
            _mutated(HADANO, _set(("initiatives", 0, "overview"), "概要\x85続き")),
            "$.initiatives[0].overview",
            ("3文字目に制御文字 U+0085", "改行とタブは使えます"),
        ),
        Case(
            "a carriage return in a note",
            _mutated(HADANO, _set(("initiatives", 0, "note"), "一行目\r\n二行目")),
            "$.initiatives[0].note",
            ("4文字目に制御文字 U+000D",),
        ),
        Case(
            "a line break in a title",
            _mutated(HADANO, _set(("initiatives", 0, "title"), "一行目\n二行目")),
            "$.initiatives[0].title",
            ("4文字目に改行", "改行を含まない1行の文字列"),
        ),
        Case(
            "a trailing newline in an initiative code",
            _mutated(HADANO, _set(("initiatives", 0, "code"), "1-1-(1)\n")),
            "$.initiatives[0].code",
            ('"1-1-(1)\\n"', "8文字目に改行"),
        ),
        Case(
            "a trailing newline in the plan id",
            _mutated(HADANO, _set(("plan", "id"), "hadano-ict-plan\n")),
            "$.plan.id",
            ("16文字目に改行",),
        ),
        Case(
            "a trailing newline in a date",
            _mutated(REFORM, _set(("plan", "published"), "2024-05-15\n")),
            "$.plan.published",
            ('"2024-05-15\\n"', "11文字目に改行"),
        ),
        Case(
            "a year key with a trailing newline next to the same year",
            _mutated(HADANO, _set((*TARGET[:-1], "2021\n"), {"text": "6%", "value": 6})),
            "$.initiatives[1].indicators[0].targets",
            ('キー "2021\\n"（5文字目に改行）',),
        ),
        Case(
            "1e400 as a figure value",
            _raw(HADANO, VALUE, b"1e400"),
            f"{TARGET_PATH}.value",
            ("1E+400（小数点または指数で書かれた数値）", "有効数字15桁以内"),
        ),
        Case(
            "a figure value of 21 digits",
            _raw(HADANO, VALUE, b"123456789012345678901"),
            f"{TARGET_PATH}.value",
            ("123456789012345678901", "10の15乗未満"),
        ),
        Case(
            "a figure value finer than a millionth",
            _raw(HADANO, VALUE, b"1e-7"),
            f"{TARGET_PATH}.value",
            ("1E-7", "小数点以下6桁以内"),
        ),
        Case(
            "a figure value of 16 significant digits",
            _raw(HADANO, VALUE, b"1234567890.123456"),
            f"{TARGET_PATH}.value",
            ("1234567890.123456", "有効数字15桁以内"),
        ),
        Case(
            "an integer of 4,301 digits",
            _raw(HADANO, VALUE, b"9" * 4301),
            f"{TARGET_PATH}.value",
            ("4301桁の整数", "30桁以内の整数"),
        ),
        Case(
            "Infinity as a figure value",
            _raw(HADANO, VALUE, b"-Infinity"),
            f"{TARGET_PATH}.value",
            ("-Infinity（JSONの数値ではありません）", "有限の数値"),
        ),
        Case(
            "a fiscal year in exponent form",
            _raw(HADANO, ("plan", "period", "start_fy"), b"2.021e3"),
            "$.plan.period.start_fy",
            ("2021（小数点または指数で書かれた数値）", "整数"),
        ),
        Case(
            "a fiscal year with a decimal point",
            _raw(HADANO, ("plan", "period", "start_fy"), b"2021.0"),
            "$.plan.period.start_fy",
            ("2021.0（小数点または指数で書かれた数値）", "整数"),
        ),
        Case(
            "a successor cycle",
            _mutated(HADANO, _successor_cycle),
            "$.initiatives[25].terminated.successor",
            ("2-1-(3) → 3-2-(2) → 2-1-(3) と循環します", "終わりのある後継のつながり"),
        ),
        Case(
            "a duplicate key inside an initiative",
            _mutated(HADANO, _set(("initiatives", 3, "code"), RAW)).replace(
                f'"code": "{RAW}"'.encode(), b'"code": "1-4", "code": "1-4"', 1
            ),
            "$.initiatives[3]",
            ('一つのオブジェクトに二度現れるキー "code"',),
        ),
        Case(
            "an unknown key of ten million characters",
            _mutated(HADANO, _set(("initiatives", 0, LONG_KEY), 1)),
            '$.initiatives[0]["' + "k" * 37 + '…"]',
            ('不明な項目 "' + "k" * 57 + '…"',),
        ),
        Case(
            "a department name longer than its column",
            _mutated(HADANO, _set(("initiatives", 0, "lead_departments", 0), "課" * 201)),
            "$.initiatives[0].lead_departments[0]",
            ("（201文字）", "200文字以内"),
        ),
        Case(
            "a municipality name longer than its column",
            _mutated(HADANO, _set(("municipality", "name"), "秦" * 101)),
            "$.municipality.name",
            ("（101文字）", "100文字以内"),
        ),
        Case(
            "an overview of more than 100,000 characters",
            _mutated(HADANO, _set(("initiatives", 0, "overview"), "あ" * 100_001)),
            "$.initiatives[0].overview",
            ("（100,001文字）", "100,000文字以内"),
        ),
        Case(
            "a year key before 1900",
            _mutated(HADANO, _set((*TARGET[:-1], "1899"), {"text": "6%", "value": 6})),
            "$.initiatives[1].indicators[0].targets.1899",
            ("1900〜2200年度の年度",),
        ),
        Case(
            "a one-year span key",
            _mutated(HADANO, _set((*TARGET[:-1], "2022-2022"), {"text": "6%", "value": 6})),
            "$.initiatives[1].indicators[0].targets.2022-2022",
            ("1年度だけのキーは「2022」",),
        ),
        Case(
            "a uid used twice",
            _mutated(HADANO, _twice_uid),
            "$.initiatives[1].indicators[0].uid",
            (f'"{UID}"', "$.initiatives[0].uid で使われています"),
        ),
        Case(
            "a uid in upper case",
            _mutated(HADANO, _set(("plan", "uid"), UID.upper())),
            "$.plan.uid",
            ("小文字のUUID",),
        ),
        Case(
            "a figure unit with a line break",
            _mutated(HADANO, _set((*TARGET, "unit"), "%\n")),
            f"{TARGET_PATH}.unit",
            ("2文字目に改行",),
        ),
    ]


def cases() -> list[Case]:
    """Every malformed package of the issue's list, and a few more."""
    hadano = load_demo_package(HADANO)
    full = _bytes(hadano)
    return [
        Case("truncated JSON", full[: len(full) // 2], "$", ("正しいJSON", "行")),
        Case("empty file", b"", "$", ("空のファイル",)),
        Case("only white space", b"  \n\t\n", "$", ("空のファイル",)),
        Case(
            "not UTF-8 (Shift_JIS)",
            json.dumps(hadano, ensure_ascii=False).encode("cp932", errors="replace"),
            "$",
            ("UTF-8ではありません", "UTF-8で書かれたファイル"),
        ),
        Case("not an object", b"[1, 2, 3]", "$", ("配列", "計画パッケージ")),
        Case(
            "wrong format version",
            _mutated(HADANO, _set(("format",), "dxplan-package/2")),
            "$.format",
            ('"dxplan-package/2"', "対応している唯一の形式"),
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
            ('"東京都"', "「神奈川県」"),
        ),
        Case(
            "unknown section",
            _mutated(HADANO, _set(("initiatives", 0, "section"), "9-9")),
            "$.initiatives[0].section",
            ('"9-9"', "計画の区分のコード"),
        ),
        Case(
            "duplicate initiative code",
            _mutated(HADANO, _set(("initiatives", 1, "code"), "1-1-(1)")),
            "$.initiatives[1].code",
            ('"1-1-(1)"', "$.initiatives[0] で使われています"),
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
            ('"RPA"', "まだ使われていない用語（$.glossary[0] にあります）"),
        ),
        Case(
            "glossary entry without explanation",
            _mutated(HADANO, _set(("glossary",), [{"term": "RPA"}])),
            "$.glossary[0].explanation",
            ("項目がありません", "「explanation」"),
        ),
        Case(
            "glossary term of two lines",
            _mutated(HADANO, _set(("glossary",), [{"term": "R\nPA", "explanation": "x"}])),
            "$.glossary[0].term",
            ("2文字目に改行", "改行を含まない1行の文字列"),
        ),
        Case(
            "glossary term over 200 characters",
            _mutated(HADANO, _set(("glossary",), [{"term": "語" * 201, "explanation": "x"}])),
            "$.glossary[0].term",
            ("201文字", "200文字以内"),
        ),
        Case(
            "duplicate section code",
            _mutated(HADANO, _set(("sections", 2, "code"), "1-1")),
            "$.sections[2].code",
            ('"1-1"', "$.sections[1] で使われています"),
        ),
        Case(
            "a number that is not a number",
            _mutated(
                HADANO,
                _set(("initiatives", 0, "indicators", 1, "targets", "2023", "value"), "29"),
            ),
            "$.initiatives[0].indicators[1].targets.2023.value",
            ('"29"（文字列）', "数値（文字列が数値でないときはnull）"),
        ),
        Case(
            "NaN instead of a number",
            full.replace(b'"value": 29', b'"value": NaN', 1),
            "$.initiatives[0].indicators[1].targets.2023.value",
            ("NaN（JSONの数値ではありません）", "有限の数値"),
        ),
        Case(
            "a year key that is not a year",
            _mutated(
                HADANO, _rename_key(("initiatives", 0, "indicators", 1, "targets"), "2023", "R5")
            ),
            "$.initiatives[0].indicators[1].targets",
            ('キー "R5"', "2021 のような年度"),
        ),
        Case(
            "a fiscal year out of range",
            _mutated(REFORM, _set(("initiatives", 0, "goals", 0, "target_fy"), 20230)),
            "$.initiatives[0].goals[0].target_fy",
            ("20230", "西暦の年度を表す1900〜2200の整数"),
        ),
        Case(
            "a fiscal year written as text",
            _mutated(HADANO, _set(("plan", "period", "start_fy"), "令和3年度")),
            "$.plan.period.start_fy",
            ('"令和3年度"（文字列）', "西暦の年度を表す1900〜2200の整数"),
        ),
        Case(
            "a reversed span key",
            _mutated(REFORM, _rename_key(("initiatives", 0, "results"), "2020-2023", "2023-2020")),
            "$.initiatives[0].results.2023-2020",
            ('キー "2023-2020"', "開始が終了より前の期間（2020-2023）"),
        ),
        Case(
            "unknown successor",
            _mutated(HADANO, _set(("initiatives", 25, "terminated", "successor"), "9-9-(9)")),
            "$.initiatives[25].terminated.successor",
            ('"9-9-(9)"', "計画のほかの取組"),
        ),
        Case(
            "missing plan id",
            _mutated(HADANO, _delete(("plan", "id"))),
            "$.plan.id",
            ("項目がありません",),
        ),
        Case(
            "section cycle",
            _mutated(HADANO, _cycle),
            "$.sections[0].parent",
            ("1 → 1-1 → 1 の循環", "区分は自分自身の上位になれません"),
        ),
        Case(
            "reversed plan period",
            _mutated(HADANO, _set(("plan", "period"), {"start_fy": 2025, "end_fy": 2021})),
            "$.plan.period",
            ("開始年度 2025 が終了年度 2021 より後", "開始年度が終了年度以前の期間"),
        ),
        Case(
            "field of the wrong type",
            _mutated(HADANO, _set(("initiatives", 0, "lead_departments"), "デジタル推進課")),
            "$.initiatives[0].lead_departments",
            ('"デジタル推進課"（文字列）', "配列"),
        ),
        Case(
            "verdict outside the achievement scale",
            _mutated(REFORM, _set(("initiatives", 0, "goals", 0, "achievement"), "A")),
            "$.initiatives[0].goals[0].achievement",
            ('"A"', "達成、一部未達成、未達成"),
        ),
        Case(
            "status outside the progress scale",
            _mutated(HADANO, _set(("initiatives", 0, "activities", 0, "status"), {"2021": "順調"})),
            "$.initiatives[0].activities[0].status.2021",
            ('"順調"', "済、概ね順調、遅れ、未着手、休止"),
        ),
        Case(
            "unknown field",
            _mutated(HADANO, _set(("initiatives", 0, "leader"), "デジタル推進課")),
            "$.initiatives[0].leader",
            ('不明な項目 "leader"',),
        ),
        Case(
            "duplicate key in one object",
            full.replace(b'"format": "dxplan-package/1",', b'"format": "x", "format": "y",', 1),
            "$",
            ('一つのオブジェクトに二度現れるキー "format"', "一度だけ現れるキー"),
        ),
        Case(
            "published date that does not exist",
            _mutated(REFORM, _set(("plan", "published"), "2024-02-30")),
            "$.plan.published",
            ('"2024-02-30"', "実在する日付"),
        ),
        *hardening_cases(),
    ]
