"""Input hardening of plan packages: what fuzzing found is refused with a path, no traceback."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest

from dxplan import fiscal
from dxplan.interchange.errors import PackageError
from dxplan.interchange.reading import nesting_problem, parse_package_bytes
from dxplan.plans.package.validation import package_schema, validate_package
from dxplan.plans.package.values import (
    DECIMAL_PLACES,
    MAX_DEPTH,
    SIGNIFICANT_DIGITS,
    number_problem,
)
from dxplan.problems import shown

from support import ROOT, ensure_valid, load_demo_package

HADANO = "hadano-ict-plan"
FORMAT_MD = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")


def _paths(doc: Any) -> list[str]:
    return [p.path for p in validate_package(doc)]


def _schema_nodes(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_schema_nodes(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_schema_nodes(value))
    return found


def test_the_schema_fiscal_year_bounds_are_those_of_dxplan_fiscal() -> None:
    fiscal_year = package_schema()["$defs"]["fiscal_year"]
    assert (fiscal_year["minimum"], fiscal_year["maximum"]) == (fiscal.MIN_FY, fiscal.MAX_FY)
    assert f"{fiscal.MIN_FY}〜{fiscal.MAX_FY}の整数" in fiscal_year["x-expected"]


def test_every_string_of_the_schema_has_a_length_limit_and_a_text_rule() -> None:
    for node in _schema_nodes(package_schema()):
        types = node.get("type")
        if types == "string" or (isinstance(types, list) and "string" in types):
            assert isinstance(node.get("maxLength"), int), node
            assert node.get("x-text") in ("line", "lines"), node


def test_the_limits_are_named_in_format_md() -> None:
    limits = FORMAT_MD[FORMAT_MD.index("## Limits") :]
    lengths = {node["maxLength"] for node in _schema_nodes(package_schema()) if "maxLength" in node}
    for length in lengths:
        assert f"{length:,}" in limits, length
    for number in (MAX_DEPTH, 30, SIGNIFICANT_DIGITS, DECIMAL_PLACES):
        assert str(number) in limits


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (0, True),
        (Decimal("-0.0"), True),
        (999_999_999_999_999, True),
        (10**15, False),
        (Decimal("1E+15"), False),
        (Decimal("123456789.123456"), True),
        (Decimal("1234567890.123456"), False),
        (Decimal("0.000001"), True),
        (Decimal("1E-7"), False),
        (Decimal("1.0000000"), True),
        (Decimal("1E+400"), False),
        (Decimal("Infinity"), False),
        (Decimal("NaN"), False),
        (0.1, True),
        (1e-4, True),
        (54.4, True),
        (float("inf"), False),
        (float("nan"), False),
        (10**5000, False),
    ],
    ids=lambda v: shown(v) if not isinstance(v, bool) else str(v),
)
def test_a_figure_value_has_at_most_15_significant_digits_and_6_decimal_places(
    value: int | float | Decimal, accepted: bool
) -> None:
    assert (number_problem(value) is None) == accepted


def test_arrays_nested_64_deep_are_read_and_65_deep_are_refused_at_their_path() -> None:
    assert nesting_problem("[" * MAX_DEPTH + "]" * MAX_DEPTH) is None
    problem = nesting_problem('{"a": [1, {"b": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}]}")
    assert problem is not None
    assert problem.path == "$.a[1].b" + "[0]" * (MAX_DEPTH - 3)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = json.dumps({"note": "[" * 1000 + '\\"{' * 1000})
    assert nesting_problem(text) is None


def test_a_document_built_in_python_nested_10000_deep_is_refused_without_recursion() -> None:
    doc = load_demo_package(HADANO)
    deep: list[Any] = []
    doc["initiatives"][0]["note"] = deep
    for _ in range(10_000):
        deep.append([])
        deep = deep[0]
    [problem] = validate_package(doc)
    assert problem.path == "$.initiatives[0].note" + "[0]" * 61
    assert "入れ子が64段以内" in problem.expected


def test_an_integer_of_30_digits_is_read_and_one_of_31_is_refused() -> None:
    assert parse_package_bytes(b'{"a": ' + b"9" * 30 + b"}", "x.json") == {"a": int("9" * 30)}
    with pytest.raises(PackageError, match=r"\$\.a：31桁の整数"):
        parse_package_bytes(b'{"a": ' + b"9" * 31 + b"}", "x.json")


def test_numbers_with_a_fraction_or_an_exponent_are_read_exactly() -> None:
    doc = parse_package_bytes(b'{"a": [0.1, 1e-4, 2.021e3, 54.40]}', "x.json")
    assert doc == {"a": [Decimal("0.1"), Decimal("0.0001"), Decimal("2021"), Decimal("54.40")]}


def test_every_offender_of_one_file_is_reported_with_its_path() -> None:
    data = b'{"a": NaN, "b": {"c": 1, "c": 2}, "d": [Infinity]}'
    with pytest.raises(PackageError) as caught:
        parse_package_bytes(data, "x.json")
    assert [str(p) for p in caught.value.problems] == [
        "$.a：NaN（JSONの数値ではありません）（有限の数値）",
        '$.b：一つのオブジェクトに二度現れるキー "c"（一度だけ現れるキー）',
        "$.d[0]：Infinity（JSONの数値ではありません）（有限の数値）",
    ]


def test_non_finite_and_non_whole_numbers_from_python_are_refused_too() -> None:
    doc = load_demo_package(HADANO)
    targets = doc["initiatives"][1]["indicators"][0]["targets"]
    targets["2021"]["value"] = float("nan")
    targets["2022"]["value"] = float("-inf")
    assert _paths(doc) == [
        "$.initiatives[1].indicators[0].targets.2021.value",
        "$.initiatives[1].indicators[0].targets.2022.value",
    ]
    doc = load_demo_package(HADANO)
    doc["plan"]["period"]["start_fy"] = 2021.0
    [problem] = validate_package(doc)
    assert problem.path == "$.plan.period.start_fy"
    assert "整数" in problem.expected


def test_a_demo_package_read_from_bytes_holds_decimals_and_is_valid() -> None:
    data = json.dumps(load_demo_package(HADANO), ensure_ascii=False).encode()
    doc = parse_package_bytes(data, "x.json")
    assert doc["initiatives"][2]["indicators"][0]["targets"]["2021"]["value"] == Decimal("54.4")
    assert validate_package(doc) == []


@pytest.mark.parametrize("field", ["overview", "aims", "note"])
def test_long_texts_may_hold_line_breaks_and_tabs(field: str) -> None:
    doc = load_demo_package(HADANO)
    doc["initiatives"][0][field] = "一\n\t二"
    assert validate_package(doc) == []


@pytest.mark.parametrize("text", ["一\n二", "一\t二", "一\r二", "一\x9f"])
def test_a_title_is_one_line_without_control_characters(text: str) -> None:
    doc = load_demo_package(HADANO)
    doc["initiatives"][0]["title"] = text
    assert _paths(doc) == ["$.initiatives[0].title"]


def test_a_message_about_a_lone_surrogate_can_be_printed() -> None:
    doc = load_demo_package(HADANO)
    doc["municipality"]["name"] = "秦野\udc80市"
    with pytest.raises(PackageError) as caught:
        ensure_valid(doc, "x.json")
    summary = caught.value.summary()
    summary.encode("utf-8")  # no UnicodeEncodeError
    assert "\\udc80" in summary


def test_an_unknown_key_of_ten_million_characters_is_not_echoed_whole() -> None:
    doc = load_demo_package(HADANO)
    doc["plan"]["x" * 10_000_000] = 1
    with pytest.raises(PackageError) as caught:
        ensure_valid(doc, "x.json")
    assert len(caught.value.summary()) < 300


def test_shown_values_are_short_printable_and_one_line() -> None:
    assert shown("\x00\n\u2028\ud800") == '"\\u0000\\n\\u2028\\ud800"'
    assert shown(10**5000) == "a whole number of over 60 digits"
    assert shown(Decimal("1E+400")) == "1E+400"
    assert len(shown("あ" * 1000)) == 60
    assert re.fullmatch(r"\[\[\[.*…", shown([[[["x" * 100]]]]))


def test_uids_and_figure_units_are_accepted() -> None:
    doc = load_demo_package(HADANO)
    uids = iter(f"00000000-0000-4000-8000-{n:012x}" for n in range(10_000))
    doc["plan"]["uid"] = next(uids)
    for section in doc["sections"]:
        section["uid"] = next(uids)
    for item in doc["initiatives"]:
        item["uid"] = next(uids)
        for name in ("activities", "indicators", "goals"):
            for child in item.get(name, []):
                child["uid"] = next(uids)
        for indicator in item.get("indicators", []):
            for figure in indicator.get("targets", {}).values():
                if "unit" in indicator:
                    figure["unit"] = indicator["unit"]  # the same unit, stated on the figure
    assert validate_package(doc) == []


def test_a_uid_is_unique_across_kinds_of_objects() -> None:
    doc = load_demo_package(HADANO)
    uid = "0f8fad5b-d9cb-469f-a165-70867728950e"
    doc["sections"][1]["uid"] = uid
    doc["initiatives"][0]["activities"][0]["uid"] = uid
    [problem] = validate_package(doc)
    assert problem.path == "$.initiatives[0].activities[0].uid"
    assert problem.expected.endswith("（$.sections[1].uid で使われています）")


def test_an_initiative_that_succeeds_itself_through_three_others_is_refused() -> None:
    doc = load_demo_package(HADANO)
    codes = [item["code"] for item in doc["initiatives"][:3]]
    for index, successor in enumerate([*codes[1:], codes[0]]):
        doc["initiatives"][index]["terminated"] = {"reason": None, "successor": successor}
    [problem] = validate_package(doc)
    assert problem.path == "$.initiatives[0].terminated.successor"
    assert problem.found.endswith(" → ".join([*codes, codes[0]]) + " と循環します）")
