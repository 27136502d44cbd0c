"""The consistency check's pure rules on the real figures of seed 002 (平塚市行財政改革計画
(2020-2023)取組結果) and seed 000 (平塚市デジタル化基本方針【アクションプラン】取組実績)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dxplan.evaluation.consistency import check_plan
from dxplan.evaluation.facts import GoalFacts, PlanFacts, PrintedFigure, facts_from_package
from dxplan.evaluation.findings import CheckReport, Finding
from dxplan.evaluation.tallies import (
    fiscal_total,
    goal_in_scope,
    goal_tally,
    percentage,
    progress_tally,
    quantize,
)

from support import DEMO_PLAN_IDS, load_demo_package, shared_path

REFORM = "hiratsuka-reform-plan-2020-2023"
# The two figures seed 002 prints wrong.
_SHARES = ("進捗率/2020/進捗率", "達成状況/達成/割合")
DX_RESULTS = "hiratsuka-dx-action-plan-results"


def _check(doc: dict[str, Any]) -> CheckReport:
    return check_plan(facts_from_package(doc))


def _figure(doc: dict[str, Any], name: str) -> dict[str, Any]:
    [figure] = [f for f in doc["published_figures"] if f["name"] == name]
    return figure


def test_seed_002_prints_the_figures_the_package_holds() -> None:
    text = shared_path("seeds", "002_361ab3b7e12833a1.txt").read_text(encoding="utf-8")
    assert "令和 2 年度 91.4% 47 43" in text
    assert "55 91.2% 3 5.0% 2 3.3%" in text


def test_a_share_is_rounded_half_up_or_truncated_to_the_printed_decimals() -> None:
    assert quantize(percentage(43, 47), 1, truncate=False) == Decimal("91.5")
    assert quantize(percentage(43, 47), 1, truncate=True) == Decimal("91.4")
    assert quantize(percentage(55, 60), 1, truncate=False) == Decimal("91.7")
    assert quantize(percentage(2, 60), 1, truncate=False) == Decimal("3.3")


def test_the_reform_plan_has_two_mismatches_the_progress_rate_truncated_and_the_wrong_share() -> (
    None
):
    report = _check(load_demo_package(REFORM))
    assert report.findings == [
        Finding(
            "進捗率/2020/進捗率",
            "91.4%",
            "91.5%",
            "mismatch",
            "43 ÷ 47 = 91.49% (rounded 91.5%), printed 91.4%: truncated where the document rounds",
            "43 ÷ 47 ＝ 91.49%（四捨五入で 91.5%）、掲載 91.4%：ほかの割合は四捨五入なのに、"
            "切り捨てで掲載",
        ),
        Finding(
            "達成状況/達成/割合",
            "91.2%",
            "91.7%",
            "mismatch",
            "55 ÷ 60 = 91.67% (rounded 91.7%), printed 91.2%",
            "55 ÷ 60 ＝ 91.67%（四捨五入で 91.7%）、掲載 91.2%",
        ),
    ]
    assert report.mismatches == 2
    assert report.checked == 72  # of the 213 figures seed 002 prints


def test_seed_002s_achievement_counts_come_out_of_the_goals_verdicts() -> None:
    facts = facts_from_package(load_demo_package(REFORM))
    tally = goal_tally(facts.items, facts.end_fy)
    assert tally.total == 60
    assert tally.by_achievement == {"達成": 55, "一部未達成": 3, "未達成": 2}


def test_goals_due_after_the_period_are_left_out_a_target_period_counts_from_its_start() -> None:
    assert not goal_in_scope(GoalFacts(2024, None, None), 2023)
    assert goal_in_scope(GoalFacts(2023, 2020, "達成"), 2023)
    assert goal_in_scope(GoalFacts(2026, 2023, "達成"), 2023)  # 0706-09, 令和5~8年度
    assert goal_in_scope(GoalFacts(None, None, "達成"), 2023)


def test_seed_002s_fiscal_effects_come_out_of_the_initiatives() -> None:
    doc = load_demo_package(REFORM)
    facts = facts_from_package(doc)
    assert fiscal_total(facts.items) == 4_698_997
    for viewpoint in ("民間活力の活用", "施設の総合的管理", "行政の効率化", "収入確保策の推進"):
        printed = _figure(doc, f"取組結果/{viewpoint}/計/財政健全化効果額")["value"]
        assert fiscal_total(facts.items, viewpoint) == printed


def test_seed_000s_goal_verdicts_are_counted_and_it_prints_no_totals_to_compare() -> None:
    doc = load_demo_package(DX_RESULTS)
    facts = facts_from_package(doc)
    tally = goal_tally(facts.items, facts.end_fy)
    assert tally.total == 8
    assert tally.by_achievement == {"達成": 6, "未達成": 2}
    assert _check(doc).findings == []


def test_no_other_demo_plan_has_a_finding() -> None:
    for plan_id in DEMO_PLAN_IDS:
        if plan_id != REFORM:
            assert _check(load_demo_package(plan_id)).findings == [], plan_id


def test_a_yearly_fiscal_effect_that_does_not_add_up_is_a_mismatch_of_the_totals() -> None:
    doc = load_demo_package(REFORM)
    figure = _figure(doc, "財政健全化効果額/2021")
    figure.update(text="1,755,321千円", value=1755321)
    found = {f.figure: f for f in _check(doc).findings}
    total = found["財政健全化効果額/合計"]
    assert (total.severity, total.computed) == ("mismatch", "4,698,998千円")
    assert total.explanation == (
        "the years added up: 827,080 + 1,755,321 + 1,493,626 + 622,971 = 4,698,998千円, "
        "printed 4,698,997千円"
    )
    assert found["財政健全化効果額/2021"].severity == "mismatch"  # the 取組の視点 add up to less


def test_a_status_count_that_does_not_add_up_to_the_activities_is_a_mismatch() -> None:
    doc = load_demo_package(REFORM)
    _figure(doc, "進捗状況/2022/済").update(text="34", value=34)
    found = {f.figure: f for f in _check(doc).findings}
    assert found["進捗状況/2022/取組活動数"].computed == "51"
    assert found["進捗率/2022/済・概ね順調"].severity == "mismatch"


def _activities_of_2020(doc: dict[str, Any], drop: int = 0) -> None:
    """Seed 002's 2020 statuses (30 済, 13 概ね順調, 2 遅れ, 2 休止) on 23 initiatives."""
    statuses = ["済"] * 30 + ["概ね順調"] * 13 + ["遅れ"] * 2 + ["休止"] * 2
    statuses = statuses[: len(statuses) - drop]
    items = _initiatives_of_2020(doc)
    for index, status in enumerate(statuses):
        item = items[index % 23]
        item.setdefault("activities", []).append(
            {"title": f"活動{index}", "status": {"2020": status}}
        )


