"""What the documents say, worked out from packages (pure functions, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dxplan.documents.build import japanese_lines
from dxplan.documents.content import DocumentError, Kind, available_kinds, resolve_fy
from dxplan.documents.figure_tables import recompute
from dxplan.documents.initiatives import cut_at
from dxplan.documents.worksheet import figure_cell, text_width
from dxplan.evaluation.facts import facts_from_package

from support import load_demo_package

PLAN = {"plan": {"period": {"start_fy": 2021, "end_fy": 2025}}}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 3, 31), 2023),
        (date(2024, 4, 1), 2024),
        (date(2030, 1, 1), 2025),
        (date(2019, 5, 1), 2021),
    ],
)
def test_without_a_year_a_document_is_of_the_current_fiscal_year_within_the_plan(
    today: date, expected: int
) -> None:
    assert resolve_fy(PLAN, None, today) == expected


def test_a_year_outside_the_plan_names_the_period() -> None:
    with pytest.raises(DocumentError, match="令和3年度〜令和7年度"):
        resolve_fy(PLAN, 2026, date(2024, 4, 1))


def test_a_document_cut_at_a_year_leaves_out_later_results_actuals_and_verdicts() -> None:
    item = {
        "results": {"2021": "a", "2022": "b", "2020-2023": "span"},
        "activities": [{"title": "x", "plan": {"2022": "p"}, "actual": {"2021": "r", "2022": "s"}}],
        "indicators": [{"name": "n", "actuals": {"2021": {"text": "1"}, "2022": {"text": "2"}}}],
        "goals": [
            {"text": "g1", "target_fy": 2021, "achievement": "達成", "note": "ok"},
            {"text": "g2", "target_fy": 2022, "achievement": "未達成", "note": "why"},
        ],
    }
    cut = cut_at(item, 2021)
    assert cut["results"] == {"2021": "a", "2020-2023": "span"}
    assert cut["activities"][0]["actual"] == {"2021": "r"}
    assert cut["activities"][0]["plan"] == {"2022": "p"}  # the plan stays whole
    assert cut["indicators"][0]["actuals"] == {"2021": {"text": "1"}}
    assert cut["goals"] == [item["goals"][0], {"text": "g2", "target_fy": 2022}]
    assert item["results"]["2022"] == "b"  # the package itself is left as it was


@pytest.mark.parametrize(
    ("figure", "cell"),
    [
        ({"text": "29手続", "value": 29}, (29, '#,##0"手続"')),
        ({"text": "17,178件", "value": 17178}, (17178, '#,##0"件"')),
        ({"text": "91.4%", "value": 91.4}, (91.4, '#,##0.0"%"')),
        ({"text": "約10,000m2", "value": 10000}, (10000, '"約"#,##0"m2"')),
        ({"text": "完了", "value": None}, ("完了", None)),
        ({"text": "2020年度末で30件", "value": 30}, ("2020年度末で30件", None)),
        (None, (None, None)),
    ],
)
def test_a_figure_is_a_number_cell_printed_as_the_plan_prints_it(
    figure: dict[str, object] | None, cell: tuple[object, str | None]
) -> None:
    assert figure_cell(figure) == cell


def test_full_width_characters_count_twice_in_a_column_width() -> None:
    assert text_width("ICT推進") == 7
    assert text_width("長い行\nab") == 6


def test_the_progress_report_prints_the_notes_written_in_japanese_only() -> None:
    notes = "計画期間中の取組実績を取りまとめました。\nTranscription conventions: the cover page.\n"
    assert japanese_lines(notes) == "計画期間中の取組実績を取りまとめました。"


def test_seed_002s_figures_are_recomputed_where_its_items_carry_what_they_count() -> None:
    doc = load_demo_package("hiratsuka-reform-plan-2020-2023")
    facts = facts_from_package(doc)
    fiscal = sum(
        Decimal(str(f["value"]))
        for i in doc["initiatives"]
        for f in i.get("fiscal_effects", {}).values()
    )
    assert recompute(facts, "財政健全化効果額/合計") == fiscal
    assert recompute(facts, "達成状況/達成/割合", "91.2%") == Decimal("91.7")
    # No activity has a status and the effects span the four years: nothing to count.
    assert recompute(facts, "進捗状況/2020/事業数") is None
    assert recompute(facts, "財政健全化効果額/2020") is None
    assert recompute(facts, "公立園数/合計/「見直し」前") is None


def test_a_plan_that_lists_only_titles_has_no_sheets_but_its_figures_summary() -> None:
    assert available_kinds(load_demo_package("hiratsuka-digital-policy")) == [Kind.SUMMARY]
    assert available_kinds(load_demo_package("hadano-ict-plan")) == [Kind.SHEETS, Kind.REVISIONS]
    assert available_kinds(load_demo_package("hiratsuka-dx-action-plan-results")) == [
        Kind.SHEETS,
        Kind.PROGRESS,
        Kind.SUMMARY,
    ]
