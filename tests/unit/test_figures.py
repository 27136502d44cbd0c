"""Tests of dxplan.figures: figure strings as printed in plans, read into values.

The corpus tests/data/figures.tsv holds every figure-like string of the five seed documents
(targets, actuals, baselines, results, fiscal effects, survey percentages, counts, durations,
rates, dashes and word targets) and every figure text of the reference packages, each once, with
the value a careful reader gives it.  Its columns: text, value, unit, op, per, seed.  ``text`` is
the string as printed, layout line breaks removed (so spaces and full-width characters are kept:
"29 手続", "１００％"); the reference packages' texts are their NFKC forms ("29手続", "100%").
``seed`` is the seed file the string comes from.  ``value`` is written ``3`` for an int and
``3.0`` for a float; an empty cell is None.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxplan.figures import (
    OPS,
    PERS,
    Figure,
    FigureError,
    contradiction,
    convert,
    format_figure,
    op_contradiction,
    parse_figure,
    value_contradiction,
)

CORPUS_PATH = Path(__file__).resolve().parent.parent / "data" / "figures.tsv"
SEED_FILES = {
    "000_ce11f190f9c8225e.txt",
    "001_5b993dc6e4c545ce.txt",
    "002_361ab3b7e12833a1.txt",
    "003_b774b5e0510156c9.txt",
    "004_ed25a29f9a7a9059.txt",
}


class Row(NamedTuple):
    line: int
    text: str
    value: int | float | None
    unit: str | None
    op: str | None
    per: str | None
    seed: str


def _value(cell: str) -> int | float | None:
    if cell == "":
        return None
    return float(cell) if "." in cell else int(cell)


def _load_corpus() -> list[Row]:
    with CORPUS_PATH.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader)
        assert header == ["text", "value", "unit", "op", "per", "seed"]
        return [
            Row(
                line=number,
                text=text,
                value=_value(value),
                unit=unit or None,
                op=op or None,
                per=per or None,
                seed=seed,
            )
            for number, (text, value, unit, op, per, seed) in enumerate(reader, start=2)
        ]


CORPUS = _load_corpus()


def _fields(fig: Figure) -> tuple[object, ...]:
    """What a figure says, with the number's type (1 and 1.0 differ)."""
    return (fig.value, type(fig.value), fig.unit, fig.op, fig.per)


# --- the corpus --------------------------------------------------------------------------------


@pytest.mark.parametrize("row", CORPUS, ids=[f"L{row.line}:{row.text}" for row in CORPUS])
def test_every_corpus_figure_parses_as_a_careful_reader_would(row: Row) -> None:
    fig = parse_figure(row.text)
    assert fig == Figure(text=row.text, value=row.value, unit=row.unit, op=row.op, per=row.per)
    assert type(fig.value) is type(row.value)


@pytest.mark.parametrize("row", CORPUS, ids=[f"L{row.line}:{row.text}" for row in CORPUS])
def test_every_corpus_figure_survives_format_and_parse(row: Row) -> None:
    fig = parse_figure(row.text)
    again = parse_figure(format_figure(fig))
    assert _fields(again) == _fields(fig)


def test_the_corpus_is_large_and_covers_every_seed() -> None:
    assert len(CORPUS) >= 800
    assert {row.seed for row in CORPUS} == SEED_FILES


def test_the_corpus_lists_each_text_once() -> None:
    duplicates = [text for text, n in Counter(row.text for row in CORPUS).items() if n > 1]
    assert duplicates == []


def test_the_corpus_rows_are_well_formed() -> None:
    for row in CORPUS:
        assert row.text.strip(), row
        assert row.op in {None, *OPS}, row
        assert row.per in {None, *PERS}, row
        if row.value is None:
            assert (row.unit, row.op, row.per) == (None, None, None), row


def test_the_corpus_holds_each_kind_of_figure() -> None:
    kinds = Counter[str]()
    for row in CORPUS:
        if row.value is None:
            kinds["no value"] += 1
        if row.op is not None:
            kinds[row.op] += 1
        if row.per is not None:
            kinds["rate"] += 1
        if isinstance(row.value, float):
            kinds["decimal"] += 1
        if isinstance(row.value, (int, float)) and row.value < 0:
            kinds["negative"] += 1
        if row.unit is not None:
            kinds[row.unit] += 1
    for kind in ["no value", ">=", "<=", "rate", "decimal", "negative", "%", "pt", "千円", "秒"]:
        assert kinds[kind] > 0, kind


