"""Tests of dxplan.fiscal and dxplan.wareki: Japanese fiscal years (年度) as the Western year they
start in, read from and written as 和暦."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxplan.fiscal import MAX_FY, MIN_FY, FiscalSpan, FiscalYearError, fiscal_year_of, parse_fy_key
from dxplan.wareki import (
    format_seireki,
    format_span,
    format_wareki,
    parse_fiscal_span,
    parse_fiscal_year,
)

fiscal_years = st.integers(min_value=MIN_FY, max_value=MAX_FY)


@st.composite
def fiscal_spans(draw: st.DrawFn) -> FiscalSpan:
    a = draw(fiscal_years)
    b = draw(fiscal_years)
    return FiscalSpan(min(a, b), max(a, b))


# --- parse_fiscal_year -------------------------------------------------------------------------


def test_reiwa_gannen_is_2019() -> None:
    assert parse_fiscal_year("令和元年度") == 2019


def test_reiwa_3_is_2021() -> None:
    assert parse_fiscal_year("令和3年度") == 2021


def test_heisei_28_is_2016() -> None:
    assert parse_fiscal_year("平成28年度") == 2016


SINGLE_YEARS = [
    ("令和3年度", 2021),
    ("令和元年度", 2019),
    ("R3", 2021),
    ("R3年度", 2021),
    ("平成28年度", 2016),
    ("H28", 2016),
    ("2021年度", 2021),
    ("2021", 2021),
    ("令和７年度", 2025),
    ("令和3(2021)年度", 2021),
    ("令和3（2021）年度", 2021),
    ("2021(令和3)年度", 2021),
    ("２０２１年度", 2021),
    ("Ｒ３", 2021),
    ("令和 3 年度", 2021),
    ("令和 2（2020）年度", 2020),
    ("平成 28（2016）年度", 2016),
    ("令和三年度", 2021),
    ("平成二十八年度", 2016),
    ("FY2021", 2021),
    ("S54", 1979),
    ("昭和54年度", 1979),
    ("r3", 2021),
    ("（R3）", 2021),
]


@pytest.mark.parametrize(("text", "expected"), SINGLE_YEARS)
def test_every_printed_form_of_a_fiscal_year_is_read(text: str, expected: int) -> None:
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昭和63年度", 1988),
        ("昭和64年度", 1989),
        ("平成元年度", 1989),
        ("平成30年度", 2018),
        ("平成31年度", 2019),
        ("令和元年度", 2019),
        ("大正元年度", 1912),
        ("明治45年度", 1912),
        ("大正15年度", 1926),
        ("昭和元年度", 1926),
    ],
)
def test_era_boundaries_are_read_both_ways(text: str, expected: int) -> None:
    assert parse_fiscal_year(text) == expected


def test_heisei_32_as_printed_before_reiwa_was_announced_is_2020() -> None:
    assert parse_fiscal_year("平成32年度") == 2020


def test_reiwa_99_is_accepted_because_2117_lies_within_1900_to_2200() -> None:
    # The sanity range is on the Western year; 令和99年度 (2117) is inside it, and the round trip
    # format_wareki -> parse_fiscal_year must hold over the whole range.
    assert parse_fiscal_year("令和99年度") == 2117


def test_a_two_digit_western_year_is_rejected() -> None:
    with pytest.raises(FiscalYearError, match="4 digits"):
        parse_fiscal_year("21年度")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("令和0年度", "元"),
        ("R0", "元"),
        ("令和999年度", "between 1900 and 2200"),
        ("明治20年度", "between 1900 and 2200"),
        ("1899年度", "between 1900 and 2200"),
        ("2201", "between 1900 and 2200"),
        ("", "empty"),
        ("   ", "empty"),
        ("令和3年", "calendar year"),
        ("令和3(2020)年度", "disagree"),
        ("2020(令和3)年度", "disagree"),
        ("R3～R5", "not a span"),
        ("年度", "expected"),
        ("令和年度", "expected"),
        ("来年度", "expected"),
        ("X3", "expected"),
        ("令和3.5年度", "expected"),
        ("令和十十年度", "expected"),
    ],
)
def test_nonsense_is_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(FiscalYearError, match=reason):
        parse_fiscal_year(text)


def test_the_error_quotes_the_text_and_says_what_was_expected() -> None:
    with pytest.raises(FiscalYearError) as caught:
        parse_fiscal_year("令和0年度")
    message = str(caught.value)
    assert "'令和0年度'" in message
    assert "令和元年度" in message
    assert caught.value.text == "令和0年度"


def test_the_error_is_a_value_error() -> None:
    assert issubclass(FiscalYearError, ValueError)
    with pytest.raises(ValueError, match="expected"):
        parse_fiscal_year("いつか")


# --- parse_fiscal_span -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("H28～R5", 2016, 2023),
        ("令和2～5年度", 2020, 2023),
        ("令和2年度～令和5年度", 2020, 2023),
        ("令和2年度～5年度", 2020, 2023),
        ("令和 2年度～5年度", 2020, 2023),
        ("令和2～5\n\n年度", 2020, 2023),
        ("2020-2023", 2020, 2023),
        ("2020～2023年度", 2020, 2023),
        ("2020年度～2023年度", 2020, 2023),
        ("2017年度～2023年度", 2017, 2023),
        ("R2-R5", 2020, 2023),
        ("R2-5", 2020, 2023),
        ("R2〜R5", 2020, 2023),
        ("R2－R5", 2020, 2023),
        ("平成28年度から令和5年度まで", 2016, 2023),
        ("平成28年度から令和5年度", 2016, 2023),
        ("（H28～R5）", 2016, 2023),
        ("（R4～R5)", 2022, 2023),
        ("（R1～\nR5）", 2019, 2023),
        ("S54～R3", 1979, 2021),
        ("平成28～令和5年度", 2016, 2023),
        ("令和3(2021)～令和5(2023)年度", 2021, 2023),
        ("R3～R3", 2021, 2021),
    ],
)
def test_every_printed_form_of_a_span_is_read(text: str, start: int, end: int) -> None:
    assert parse_fiscal_span(text) == FiscalSpan(start, end)


@pytest.mark.parametrize(("text", "expected"), SINGLE_YEARS)
def test_a_single_year_is_a_span_of_one_year(text: str, expected: int) -> None:
    span = parse_fiscal_span(text)
    assert span == FiscalSpan(expected, expected)
    assert span.key == str(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("R3～R1", "must not end before it starts"),
        ("令和5～2年度", "must not end before it starts"),
        ("2023-2020", "must not end before it starts"),
        ("", "empty"),
        ("R3～", "span"),
        ("～R3", "span"),
        ("R1～R2～R3", "span"),
        ("令和2年度から", "span"),
        ("令和5年度まで", "span"),
        ("2020-23", "4-digit"),
        ("令和0～5年度", "元"),
        ("令和2～0年度", "元"),
        ("令和2年～令和5年", "calendar year"),
        ("R2～2201年度", "between 1900 and 2200"),
        ("R2～R999", "between 1900 and 2200"),
    ],
)
def test_bad_spans_are_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(FiscalYearError, match=reason):
        parse_fiscal_span(text)


def test_an_era_carries_over_only_to_a_bare_number() -> None:
    assert parse_fiscal_span("平成30～令和2年度") == FiscalSpan(2018, 2020)
    assert parse_fiscal_span("平成28～30年度") == FiscalSpan(2016, 2018)


# --- FiscalSpan --------------------------------------------------------------------------------


def test_a_span_key_is_the_start_and_end_year() -> None:
    assert FiscalSpan(2020, 2023).key == "2020-2023"


def test_a_one_year_span_key_is_the_year() -> None:
    assert FiscalSpan(2021, 2021).key == "2021"
    assert FiscalSpan.single(2021).key == "2021"


def test_years_iterates_every_year_of_the_span_in_order() -> None:
    span = FiscalSpan(2020, 2023)
    assert list(span.years) == [2020, 2021, 2022, 2023]
    assert len(span.years) == 4
    assert 2022 in span.years
    assert 2024 not in span.years


def test_a_span_prints_as_its_key() -> None:
    assert str(FiscalSpan(2016, 2023)) == "2016-2023"


def test_spans_sort_by_start_then_end() -> None:
    spans = [FiscalSpan(2021, 2021), FiscalSpan(2020, 2023), FiscalSpan(2020, 2020)]
    assert sorted(spans) == [FiscalSpan(2020, 2020), FiscalSpan(2020, 2023), FiscalSpan(2021, 2021)]


def test_a_span_is_frozen_and_hashable() -> None:
    span = FiscalSpan(2020, 2023)
    with pytest.raises(AttributeError):
        span.start_fy = 2019  # type: ignore[misc]
    assert {span: "x"}[FiscalSpan(2020, 2023)] == "x"


def test_a_reversed_span_cannot_be_made() -> None:
    with pytest.raises(FiscalYearError, match="must not end before it starts"):
        FiscalSpan(2023, 2020)


def test_a_span_out_of_range_cannot_be_made() -> None:
    with pytest.raises(FiscalYearError, match="between 1900 and 2200"):
        FiscalSpan(1899, 2020)
    with pytest.raises(FiscalYearError, match="between 1900 and 2200"):
        FiscalSpan(2020, 2201)


@pytest.mark.parametrize("bad", ["2020", 2020.0, True])
def test_a_span_of_non_integers_cannot_be_made(bad: object) -> None:
    with pytest.raises(TypeError):
        FiscalSpan(bad, 2023)  # type: ignore[arg-type]


def test_is_single_tells_one_year_from_a_span() -> None:
    assert FiscalSpan(2021, 2021).is_single
    assert not FiscalSpan(2021, 2022).is_single


# --- parse_fy_key ------------------------------------------------------------------------------


def test_a_one_year_key_is_read() -> None:
    assert parse_fy_key("2021") == FiscalSpan(2021, 2021)


def test_a_span_key_is_read() -> None:
    assert parse_fy_key("2020-2023") == FiscalSpan(2020, 2023)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("21", "package key"),
        ("02021", "package key"),
        ("2021 ", "package key"),
        (" 2021", "package key"),
        ("２０２１", "package key"),
        ("2020～2023", "package key"),
        ("2020-23", "package key"),
        ("2020-", "package key"),
        ("R3", "package key"),
        ("2021年度", "package key"),
        ("", "package key"),
        ("2023-2020", "must not end before it starts"),
        ("2021-2021", "one-year key"),
        ("1899", "between 1900 and 2200"),
        ("2199-2201", "between 1900 and 2200"),
    ],
)
def test_a_key_is_strict(key: str, reason: str) -> None:
    with pytest.raises(FiscalYearError, match=reason):
        parse_fy_key(key)


# --- format_wareki / format_seireki / format_span ----------------------------------------------


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2021, "令和3年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
        (1926, "昭和元年度"),
        (1925, "大正14年度"),
        (1912, "大正元年度"),
        (1911, "明治44年度"),
        (1900, "明治33年度"),
        (2200, "令和182年度"),
    ],
)
def test_format_wareki_names_the_era_of_the_fiscal_year(fy: int, expected: str) -> None:
    assert format_wareki(fy) == expected


@pytest.mark.parametrize("fy", [1899, 2201])
def test_format_wareki_refuses_years_out_of_range(fy: int) -> None:
    with pytest.raises(FiscalYearError, match="between 1900 and 2200"):
        format_wareki(fy)


def test_format_seireki_writes_the_western_year() -> None:
    assert format_seireki(2021) == "2021年度"


def test_format_seireki_refuses_years_out_of_range() -> None:
    with pytest.raises(FiscalYearError):
        format_seireki(2201)


@pytest.mark.parametrize(
    ("span", "wareki", "seireki"),
    [
        (FiscalSpan(2021, 2021), "令和3年度", "2021年度"),
        (FiscalSpan(2020, 2023), "令和2～5年度", "2020～2023年度"),
        (FiscalSpan(2016, 2023), "平成28～令和5年度", "2016～2023年度"),
        (FiscalSpan(2019, 2020), "令和元～2年度", "2019～2020年度"),
        (FiscalSpan(1988, 1989), "昭和63～平成元年度", "1988～1989年度"),
    ],
)
def test_format_span_writes_both_styles(span: FiscalSpan, wareki: str, seireki: str) -> None:
    assert format_span(span) == wareki
    assert format_span(span, style="wareki") == wareki
    assert format_span(span, style="seireki") == seireki


def test_format_span_refuses_an_unknown_style() -> None:
    with pytest.raises(ValueError, match="style"):
        format_span(FiscalSpan(2021, 2021), style="kanji")  # type: ignore[arg-type]


# --- fiscal_year_of ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2021, 4, 1), 2021),
        (datetime.date(2022, 3, 31), 2021),
        (datetime.date(2022, 1, 1), 2021),
        (datetime.date(2021, 12, 31), 2021),
        (datetime.date(2021, 3, 31), 2020),
        (datetime.date(2024, 5, 15), 2024),
    ],
)
def test_april_first_starts_a_fiscal_year(date: datetime.date, expected: int) -> None:
    assert fiscal_year_of(date) == expected


def test_a_datetime_is_a_date_too() -> None:
    assert fiscal_year_of(datetime.datetime(2022, 3, 31, 23, 59)) == 2021


# --- properties --------------------------------------------------------------------------------


@settings(database=None)
@given(fiscal_years)
def test_format_wareki_then_parse_fiscal_year_is_identity(fy: int) -> None:
    assert parse_fiscal_year(format_wareki(fy)) == fy


@settings(database=None)
@given(fiscal_years)
def test_format_seireki_then_parse_fiscal_year_is_identity(fy: int) -> None:
    assert parse_fiscal_year(format_seireki(fy)) == fy


@settings(database=None)
@given(fiscal_spans(), st.sampled_from(["wareki", "seireki"]))
def test_parse_fiscal_span_of_format_span_is_identity(span: FiscalSpan, style: str) -> None:
    assert style in ("wareki", "seireki")
    text = format_span(span, style="wareki" if style == "wareki" else "seireki")
    assert parse_fiscal_span(text) == span


@settings(database=None)
@given(fiscal_spans())
def test_parse_fy_key_of_a_key_is_identity(span: FiscalSpan) -> None:
    assert parse_fy_key(span.key) == span


@settings(database=None)
@given(st.dates(min_value=datetime.date(1900, 4, 1), max_value=datetime.date(2201, 3, 31)))
def test_a_date_lies_within_its_fiscal_year(date: datetime.date) -> None:
    fy = fiscal_year_of(date)
    assert datetime.date(fy, 4, 1) <= date <= datetime.date(fy + 1, 3, 31)
