"""The pure rules behind the read queries: whether an indicator met its target (on the real
targets of the demo packages), how search folds text and cuts snippets, and what a department
still has to report in a fiscal year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dxplan.plans.search_text import Snippet, fold, like_pattern, search_terms, snippet
from dxplan.plans.targets import (
    Measure,
    TargetTally,
    TargetVerdict,
    latest_verdict,
    tally,
    target_comparison,
    target_met,
)
from dxplan.reporting.rules import (
    activity_due,
    activity_reported,
    goal_due,
    indicator_due,
    reports_in,
)

from support import load_demo_package

# --- Targets on the demo packages -----------------------------------------------------------------


def _indicator(plan_id: str, code: str, name: str) -> dict[str, Any]:
    doc = load_demo_package(plan_id)
    [initiative] = [item for item in doc["initiatives"] if item["code"] == code]
    [indicator] = [item for item in initiative["indicators"] if item["name"] == name]
    return indicator


def _measure(figure: dict[str, Any], indicator: dict[str, Any]) -> Measure:
    return Measure(
        Decimal(str(figure["value"])), figure.get("unit") or indicator.get("unit"), figure.get("op")
    )


def _targets(indicator: dict[str, Any]) -> dict[tuple[int, int], Measure]:
    return {
        (int(key), int(key)): _measure(figure, indicator)
        for key, figure in indicator["targets"].items()
        if figure["value"] is not None
    }


def _judge(indicator: dict[str, Any], year: int, actual: Measure) -> bool | None:
    """Whether `actual` meets the indicator's target of `year`, with its comparison in context."""
    targets = _targets(indicator)
    baseline = indicator.get("baseline")
    verdict = latest_verdict(
        targets,
        {(year, year): actual},
        _measure(baseline, indicator) if baseline and baseline["value"] is not None else None,
    )
    return None if verdict is None else verdict.met


def test_a_target_printed_with_ijou_is_met_by_the_target_itself_or_more() -> None:
    # 秦野市 1-2-(4): ICTを活用できる教職員の割合 "80%以上" in FY2023.
    indicator = _indicator("hadano-ict-plan", "1-2-(4)", "ICTを活用できる教職員の割合")
    assert indicator["targets"]["2023"] == {"text": "80%以上", "value": 80, "op": ">="}
    assert _judge(indicator, 2023, Measure(Decimal(80), "%")) is True
    assert _judge(indicator, 2023, Measure(Decimal("79.9"), "%")) is False


def test_a_target_printed_with_ika_is_met_by_the_target_itself_or_less() -> None:
    # 秦野市 2-5-(3): インシデント(影響度レベル2以上)の件数 "3件以下" in FY2023.
    indicator = _indicator("hadano-ict-plan", "2-5-(3)", "インシデント(影響度レベル2以上)の件数")
    assert indicator["targets"]["2023"]["op"] == "<="
    assert _judge(indicator, 2023, Measure(Decimal(3), "件")) is True
    assert _judge(indicator, 2023, Measure(Decimal(0), "件")) is True
    assert _judge(indicator, 2023, Measure(Decimal(4), "件")) is False


def test_strict_comparisons_exclude_the_target_itself() -> None:
    target = Measure(Decimal(95), "%", ">")
    assert target_met(target, Measure(Decimal(95), "%"), target_comparison(target)) is False
    assert target_met(target, Measure(Decimal("95.1"), "%"), ">") is True
    assert target_met(Measure(Decimal(5), "件", "<"), Measure(Decimal(5), "件"), "<") is False


def test_a_target_above_the_baseline_is_a_rise_to_reach() -> None:
    # 伊勢原市 1-1: オンライン手続数, 現状値 104手続き (FY2022), 110手続き in FY2023.
    indicator = _indicator("isehara-ict-action-plan", "1-1", "オンライン手続数")
    target = _targets(indicator)[(2023, 2023)]
    baseline = _measure(indicator["baseline"], indicator)
    assert target_comparison(target, baseline=baseline) == ">="
    assert _judge(indicator, 2023, Measure(Decimal(112), "手続き")) is True
    assert _judge(indicator, 2023, Measure(Decimal(108), "手続き")) is False


