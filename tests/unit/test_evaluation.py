"""Evaluation of indicators on the plans' own scales, on the seeds' real figures: seed 000's goals
and their printed results (平塚市アクションプラン取組実績), seed 001's KPIs (秦野市), seed 004's
cumulative indicators (伊勢原市), and A–D / 1–5 scales with thresholds and labels apart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dxplan.evaluation.rules import (
    Figure,
    IndicatorSeries,
    Scale,
    ScaleEntry,
    evaluate_indicator,
    plan_scales,
    progress_rate,
    scale_from_package,
    series_from_package,
    tally_labels,
)
from dxplan.figures import parse_figure
from dxplan.plans.targets import Measure

from support import load_demo_package

SEED_002 = plan_scales({})
ACHIEVEMENT = SEED_002["achievement"]
A_TO_D = scale_from_package(
    [
        {"label": "A", "threshold": 100},
        {"label": "B", "threshold": 80},
        {"label": "C", "threshold": 60},
        {"label": "D"},
        {"label": "評価できない", "outside_order": True},
    ]
)
ONE_TO_FIVE = scale_from_package(
    [{"label": str(n)} for n in (5, 4, 3, 2, 1)] + [{"label": "対象外", "outside_order": True}]
)


def _indicator(plan_id: str, code: str, name: str) -> dict[str, Any]:
    doc = load_demo_package(plan_id)
    [item] = [i for i in doc["initiatives"] if i["code"] == code]
    [indicator] = [i for i in item["indicators"] if i["name"] == name]
    return indicator


def _with_actuals(indicator: dict[str, Any], **actuals: str) -> IndicatorSeries:
    """The indicator with actuals (year "y2023" → 2023) parsed as the edit form parses them."""
    given = {}
    for key, text in actuals.items():
        figure = parse_figure(text)
        given[key.removeprefix("y")] = {"text": text, "value": figure.value, "unit": figure.unit}
    return series_from_package(indicator | {"actuals": given})


def test_seed_000_seminar_goal_of_1500_attendees_by_2023_is_not_met_with_1196() -> None:
    # 操作支援セミナー: 2021年度 547名 (①500名 ⇒達成), 2023年度 173名, 延べ1196名 (②1500名 ⇒未達成)
    series = IndicatorSeries(
        targets=_targets({2021: "500名", 2023: "延べ1500名"}),
        actuals=_targets({2021: "547名", 2022: "476名", 2023: "173名"}),
        cumulative=True,
    )
    first = evaluate_indicator(series, 2021, ACHIEVEMENT)
    assert (first.met, first.label, first.actual) == (True, "達成", Decimal(547))
    last = evaluate_indicator(series, 2023, ACHIEVEMENT)
    assert (last.outcome, last.met, last.label) == ("computed", False, "未達成")
    assert last.actual == Decimal(1196)
    assert last.rate_text == "79.7%"


def _targets(texts: dict[int, str]) -> dict[tuple[int, int], Figure]:
    out = {}
    for fy, text in texts.items():
        parsed = parse_figure(text)
        assert parsed.value is not None
        out[fy, fy] = Figure(text, Measure(parsed.value, parsed.unit, parsed.op))
    return out


def test_seed_000_three_or_more_counters_met_by_eleven() -> None:
    # ②2023年度までに3か所以上拡大します。⇒達成（11か所）
    series = IndicatorSeries(_targets({2023: "3か所以上"}), _targets({2023: "11か所"}))
    verdict = evaluate_indicator(series, 2023, ACHIEVEMENT)
    assert (verdict.comparison, verdict.met, verdict.label) == (">=", True, "達成")
    assert verdict.rate_text == "366.7%"


def test_seed_001_textual_target_needs_a_person() -> None:
    indicator = _indicator("hadano-ict-plan", "1-1-(1)", "利便性向上に資する手続のオンライン化数")
    series = _with_actuals(indicator, y2022="完了")
    assert evaluate_indicator(series, 2022, ACHIEVEMENT).outcome == "needs_person"
    assert evaluate_indicator(series, 2023, ACHIEVEMENT).outcome == "no_target"


def test_seed_001_percentage_in_wari_is_compared_in_percent() -> None:
    indicator = _indicator("hadano-ict-plan", "1-1-(3)", "交付率(対人口)")
    series = _with_actuals(indicator, y2023="8割", y2024="85%")
    met = evaluate_indicator(series, 2023, A_TO_D)
    assert (met.met, met.label, met.rate) == (True, "A", Decimal(100))
    short = evaluate_indicator(series, 2024, A_TO_D)  # 85 ÷ 90 = 94.4%
    assert (short.met, short.label, short.rate_text) == (False, "B", "94.4%")
    assert evaluate_indicator(series, 2025, A_TO_D).outcome == "no_actual"


def test_seed_001_units_that_do_not_convert_are_not_compared() -> None:
    indicator = _indicator("hadano-ict-plan", "1-1-(1)", "その他手続のオンライン化数")
    series = _with_actuals(indicator, y2023="29件")
    assert evaluate_indicator(series, 2023, ACHIEVEMENT).outcome == "incomparable"


def test_seed_001_running_total_of_access_counts_against_the_cumulative_target() -> None:
    indicator = _indicator("hadano-ict-plan", "1-2-(5)", "デジタルガイドブックへの累計アクセス数")
    assert indicator["cumulative"] is True
    series = _with_actuals(indicator, y2022="6,000件", y2023="8,000件", y2024="9,000件")
    assert evaluate_indicator(series, 2022, ACHIEVEMENT).met is True  # 6,000 ≥ 5,000
    later = evaluate_indicator(series, 2023, ACHIEVEMENT)  # 14,000 against 15,000
    assert (later.actual, later.met, later.label) == (Decimal(14000), False, "未達成")
    assert evaluate_indicator(series, 2024, ONE_TO_FIVE).actual == Decimal(23000)


def test_seed_004_cumulative_count_adds_up_from_the_baseline() -> None:
    indicator = _indicator("isehara-ict-action-plan", "2-1", "AI技術の導入数(累計)")
    assert indicator["baseline"]["value"] == 1
    series = _with_actuals(indicator, y2023="1件", y2024="0件")
    assert evaluate_indicator(series, 2023, ACHIEVEMENT).actual == Decimal(2)
    assert evaluate_indicator(series, 2024, ACHIEVEMENT).met is True  # 2 against 2件


def test_seed_004_target_below_the_baseline_is_lower_is_better() -> None:
    series = series_from_package(
        {
            "unit": "分",
            "baseline": {"fy": 2022, "text": "4分7秒", "value": 4 + Decimal(7) / 60},
            "targets": {"2025": {"text": "4分", "value": 4}},
            "actuals": {"2025": {"text": "220秒", "value": 220, "unit": "秒"}},
        }
    )
    verdict = evaluate_indicator(series, 2025, A_TO_D)
    assert (verdict.comparison, verdict.met, verdict.label) == ("<=", True, "A")
    assert verdict.rate_text == "109.1%"  # 240秒 ÷ 220秒


def test_negative_targets_are_judged_met_or_not_without_a_rate() -> None:
    indicator = _indicator("hadano-ict-plan", "1-2-(5)", "秦野商工会議所景況調査商業(売上高)のDI値")
    series = _with_actuals(indicator, y2023="▲25pt", y2024="▲30pt")
    up = evaluate_indicator(series, 2023, A_TO_D)
    assert (up.met, up.rate, up.label) == (True, None, "A")
    down = evaluate_indicator(series, 2024, A_TO_D)
    assert (down.met, down.rate, down.label) == (False, None, "D")


def test_exact_targets_are_met_only_by_the_value_itself() -> None:
    series = series_from_package(
        {
            "unit": "%",
            "targets": {"2024": {"text": "100%", "value": 100, "op": "="}},
            "actuals": {"2024": {"text": "95%", "value": 95}},
            "cumulative": False,
        }
    )
    verdict = evaluate_indicator(series, 2024, A_TO_D)
    assert (verdict.comparison, verdict.met, verdict.label) == ("=", False, "B")


@pytest.mark.parametrize(
    ("rate", "label"),
    [("100", "A"), ("99.9", "B"), ("80", "B"), ("79.99", "C"), ("60", "C"), ("59", "D")],
)
def test_a_to_d_thresholds_choose_the_best_label_the_rate_reaches(rate: str, label: str) -> None:
    assert A_TO_D.choose(Decimal(rate) >= 100, Decimal(rate)) == label


def test_labels_outside_the_order_are_never_computed_and_counted_apart() -> None:
    assert A_TO_D.ordered_labels == ["A", "B", "C", "D"]
    assert A_TO_D.apart_labels == ["評価できない"]
    assert A_TO_D.choose(False, Decimal(0)) == "D"
    assert ONE_TO_FIVE.choose(True, None) == "5"
    assert ONE_TO_FIVE.choose(False, Decimal(10)) == "1"
    tally = tally_labels(["5", "4", "対象外", "5", None, "1"], ONE_TO_FIVE)
    assert tally.counts == {"5": 2, "4": 1, "3": 0, "2": 0, "1": 1}
    assert (tally.apart, tally.total, tally.pending) == ({"対象外": 1}, 4, 1)
    assert tally.share("5") == Decimal(50)


def test_a_best_label_without_threshold_is_for_targets_met_only() -> None:
    scale = scale_from_package(
        [{"label": "達成"}, {"label": "一部未達成", "threshold": 50}, {"label": "未達成"}]
    )
    assert scale.choose(True, Decimal(100)) == "達成"
    assert scale.choose(False, Decimal("99")) == "一部未達成"
    assert scale.choose(False, Decimal("49.9")) == "未達成"


def test_progress_rate_of_seed_002_counts_the_two_best_statuses() -> None:
    # 令和2年度: 済30 概ね順調13 遅れ2 未着手0 休止2 → 43 ÷ 47
    rate = progress_rate({"済": 30, "概ね順調": 13, "遅れ": 2, "休止": 2}, SEED_002["progress"])
    assert rate is not None
    assert round(rate, 2) == Decimal("91.49")


def test_progress_rate_counts_the_flagged_statuses_and_leaves_out_those_apart() -> None:
    scale = Scale(
        (
            ScaleEntry("順調", 1, on_track=True),
            ScaleEntry("やや遅れ", 2, on_track=True),
            ScaleEntry("遅れ", 3),
            ScaleEntry("対象外", 4, ordered=False),
        )
    )
    assert scale.on_track_labels == ["順調", "やや遅れ"]
    assert progress_rate({"順調": 1, "やや遅れ": 1, "遅れ": 2, "対象外": 5}, scale) == 50