def _initiatives_of_2020(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """As many initiatives of each 取組の視点 as seed 002 counts for 令和2年度 (23 in all)."""
    items = []
    for viewpoint in _VIEWPOINTS:
        count = _figure(doc, f"取組結果/{viewpoint}/2020/取組事業数")["value"]
        section = next(s["code"] for s in doc["sections"] if s["title"] == viewpoint)
        items += [i for i in doc["initiatives"] if i["section"] == section][:count]
    return items


def test_seed_002s_progress_of_2020_comes_out_of_the_activity_statuses() -> None:
    doc = load_demo_package(REFORM)
    _activities_of_2020(doc)
    facts = facts_from_package(doc)
    tally = progress_tally(facts.items, 2020)
    assert (tally.activities, tally.initiatives) == (47, 23)
    assert tally.on_track(facts.on_track) == 43
    assert {f.figure for f in _check(doc).findings} == {"進捗率/2020/進捗率", "達成状況/達成/割合"}


def test_activities_missing_from_the_transcription_give_warnings_not_mismatches() -> None:
    doc = load_demo_package(REFORM)
    _activities_of_2020(doc, drop=2)  # the two 休止
    warnings = [f for f in _check(doc).findings if f.severity == "warning"]
    assert {(f.figure, f.printed, f.computed) for f in warnings} == {
        ("進捗状況/2020/取組活動数", "47", "45"),
        ("進捗状況/2020/休止", "2", "0"),
        ("進捗率/2020/進捗率", "91.4%", "95.6%"),
    }
    [rate] = [f for f in warnings if f.figure == "進捗率/2020/進捗率"]
    assert rate.explanation == (
        "(済・概ね順調) ÷ 取組活動数 of the activities transcribed: 43 ÷ 45 = 95.6%, printed 91.4%"
    )


_VIEWPOINTS = (
    "民間活力の活用",
    "施設の総合的管理",
    "行政の効率化",
    "収入確保策の推進",
    "身近で利用しやすい行政サービスの推進",
    "ICTの活用推進",
)


def test_the_initiatives_of_a_viewpoint_with_an_activity_status_are_its_yearly_count() -> None:
    doc = load_demo_package(REFORM)
    # Seed 002: in 令和2年度, 7 + 2 + 4 + 5 + 2 + 3 = 23 事業 by 取組の視点.
    items = _initiatives_of_2020(doc)
    assert len(items) == 23
    for item in items:
        item["activities"] = [{"title": "活動", "status": {"2020": "済"}}]
    warnings = {f.figure: f for f in _check(doc).findings if f.severity == "warning"}
    assert not any(name.startswith("取組結果/") for name in warnings)
    assert warnings["進捗状況/2020/取組活動数"].computed == "23"  # one activity each, not 47


def test_an_item_total_other_than_the_printed_total_is_a_warning() -> None:
    doc = load_demo_package(REFORM)
    doc["initiatives"][0]["fiscal_effects"]["2020-2023"] = {"text": "39,844千円", "value": 39844}
    warnings = {f.figure: f for f in _check(doc).findings if f.severity == "warning"}
    assert set(warnings) == {"財政健全化効果額/合計", "取組結果/民間活力の活用/計/財政健全化効果額"}
    assert warnings["財政健全化効果額/合計"].computed == "4,698,998千円"


def _shares(*printed: tuple[str, int, int]) -> PlanFacts:
    figures = []
    for index, (text, count, total) in enumerate(printed):
        figures += [
            PrintedFigure(f"進捗率/{2020 + index}/進捗率", text, Decimal(text.rstrip("%"))),
            PrintedFigure(f"進捗率/{2020 + index}/済・概ね順調", str(count), Decimal(count)),
            PrintedFigure(f"進捗率/{2020 + index}/取組活動数", str(total), Decimal(total)),
        ]
    return PlanFacts(2020, 2023, ["済", "概ね順調"], ["達成"], [], figures)


def test_a_document_that_truncates_its_shares_may_truncate_but_not_round() -> None:
    # 2/3 = 66.67, 43/47 = 91.49 and 1/6 = 16.67 printed truncated; 3/7 = 42.86 rounded.
    report = check_plan(
        _shares(("66.6%", 2, 3), ("91.4%", 43, 47), ("16.6%", 1, 6), ("42.9%", 3, 7))
    )
    [finding] = report.findings
    assert finding.figure == "進捗率/2023/進捗率"
    assert finding.computed == "42.8%"
    assert finding.explanation.endswith("printed 42.9%: rounded where the document truncates")


def test_one_truncated_share_does_not_make_the_document_truncate() -> None:
    report = check_plan(_shares(("66.7%", 2, 3), ("91.4%", 43, 47)))
    [finding] = report.findings
    assert finding.explanation.endswith("truncated where the document rounds")


def test_yearly_fiscal_effects_of_the_items_are_compared_with_the_yearly_totals() -> None:
    doc = load_demo_package(REFORM)
    item = doc["initiatives"][0]  # 民間活力の活用
    item["fiscal_effects"] = {"2021": {"text": "39,843千円", "value": 39843}}
    warnings = {f.figure: f for f in _check(doc).findings if f.severity == "warning"}
    assert warnings["財政健全化効果額/2021"].explanation == (
        "the FY2021 fiscal effects of the 1 initiatives added up = 39,843千円, "
        "printed 1,755,320千円"
    )
    assert warnings["取組結果/民間活力の活用/2021/財政健全化効果額"].computed == "39,843千円"


def test_an_approximate_summary_agrees_with_the_total_it_rounds_to() -> None:
    doc = load_demo_package(REFORM)
    assert _figure(doc, "総括/財政健全化効果額(4年間)")["text"] == "約47億円"
    assert [f.figure for f in _check(doc).findings] == list(_SHARES)
    _figure(doc, "総括/財政健全化効果額(4年間)").update(text="約48億円", value=4800000)
    found = [f for f in _check(doc).findings if f.figure.startswith("総括/")]
    assert [(f.severity, f.computed) for f in found] == [
        ("mismatch", "4,698,997千円"),  # against the printed 合計
        ("warning", "4,698,997千円"),  # against the initiatives' fiscal effects
    ]
    assert found[0].explanation == (
        "as in 財政健全化効果額/合計: 4,698,997 = 4,698,997千円, printed 約48億円"
    )


def test_a_named_total_is_the_sum_of_the_figures_beside_it() -> None:
    doc = load_demo_package(REFORM)
    _figure(doc, "公立園数/幼稚園/「見直し」前").update(text="6", value=6)
    [finding] = [f for f in _check(doc).findings if not f.figure.endswith(_SHARES)]
    assert finding.figure == "公立園数/合計/「見直し」前"
    assert finding.explanation == "the figures beside it added up: 10 + 6 + 0 = 16, printed 15"


def test_the_floor_area_of_a_year_is_its_increase_less_its_decrease() -> None:
    doc = load_demo_package(REFORM)
    _figure(doc, "公共施設延床面積/2023/増加面積").update(text="421.91m2", value=421.91)
    found = {f.figure: f for f in _check(doc).findings if not f.figure.endswith(_SHARES)}
    assert set(found) == {
        "公共施設延床面積/2023/合計(増加)(本文)",
        "公共施設延床面積/2023/取組状況(増加)",
        "公共施設延床面積/2020-2023/総延床面積(増加)(本文)",
        "公共施設延床面積/2020-2023/取組状況(増加)",
    }
    assert found["公共施設延床面積/2023/取組状況(増加)"].explanation == (
        "増加面積 421.91 less 廃止面積 299.45 = 122.46m2, printed 122.45m2の増加"
    )


def test_statuses_flagged_on_track_are_the_progress_rates_numerator() -> None:
    doc = load_demo_package(REFORM)
    doc["plan"]["scales"] = {
        "progress": [
            {"label": "済", "on_track": True},
            {"label": "順調", "on_track": True},
            {"label": "やや遅れ", "on_track": True},
            {"label": "遅れ"},
            {"label": "対象外", "outside_order": True},
        ]
    }
    printed = {"済": 1, "順調": 1, "やや遅れ": 1, "遅れ": 1, "取組活動数": 4}
    doc["published_figures"] = [
        {"name": f"進捗状況/2020/{name}", "text": str(n), "value": n} for name, n in printed.items()
    ] + [
        {"name": "進捗率/2020/進捗率", "text": "75.0%", "value": 75.0},
        {"name": "進捗率/2020/取組活動数", "text": "4", "value": 4},
        {"name": "進捗率/2020/済・順調・やや遅れ", "text": "3", "value": 3},
    ]
    facts = facts_from_package(doc)
    assert facts.on_track == ["済", "順調", "やや遅れ"]
    report = check_plan(facts)
    assert report.findings == []
    assert report.checked == 4  # 取組活動数 twice, 済・順調・やや遅れ, 進捗率