def test_a_target_below_the_baseline_is_a_reduction() -> None:
    target = Measure(Decimal(150), "時間")
    assert target_comparison(target, baseline=Measure(Decimal(200), "時間")) == "<="
    # A baseline in another unit is converted first: 3時間 is 10800 秒, above 9000 秒.
    assert target_comparison(
        Measure(Decimal(9000), "秒"), baseline=Measure(Decimal(3), "時間")
    ) == ("<=")


def test_targets_that_fall_every_year_are_a_reduction() -> None:
    # 秦野市 2-1-(11): 医療機関への平均収容依頼時間, 4分7秒 (247 秒) in FY2024, 4分1秒 in FY2025.
    indicator = _indicator(
        "hadano-ict-plan", "2-1-(11)", "医療機関への平均収容依頼時間(救急医療支援システム)"
    )
    assert indicator["unit"] == "秒"
    assert [t["value"] for t in indicator["targets"].values()] == [247, 241]
    assert _judge(indicator, 2025, Measure(Decimal(235), "秒")) is True
    assert _judge(indicator, 2025, Measure(Decimal(4), "分")) is True  # 240 秒
    assert _judge(indicator, 2025, Measure(Decimal(250), "秒")) is False


def test_targets_that_do_not_fall_every_year_are_levels_to_reach() -> None:
    # 秦野市 1-1-(1): その他手続のオンライン化数 29, 31, 28手続 (not a reduction: yearly counts).
    others = _indicator("hadano-ict-plan", "1-1-(1)", "その他手続のオンライン化数")
    assert _judge(others, 2025, Measure(Decimal(30), "手続")) is True
    assert _judge(others, 2025, Measure(Decimal(27), "手続")) is False
    # 秦野市 1-3-(3): 拡充箇所 3, 1, 1箇所 (falls, then stays).
    places = _indicator("hadano-ict-plan", "1-3-(3)", "拡充箇所")
    assert _judge(places, 2024, Measure(Decimal(2), "箇所")) is True


def test_a_negative_target_is_a_level_to_reach() -> None:
    # 秦野市 1-2-(5): 商業(売上高)のDI値 ▲28.2pt in FY2022, then ▲28pt.
    indicator = _indicator("hadano-ict-plan", "1-2-(5)", "秦野商工会議所景況調査商業(売上高)のDI値")
    assert _judge(indicator, 2022, Measure(Decimal("-20.5"), "pt")) is True
    assert _judge(indicator, 2022, Measure(Decimal("-30"), "pt")) is False


def test_a_target_of_zero_is_a_ceiling() -> None:
    # 伊勢原市 4-2: 情報セキュリティインシデント件数, 現状値 0件, 0件 every year.
    indicator = _indicator("isehara-ict-action-plan", "4-2", "情報セキュリティインシデント件数")
    assert _judge(indicator, 2024, Measure(Decimal(0), "件")) is True
    assert _judge(indicator, 2024, Measure(Decimal(1), "件")) is False
    # 秦野市 2-1-(10): 把握漏れ及び滅失漏れの件数 0件, without a baseline.
    omissions = _indicator(
        "hadano-ict-plan", "2-1-(10)", "新築・増減築家屋の把握漏れ及び滅失漏れの件数"
    )
    assert _judge(omissions, 2025, Measure(Decimal(2), "件")) is False


def test_an_actual_in_another_scale_of_the_unit_is_converted() -> None:
    # 秦野市 1-3-(1): 年間アクセス数 in 万件, 780万件 in FY2021; an actual of 7,900,000件.
    indicator = _indicator("hadano-ict-plan", "1-3-(1)", "年間アクセス数")
    assert indicator["unit"] == "万件"
    assert _judge(indicator, 2021, Measure(Decimal(7_900_000), "件")) is True
    assert _judge(indicator, 2021, Measure(Decimal(779), "万件")) is False