# --- focused rules -----------------------------------------------------------------------------


def test_the_text_is_kept_exactly_as_given() -> None:
    text = " １，５００ 時間\n"
    assert parse_figure(text).text == text


def test_full_width_digits_and_separators_are_read() -> None:
    assert parse_figure("１，３０３時間") == Figure("１，３０３時間", 1303, "時間")
    assert parse_figure("54．4％") == Figure("54．4％", 54.4, "%")


def test_white_space_inside_a_figure_is_ignored() -> None:
    assert parse_figure("29 手続") == Figure("29 手続", 29, "手続")
    assert parse_figure("１，５００ \n時間").value == 1500


def test_thousands_separators_are_removed() -> None:
    assert parse_figure("2,183,856,219円") == Figure("2,183,856,219円", 2183856219, "円")


@pytest.mark.parametrize("text", ["1,50件", "1,5000件", "12,34", ",500件", "1.2.3件", "1,000,00円"])
def test_a_malformed_number_is_not_a_number(text: str) -> None:
    assert parse_figure(text) == Figure(text, None)


def test_ijou_is_greater_or_equal() -> None:
    assert parse_figure("70％以上") == Figure("70％以上", 70, "%", ">=")


def test_ika_is_less_or_equal() -> None:
    assert parse_figure("５件以下") == Figure("５件以下", 5, "件", "<=")


def test_inai_is_less_or_equal() -> None:
    assert parse_figure("３０日以内") == Figure("３０日以内", 30, "日", "<=")


@pytest.mark.parametrize(
    ("text", "unit", "op"), [("5件未満", "件", "<"), ("1歳未満", "歳", "<"), ("5件超", "件", ">")]
)
def test_strict_bounds_are_strict_comparisons(text: str, unit: str, op: str) -> None:
    fig = parse_figure(text)
    assert (fig.value, fig.unit, fig.op) == (int(text[0]), unit, op)


def test_a_yearly_rate_has_per_year() -> None:
    assert parse_figure("年３回以上") == Figure("年３回以上", 3, "回", ">=", "年")


def test_a_monthly_rate_has_per_month() -> None:
    assert parse_figure("月２回") == Figure("月２回", 2, "回", None, "月")


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("年間5回以上", "年"),
        ("毎年10件", "年"),
        ("毎年度10種類以上", "年度"),
        ("毎月1回", "月"),
        ("週2回", "週"),
        ("日3回", "日"),
        ("300時間/年", "年"),
        ("300 時間/\n年", "年"),
        ("年間約5回", "年"),
    ],
)
def test_rates_are_read_before_and_after_the_number(text: str, per: str) -> None:
    assert parse_figure(text).per == per


def test_a_percentage_is_a_plain_number_with_unit_percent() -> None:
    assert parse_figure("１００％") == Figure("１００％", 100, "%")
    assert parse_figure("1.5 パーセント") == Figure("1.5 パーセント", 1.5, "%")


@pytest.mark.parametrize("text", ["▲28.2ｐｔ", "▲28.2pt", "△28.2ポイント", "-28.2pt", "−28.2pt"])
def test_a_triangle_or_minus_is_a_negative_sign(text: str) -> None:
    assert parse_figure(text) == Figure(text, -28.2, "pt")


def test_a_plus_sign_is_positive() -> None:
    assert parse_figure("＋0.05ポイント") == Figure("＋0.05ポイント", 0.05, "pt")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("4分1秒", 241),
        ("４分 7 秒", 247),
        ("1時間30分", 5400),
        ("1時間30分15秒", 5415),
        ("1時間5秒", 3605),
        ("2分半", 150),
        ("1時間半", 5400),
        ("0分30秒", 30),
    ],
)
def test_a_duration_of_several_parts_is_in_seconds(text: str, seconds: int) -> None:
    assert parse_figure(text) == Figure(text, seconds, "秒")


def test_a_duration_in_one_unit_keeps_its_unit() -> None:
    assert parse_figure("1,500時間") == Figure("1,500時間", 1500, "時間")
    assert parse_figure("4分") == Figure("4分", 4, "分")
    assert parse_figure("30秒") == Figure("30秒", 30, "秒")


def test_a_duration_can_be_a_bound() -> None:
    assert parse_figure("4分1秒以内") == Figure("4分1秒以内", 241, "秒", "<=")


