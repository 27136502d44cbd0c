"""The Japanese summaries of a revision's changes, generated from the audit trail's old → new."""

from __future__ import annotations

import pytest

from dxplan.revisions.rules import revision_date_problem
from dxplan.revisions.summaries import (
    initiative_summary,
    net_changes,
    section_summary,
    termination_summary,
)

TARGET_UID = "00000000-0000-4000-8000-000000000001"


def test_changes_recorded_one_after_another_are_one_change_per_field() -> None:
    recorded = [
        [
            {"field": "title", "old": "旧", "new": "中"},
            {"field": "indicators[1].targets.2025", "old": 50, "new": 55, "uid": TARGET_UID},
        ],
        [
            {"field": "title", "old": "中", "new": "新"},
            # The indicator moved to the first place: the same field, told by its uid.
            {"field": "indicators[0].targets.2025", "old": 55, "new": 60, "uid": TARGET_UID},
            {"field": "overview", "old": "a", "new": "b"},
        ],
        [{"field": "overview", "old": "b", "new": "a"}],
    ]
    assert net_changes(recorded) == [
        {"field": "title", "old": "旧", "new": "新"},
        {"field": "indicators[1].targets.2025", "old": 50, "new": 60, "uid": TARGET_UID},
    ]


def _target(old: object, new: object) -> dict[str, object]:
    return {"field": "indicators[0].targets.2025", "old": old, "new": new, "uid": TARGET_UID}


@pytest.mark.parametrize(
    ("change", "summary"),
    [
        (
            _target({"text": "50件", "value": 50}, {"text": "60件", "value": 60}),
            "指標『利用件数』の2025年度目標値を 50件 → 60件 に変更",
        ),
        (
            _target(None, {"text": "60件", "value": 60}),
            "指標『利用件数』の2025年度目標値を 60件 に設定",
        ),
        (
            _target({"text": "50件", "value": 50}, None),
            "指標『利用件数』の2025年度目標値（50件）を削除",
        ),
        ({"field": "title", "old": "旧", "new": "新しい題名"}, "取組名を『新しい題名』に変更"),
        ({"field": "section", "old": "1-1", "new": "1-2"}, "区分を 1-1 から 1-2 に変更"),
        ({"field": "indicators[2]", "old": None, "new": "満足度"}, "指標『満足度』を追加"),
        (
            {"field": "indicators[0].name", "old": "件数", "new": "利用件数"},
            "指標名を『件数』から『利用件数』に変更",
        ),
        ({"field": "lead_departments", "old": ["a"], "new": ["b"]}, "主管課を変更"),
        (
            {"field": "activities[0].plan.2025", "old": "検討", "new": "導入"},
            "取組スケジュールを変更",
        ),
        ({"field": "activities[1]", "old": None, "new": "実証実験"}, "活動『実証実験』を追加"),
        ({"field": "terminated", "old": True, "new": False}, "計画終了を取り消し"),
    ],
)
def test_each_change_is_said_in_japanese(change: dict[str, object], summary: str) -> None:
    assert initiative_summary([change], {TARGET_UID: "利用件数"}) == summary


def test_yearly_fields_and_repeated_phrases_are_left_out() -> None:
    changes = [
        {"field": "results.2024", "old": None, "new": "実施した"},
        {"field": "overview", "old": "a", "new": "b"},
        {"field": "activities[0].plan.2025", "old": "検討", "new": "導入"},
        {"field": "activities[1].plan.2025", "old": "検討", "new": "導入"},
    ]
    assert initiative_summary(changes, {}) == "概要を変更。取組スケジュールを変更"


def test_a_termination_names_its_successor_and_reason() -> None:
    assert (
        termination_summary("1-2-(3)に統合", "1-2-(3)")
        == "廃止（後継: 1-2-(3)）理由: 1-2-(3)に統合"
    )
    assert termination_summary("目的を達成", None) == "廃止 理由: 目的を達成"
    assert termination_summary(None, None) == "廃止"


def test_a_section_added_or_moved() -> None:
    assert section_summary("1-4", "窓口", added=True, parent="1", reparented=False) == (
        "区分 1-4『窓口』を追加"
    )
    assert section_summary("2-5", "人材", added=False, parent="1", reparented=True) == (
        "区分 2-5『人材』を 1 の下に移動"
    )
    assert section_summary("2", "方針", added=False, parent=None, reparented=True) == (
        "区分 2『方針』を最上位に移動"
    )
    assert section_summary("2-1", "x", added=False, parent="2", reparented=False) == (
        "区分 2-1『x』の順序を変更"
    )


@pytest.mark.parametrize(
    ("date", "latest", "problem"),
    [
        ("2026-04-01", "2025-03", None),
        ("2026-04", None, None),
        ("2025-03", "2025-03-15", None),
        ("2026/04/01", None, "YYYY-MM-DD または YYYY-MM の形の日付"),
        ("2026", None, "YYYY-MM-DD または YYYY-MM の形の日付"),
        ("2026-02-30", None, "実在する日付"),
        ("2025-02-28", "2025-03", "最新の改訂（2025-03）より前でない日付"),
    ],
)
def test_a_revision_date(date: str, latest: str | None, problem: str | None) -> None:
    assert revision_date_problem(date, latest) == problem