def test_an_actual_in_a_unit_that_does_not_convert_is_not_judged() -> None:
    indicator = _indicator("hadano-ict-plan", "1-1-(1)", "その他手続のオンライン化数")
    assert _judge(indicator, 2023, Measure(Decimal(40), "件")) is None


def test_a_textual_target_is_not_judged() -> None:
    # 秦野市 2-2-(1): "検討を踏まえ設定" has no value: no numeric target to compare with.
    indicator = _indicator(
        "hadano-ict-plan", "2-2-(1)", "課長級以上出席の会議(庁議除く)のペーパーレス化率"
    )
    assert _targets(indicator) == {}
    assert _judge(indicator, 2023, Measure(Decimal(80), "%")) is None


def test_the_latest_year_with_both_a_target_and_an_actual_is_judged() -> None:
    # 秦野市 1-1-(3): 交付率(対人口), 54.4% in FY2021 and 100% in FY2022.
    indicator = _indicator("hadano-ict-plan", "1-1-(3)", "交付率(対人口)")
    actuals = {(2021, 2021): Measure(Decimal(60), "%"), (2022, 2022): Measure(Decimal(70), "%")}
    verdict = latest_verdict(_targets(indicator), actuals)
    assert verdict == TargetVerdict(2022, 2022, met=False)
    # An actual of a year without a target (FY2020) is not judged.
    assert latest_verdict(_targets(indicator), {(2020, 2020): Measure(Decimal(99), "%")}) is None


def test_a_tally_counts_the_judged_indicators_and_names_the_latest_year() -> None:
    verdicts = [TargetVerdict(2022, 2022, True), None, TargetVerdict(2020, 2023, False)]
    result = tally(verdicts)
    assert result == TargetTally(met=1, counted=2, year=2023)
    assert result.share == 0.5
    assert tally([]) == TargetTally(met=0, counted=0, year=None)
    assert tally([]).share is None


def test_an_unknown_comparison_is_an_error() -> None:
    with pytest.raises(ValueError, match="comparison must be one of"):
        target_met(Measure(Decimal(1)), Measure(Decimal(1)), "==")
    with pytest.raises(ValueError, match="op must be one of"):
        target_comparison(Measure(Decimal(1), None, "=="))


# --- Search -------------------------------------------------------------------------------------


def test_folding_makes_full_width_latin_ascii_and_ascii_lower_case() -> None:
    assert fold("ＡＩチャットボット") == "aiチャットボット"
    assert fold("RPA・AI-OCR") == "rpa・ai-ocr"
    assert fold("ｶﾅ") == "カナ"
    assert fold("①") == "1"
    # Other scripts keep their case, as SQL's ASCII-only folding does on both databases.
    assert fold("ΣΑ") == "ΣΑ"


def test_a_query_is_split_on_half_and_full_width_spaces_into_distinct_words() -> None:
    assert search_terms("窓口　AI  窓口 ａｉ") == ["窓口", "ai"]
    assert search_terms("") == []
    assert search_terms(" 　\t") == []


def test_like_patterns_escape_the_wildcards_and_the_escape_character() -> None:
    assert like_pattern("AI") == "%AI%"
    assert like_pattern("100%") == "%100\\%%"
    assert like_pattern("a_b") == "%a\\_b%"
    assert like_pattern("C:\\") == "%C:\\\\%"


def test_a_short_text_is_its_own_snippet_with_the_words_highlighted() -> None:
    assert snippet("AIやRPAの活用", ["ai", "rpa"]) == Snippet("AIやRPAの活用", ((0, 2), (3, 6)))