def test_a_fractional_duration_that_is_not_whole_is_a_float() -> None:
    assert parse_figure("1分0.5秒") == Figure("1分0.5秒", 60.5, "秒")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("780万件", 7800000, "件"),
        ("７８０万件", 7800000, "件"),
        ("20万枚", 200000, "枚"),
        ("1億円", 100000000, "円"),
        ("約４７億円", 4700000000, "円"),
        ("1億2,000万円", 120000000, "円"),
        ("1万5000人", 15000, "人"),
        ("1.5万人", 15000, "人"),
        ("2.25万件", 22500, "件"),
        ("1兆円", 1000000000000, "円"),
        ("3万", 30000, None),
    ],
)
def test_man_oku_and_chou_are_multiplied_out(text: str, value: int, unit: str | None) -> None:
    fig = parse_figure(text)
    assert (fig.value, fig.unit) == (value, unit)
    assert type(fig.value) is int


def test_a_multiplied_value_that_is_not_whole_stays_a_float() -> None:
    assert parse_figure("1.23456万人") == Figure("1.23456万人", 12345.6, "人")


@pytest.mark.parametrize("text", ["1万2億円", "1万億円", "0万億"])
def test_multipliers_out_of_order_are_not_a_number(text: str) -> None:
    assert parse_figure(text).value is None


@pytest.mark.parametrize("text", ["5件以上以上", "0超超", "5件減減"])
def test_a_doubled_comparison_or_qualifier_is_not_a_figure(text: str) -> None:
    assert parse_figure(text).value is None


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("88,959千円", 88959, "千円"), ("12百万円", 12, "百万円"), ("5千人", 5, "千人")],
)
def test_sen_and_hyaku_before_a_unit_are_the_documents_unit(
    text: str, value: int, unit: str
) -> None:
    assert parse_figure(text) == Figure(text, value, unit)


@pytest.mark.parametrize("text", ["－", "-", "―", "—", "–", "−", "‐", "ー", "--", " － "])
def test_a_dash_alone_means_no_value(text: str) -> None:
    assert parse_figure(text) == Figure(text, None)


@pytest.mark.parametrize(
    "text",
    [
        "完了",
        "実施",
        "運用開始",
        "令和８年度からシステムでの所有権移転処理",
        "検討を踏まえ設定",
        "目録調製後、指標設定",
        "「デジタル・ガバメント実行計画」における実施可能な全ての手続のオンライン化",
        "以上",
        "約",
        "年",
        "▲",
    ],
)
def test_words_have_no_value_and_no_unit(text: str) -> None:
    assert parse_figure(text) == Figure(text, None, None, None, None)


@pytest.mark.parametrize(
    "text", ["16～19歳", "859種類の手続きをオンライン化しました", "R2：95.4%", "1講座4回", "3-4件"]
)
def test_a_range_or_a_sentence_is_not_one_figure(text: str) -> None:
    assert parse_figure(text).value is None


def test_integers_stay_integers_and_decimals_stay_floats() -> None:
    assert type(parse_figure("1,500").value) is int
    assert type(parse_figure("3.0").value) is float
    assert parse_figure("3.0").value == 3.0
    assert type(parse_figure("5.0%").value) is float
    assert parse_figure("421.90 ㎡").value == 421.9


def test_zero_is_zero_and_never_negative_zero() -> None:
    assert parse_figure("0件") == Figure("0件", 0, "件")
    value = parse_figure("▲0.0pt").value
    assert value == 0.0
    assert isinstance(value, float)
    assert math.copysign(1, value) == 1


def test_a_bare_number_has_no_unit() -> None:
    assert parse_figure("7,000") == Figure("7,000", 7000, None)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("約 2,200 名", 2200, "名"),
        ("延べ1196名", 1196, "名"),
        ("計２９回", 29, "回"),
        ("累計100件", 100, "件"),
        ("最大5日", 5, "日"),
        ("満16歳以上", 16, "歳"),
        ("前年度比＋0.05ポイント", 0.05, "pt"),
        ("３５件程度", 35, "件"),
        ("9割近く", 9, "割"),
        ("60％減", 60, "%"),
        ("4,828.07 ㎡の縮減", 4828.07, "m2"),
        ("16,802.19 ㎡の増加", 16802.19, "m2"),
        ("5割強", 5, "割"),
    ],
)
def test_qualifying_words_do_not_change_the_number(
    text: str, value: int | float, unit: str
) -> None:
    fig = parse_figure(text)
    assert (fig.value, fig.unit) == (value, unit)