def test_a_snippet_of_a_long_text_is_cut_around_the_first_match() -> None:
    # 秦野市 1-1-(2)'s overview, as imported.
    doc = load_demo_package("hadano-ict-plan")
    [initiative] = [item for item in doc["initiatives"] if item["code"] == "1-1-(2)"]
    text = initiative["overview"]
    cut = snippet(text, ["転出届出"], width=40, before=10)
    assert cut.text.startswith("…")
    assert cut.text.endswith("…")
    assert len(cut.text) == 42
    [(start, end)] = cut.highlights
    assert cut.text[start:end] == "転出届出"
    assert start == 11  # "…" and the 10 characters before the match


def test_a_snippet_highlights_full_width_text_found_by_an_ascii_word() -> None:
    cut = snippet("ＡＩ－ＯＣＲの導入", ["ocr"])
    assert cut.text[cut.highlights[0][0] : cut.highlights[0][1]] == "ＯＣＲ"


def test_a_snippet_shows_line_breaks_as_spaces_and_overlapping_words_as_one_highlight() -> None:
    cut = snippet("行政手続の\nオンライン化", ["オンライン", "ライン化"])
    assert cut == Snippet("行政手続の オンライン化", ((6, 12),))


def test_a_snippet_near_the_end_of_a_text_uses_its_full_width() -> None:
    text = "あ" * 100 + "窓口"
    cut = snippet(text, ["窓口"], width=30, before=5)
    assert cut.text == "…" + "あ" * 28 + "窓口"
    assert cut.highlights == ((29, 31),)


def test_a_snippet_of_a_text_without_the_words_is_its_start() -> None:
    assert snippet("あいうえお", ["窓口"], width=3) == Snippet("あいう…")


# --- What a department still has to report -----------------------------------------------------


def test_an_initiative_reports_only_within_its_plan_and_its_own_period() -> None:
    # 平塚市 0701-03 (行財政改革計画 FY2020-2023): ごみ収集業務等民間活力導入事業, FY2018-2023.
    assert reports_in(2023, (2020, 2023), (2018, 2023), terminated=False)
    assert not reports_in(2024, (2020, 2023), (2018, 2023), terminated=False)
    assert not reports_in(2022, (2020, 2023), (2023, 2023), terminated=False)
    assert reports_in(2022, (2020, 2023), (None, None), terminated=False)
    assert not reports_in(2022, (2020, 2023), (None, None), terminated=True)


def test_an_activity_is_due_in_the_years_its_schedule_plans_or_every_year_without_one() -> None:
    assert activity_due({(2021, 2021): "分析", (2022, 2022): "方向性の検討"}, 2022)
    assert not activity_due({(2021, 2021): "分析"}, 2022)
    assert activity_due({}, 2022)
    assert activity_due({(2020, 2023): "運用"}, 2022)
    assert activity_reported([(2022, 2022)], 2022)
    assert not activity_reported([(2021, 2021)], 2022)


def test_an_indicator_is_due_where_its_target_is_not_a_dash() -> None:
    # 伊勢原市 1-4: システム導入, "-" in FY2023 and FY2024, 完了 in FY2025.
    indicator = _indicator("isehara-ict-action-plan", "1-4", "システム導入")
    targets = {(int(k), int(k)): v["text"] for k, v in indicator["targets"].items()}
    assert not indicator_due(targets, 2023)
    assert indicator_due(targets, 2025)
    assert not indicator_due(targets, 2026)
    assert indicator_due({}, 2026)


def test_a_goal_is_due_from_its_target_year_on() -> None:
    assert goal_due(2023, 2023)
    assert goal_due(2021, 2023)
    assert not goal_due(2025, 2023)
    assert goal_due(None, 2023)


def test_a_snippet_highlights_half_width_katakana_with_its_voicing_marks() -> None:
    # ﾋﾟ and ﾊﾞ are two characters each, folded to ピ and バ.
    cut = snippet("ｶﾋﾟﾊﾞﾗ園", ["カピバラ"])
    assert cut == Snippet("ｶﾋﾟﾊﾞﾗ園", ((0, 6),))
    assert snippet("ﾊﾞｽ停", ["ハ"]) == Snippet("ﾊﾞｽ停")