def test_wari_stays_wari() -> None:
    assert parse_figure("７割") == Figure("７割", 7, "割")


@pytest.mark.parametrize(
    ("text", "unit"),
    [("10,000 ㎡", "m2"), ("5平方メートル", "m2"), ("3.0 ポイント", "pt"), ("2PT", "pt")],
)
def test_units_written_several_ways_are_one_unit(text: str, unit: str) -> None:
    assert parse_figure(text).unit == unit


def test_brackets_around_a_figure_are_unwrapped() -> None:
    assert parse_figure("(1 事業)") == Figure("(1 事業)", 1, "事業")
    assert parse_figure("（3事業）") == Figure("（3事業）", 3, "事業")


def test_a_note_mark_is_ignored() -> None:
    assert parse_figure("(1 事業※)") == Figure("(1 事業※)", 1, "事業")
    assert parse_figure("0件※1") == Figure("0件※1", 0, "件")


def test_a_bracketed_remark_is_ignored() -> None:
    assert parse_figure("12箇所(18箇所中)") == Figure("12箇所(18箇所中)", 12, "箇所")
    fig = parse_figure("8,434.77（一般会計の施設 7,619.51）㎡の増加")
    assert (fig.value, fig.unit) == (8434.77, "m2")


def test_an_empty_text_is_the_only_error() -> None:
    with pytest.raises(FigureError, match="empty"):
        parse_figure("")


@pytest.mark.parametrize("text", [" ", "\u3000", "\n\t "])
def test_white_space_alone_is_empty(text: str) -> None:
    with pytest.raises(FigureError) as caught:
        parse_figure(text)
    assert caught.value.text == text
    assert repr(text) in str(caught.value)


def test_figure_error_is_a_value_error() -> None:
    assert issubclass(FigureError, ValueError)


@pytest.mark.parametrize("text", ["()", "※", "(※)", "%", "/年", "万", "."])
def test_odd_fragments_parse_to_no_value(text: str) -> None:
    assert parse_figure(text).value is None


# --- Figure -------------------------------------------------------------------------------------


def test_a_figure_is_frozen() -> None:
    fig = parse_figure("5件")
    with pytest.raises(AttributeError):
        fig.value = 6  # type: ignore[misc]


def test_a_figure_refuses_an_unknown_op() -> None:
    with pytest.raises(ValueError, match="op"):
        Figure("5件以上", 5, "件", "=>")


def test_a_figure_refuses_a_bool_value() -> None:
    with pytest.raises(TypeError):
        Figure("true", True)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_figure_refuses_a_value_that_is_not_finite(value: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        Figure("x", value)


# --- format_figure ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("年３回以上", "年3回以上"),
        ("１，５００ 時間", "1,500時間"),
        ("▲28.2ｐｔ", "▲28.2pt"),
        ("88,959千円", "88,959千円"),
        ("１００％", "100%"),
        ("3.0", "3.0"),
        ("780万件", "7,800,000件"),
        ("4分1秒", "241秒"),
        ("300 時間/年", "年300時間"),
        ("５件以下", "5件以下"),
        ("３０日以内", "30日以下"),
        ("0.13％", "0.13%"),
        ("－", "-"),
        ("―", "-"),
        ("令和８年度からシステムでの所有権移転処理", "令和8年度からシステムでの所有権移転処理"),
        ("検討を踏まえ 設定", "検討を踏まえ設定"),
    ],
)
def test_format_figure_shows_a_canonical_string(text: str, shown: str) -> None:
    assert format_figure(parse_figure(text)) == shown


def test_format_figure_writes_a_per_that_is_not_a_period_after_the_unit() -> None:
    fig = parse_figure("2回/人")
    assert (fig.value, fig.unit, fig.per) == (2, "回", "人")
    assert format_figure(fig) == "2回/人"
    assert format_figure(Figure("x", 5, None, ">=", "人")) == "5/人以上"
    assert _fields(parse_figure("5/人以上")) == (5, int, None, ">=", "人")


def test_format_figure_writes_large_and_small_floats_without_exponents() -> None:
    assert format_figure(Figure("x", 1e16, "円")) == "10,000,000,000,000,000.0円"
    assert format_figure(Figure("x", 0.0001, "%")) == "0.0001%"


values = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False).map(float),
)
units = st.sampled_from(
    [
        None,
        "件",
        "人",
        "名",
        "回",
        "%",
        "pt",
        "千円",
        "円",
        "時間",
        "分",
        "秒",
        "m2",
        "か所",
        "割",
        "t",
    ]
)


@settings(database=None)
@given(
    values,
    units,
    st.sampled_from([None, ">=", "<="]),
    st.sampled_from([None, *sorted(PERS), "人", "件"]),
)
def test_parse_figure_of_format_figure_gives_the_same_figure(
    value: int | float, unit: str | None, op: str | None, per: str | None
) -> None:
    fig = Figure(text="(made up)", value=value, unit=unit, op=op, per=per)
    again = parse_figure(format_figure(fig))
    assert _fields(again) == _fields(fig)


@settings(database=None)
@given(st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != ""))
def test_any_text_that_is_not_empty_parses(text: str) -> None:
    fig = parse_figure(text)
    assert fig.text == text
    if fig.value is None:
        assert (fig.unit, fig.op, fig.per) == (None, None, None)
    else:
        assert math.isfinite(fig.value)


# --- convert ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "from_unit", "to_unit", "converted"),
    [
        (7800000, "件", "万件", Decimal(780)),
        (780, "万件", "件", Decimal(7800000)),
        (4700000000, "円", "千円", Decimal(4700000)),
        (88959, "千円", "円", Decimal(88959000)),
        (12, "百万円", "千円", Decimal(12000)),
        (47, "億円", "千円", Decimal(4700000)),
        (1, "兆円", "億円", Decimal(10000)),
        (8, "割", "%", Decimal(80)),
        (45, "%", "割", Decimal("4.5")),
        (241, "秒", "秒", Decimal(241)),
        (1500, "時間", "分", Decimal(90000)),
        (2.5, "分", "秒", Decimal(150)),
        (-28.2, "pt", "ポイント", Decimal("-28.2")),
        (10000, "㎡", "m2", Decimal(10000)),
        (3, "回/年", "回/年", Decimal(3)),
        (7000, None, None, Decimal(7000)),
    ],
)
def test_convert_gives_a_number_in_a_unit_that_measures_the_same_thing(
    value: int | float, from_unit: str | None, to_unit: str | None, converted: Decimal
) -> None:
    result = convert(value, from_unit, to_unit)
    assert result == converted
    assert str(result) == str(converted)  # 780, not 7.8E+2


@pytest.mark.parametrize(
    ("from_unit", "to_unit"),
    [
        ("件", "手続"),
        ("人", "名"),
        ("%", "pt"),
        ("回", "回/年"),
        ("円", "件"),
        ("件", None),
        (None, "件"),
        ("秒", "日"),
    ],
)
def test_convert_refuses_units_that_measure_different_things(
    from_unit: str | None, to_unit: str | None
) -> None:
    assert convert(1, from_unit, to_unit) is None


def test_convert_reads_a_float_by_its_shortest_repr() -> None:
    assert convert(0.1, "万件", "件") == Decimal(1000)
    assert convert(28.2, "pt", "pt") == Decimal("28.2")


# --- contradiction: a stored value against its text (FORMAT.md, "A figure keeps ...") ----------

# Values as the seeds print them; the unit is the one the stored value is in.
AGREEING = [
    ("780万件", 780, "万件"),  # seed 001: 令和3年度 target of the indicator in 万件
    ("780万件", 7800000, "件"),
    ("780万件", 7800000, None),
    ("約47億円", 4700000, "千円"),  # seed 002: 7 総括, money in 千円
    ("約47億円", 4700000000, None),
    ("88,959千円", 88959, "千円"),  # seed 002: fiscal effect
    ("88,959千円", 88959000, "円"),
    ("8割", 80, "%"),  # seed 003: survey, a % figure
    ("8割", 8, None),
    ("5割程度", Decimal(50), "%"),
    ("29手続", 29, "件"),  # seed 001: 件 and 手続 do not convert; the text's own number
    ("29手続", 29, "手続"),
    ("30名", 30, "人"),
    ("完了", 999999, "件"),  # no value in the text: anything goes
    ("完了", None, None),
    ("検討を踏まえ設定", 45, "%"),
    ("-", None, "件"),
    ("4分1秒", 241, "秒"),  # seed 001: a duration in seconds
    ("4分1秒", 241, None),
    ("▲28.2pt", -28.2, "pt"),  # seed 001
    ("▲28.2pt", Decimal("-28.2"), "ポイント"),
    ("3.0ポイント", 3.0, "ポイント"),
    ("3.0ポイント", 3, "pt"),  # 3 and 3.0 are the same number
    ("64.8%", 64.8, "%"),
    ("45", 45, "%"),  # no unit in the text: the number as printed
    ("421.90m2", 421.9, None),
    ("年3回以上", 3, "回/年"),
    ("1,500時間", 1500, "時間"),
    ("1,500時間", 90000, "分"),
]


@pytest.mark.parametrize(("text", "value", "unit"), AGREEING)
def test_a_value_that_is_what_the_text_says_in_its_unit_agrees(
    text: str, value: int | float | Decimal | None, unit: str | None
) -> None:
    op = parse_figure(text).op
    assert contradiction(text, value, unit, op) is None


@pytest.mark.parametrize(
    ("text", "value", "unit", "says"),
    [
        ("780万件", 7800000, "万件", "the text says 7800000 件, which is 780 万件"),
        ("780万件", 780, "件", "the text says 7800000 件"),
        ("780万件", 780, None, "the text says 7800000 件"),
        ("約47億円", 4700000, None, "the text says 4700000000 円"),
        ("約47億円", 4700000000, "千円", "the text says 4700000000 円, which is 4700000 千円"),
        ("88,959千円", 88959, "円", "the text says 88959 千円, which is 88959000 円"),
        ("8割", 80, None, "the text says 8 割"),
        ("8割", 8, "%", "the text says 8 割, which is 80 %"),
        ("29手続", 999999, "件", "the text says 29 手続"),
        ("29手続", None, "手続", "the text says 29 手続"),
        ("30名", 31, "人", "the text says 30 名"),
        ("4分1秒", 4, "分", "the text says 241 秒, which is 4.0166666666666666666666666666666666"),
        ("▲28.2pt", 28.2, "pt", "the text says -28.2 pt"),
        ("▲28.2pt", -28.200001, "pt", "the text says -28.2 pt"),
        ("64.8%", 64.9, "%", "the text says 64.8 %"),
    ],
)
def test_a_value_that_is_not_what_the_text_says_is_a_contradiction(
    text: str, value: int | float | None, unit: str | None, says: str
) -> None:
    found = contradiction(text, value, unit)
    assert found is not None
    assert found.startswith(says)
    assert value_contradiction(text, value, unit) == found


def test_a_float_value_is_compared_by_its_shortest_repr() -> None:
    assert contradiction("0.1万件", 1000, "件") is None
    assert contradiction("0.3%", 0.1 + 0.2, "%") == "the text says 0.3 %"  # 0.30000000000000004


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("10種類以上", ">="),
        ("年3回以上", ">="),
        ("5件以下", "<="),
        ("30日以内", "<="),
        ("5件超", ">"),
        ("5件未満", "<"),
        ("29手続", None),
        ("完了", ">="),  # no value: the op is not read from the text
        ("95%を超え", ">"),  # a sentence: the parser reads no value
    ],
)
def test_an_op_that_is_the_texts_comparison_word_agrees(text: str, op: str | None) -> None:
    assert op_contradiction(text, op) is None


@pytest.mark.parametrize(
    ("text", "op", "says"),
    [
        ("10種類以上", None, 'the text says 以上, which is op ">="'),
        ("5件以下", ">=", 'the text says 以下, which is op "<="'),
        ("30日以内", "<", 'the text says 以下, which is op "<="'),
        ("29手続", ">=", "the text has no comparison word"),
    ],
)
def test_an_op_that_is_not_the_texts_comparison_word_is_a_contradiction(
    text: str, op: str | None, says: str
) -> None:
    assert op_contradiction(text, op) == says
    value = parse_figure(text).value
    assert contradiction(text, value, None, op) == says


def test_a_wrong_value_is_told_before_a_wrong_op() -> None:
    assert contradiction("10種類以上", 11, "種類") == "the text says 10 種類"


@pytest.mark.parametrize("row", CORPUS, ids=[f"L{row.line}:{row.text}" for row in CORPUS])
def test_every_corpus_figure_agrees_with_its_own_value_and_unit(row: Row) -> None:
    assert contradiction(row.text, row.value, row.unit, row.op) is None
