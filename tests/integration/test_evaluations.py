"""Evaluation on a real database: the scale's thresholds and labels outside the order in and out
of packages, people's verdicts (permission, row version, audit entry), and the summary tables of
seed 000, seed 002 and of plans with A–D and 1–5 scales, recomputed from the items."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Role
from dxplan.audit.models import AuditEntry
from dxplan.db import unit_of_work
from dxplan.errors import (
    InvalidChangeError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from dxplan.evaluation import services as evaluation_services
from dxplan.evaluation.models import IndicatorEvaluation
from dxplan.evaluation.queries import initiative_evaluations, plan_summary_of
from dxplan.evaluation.services import record_indicator_verdict
from dxplan.evaluation.tables import SummaryTables
from dxplan.interchange.errors import PackageError
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.plans.queries import find_initiative, find_plan
from dxplan.tenancy.models import Department

from support import SYSTEM, counting, load_demo_package

HADANO, HIRATSUKA = "142115", "142034"
A_TO_D = [
    {"label": "A", "definition": "目標を達成", "threshold": 100},
    {"label": "B", "threshold": 80},
    {"label": "C", "threshold": 60},
    {"label": "D"},
    {"label": "評価できない", "outside_order": True},
]


def _import(sessions: sessionmaker[Session], doc: dict[str, Any], **options: Any) -> None:
    with unit_of_work(sessions) as session:
        import_package(session, doc, source="test.json", actor=SYSTEM, **options)


def _summary(sessions: sessionmaker[Session], code: str, plan_id: str, fy: int) -> SummaryTables:
    with sessions() as session:
        plan = find_plan(session, code, plan_id)
        assert plan is not None
        return plan_summary_of(session, plan, fy)


def _actuals(doc: dict[str, Any], code: str, name: str, **texts: tuple[str, float]) -> None:
    [item] = [i for i in doc["initiatives"] if i["code"] == code]
    [indicator] = [i for i in item["indicators"] if i["name"] == name]
    indicator["actuals"] = {
        key.removeprefix("y"): {"text": text, "value": value}
        for key, (text, value) in texts.items()
    }


def _a_to_d_plan() -> dict[str, Any]:
    """秦野市's plan judged on A–D with thresholds, with FY2023 actuals for three KPIs."""
    doc = load_demo_package("hadano-ict-plan")
    doc["plan"]["scales"] = {"achievement": A_TO_D}
    _actuals(doc, "1-1-(3)", "交付率(対人口)", y2023=("82%", 82))  # ≥ 80%: A
    _actuals(doc, "1-1-(2)", "利用率", y2023=("4.5%", 4.5))  # 4.5 ÷ 5 = 90%: B
    _actuals(doc, "1-2-(6)", "個別避難計画の作成", y2023=("70件", 70))  # 70 ÷ 110 = 63.6%: C
    return doc


# --- The scale in packages ------------------------------------------------------------------------


def test_thresholds_and_labels_outside_the_order_survive_import_and_export(
    sessions: sessionmaker[Session],
) -> None:
    doc = _a_to_d_plan()
    doc["plan"]["scales"]["progress"] = [
        {"label": "順調", "on_track": True},
        {"label": "やや遅れ", "on_track": True},
        {"label": "遅れ"},
        {"label": "対象外", "outside_order": True},
    ]
    _import(sessions, doc)
    with sessions() as session:
        exported = export_package(session, HADANO, "hadano-ict-plan", ids=False)
    assert exported["plan"]["scales"] == doc["plan"]["scales"]


def test_replacing_a_scale_threshold_is_recorded_old_to_new(
    sessions: sessionmaker[Session],
) -> None:
    doc = _a_to_d_plan()
    _import(sessions, doc)
    doc["plan"]["scales"]["achievement"][1]["threshold"] = 75
    _import(sessions, doc, replace=True)
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "plan.replace")).one()
        [change] = [c for c in entry.changes or [] if c["field"] == "plan.scales"]
    assert ["achievement", "B", 2, None, "80", True, False] in change["old"]
    assert ["achievement", "B", 2, None, "75", True, False] in change["new"]
    assert _summary(sessions, HADANO, "hadano-ict-plan", 2023).plan_row is not None


@pytest.mark.parametrize(
    ("scales", "path", "expected"),
    [
        (
            {"progress": [{"label": "済", "threshold": 100}, {"label": "遅れ"}]},
            "$.plan.scales.progress[0].threshold",
            "しきい値なし（しきい値は達成状況の順序のある区分だけに付けます）",
        ),
        (
            {"achievement": [{"label": "A", "threshold": 80}, {"label": "B", "threshold": 90}]},
            "$.plan.scales.achievement[1].threshold",
            "一つ上の区分のしきい値（80、$.plan.scales.achievement[0].threshold）より小さい値",
        ),
        (
            {"achievement": [{"label": "A"}, {"label": "対象外", "on_track": True}]},
            "$.plan.scales.achievement[1].on_track",
            "on_track は進捗状況の順序のある区分だけに付けます",
        ),
    ],
)
def test_a_scale_with_misplaced_thresholds_or_flags_is_refused_naming_the_field(
    sessions: sessionmaker[Session], scales: dict[str, Any], path: str, expected: str
) -> None:
    doc = load_demo_package("hadano-ict-plan")
    doc["plan"]["scales"] = scales
    with pytest.raises(PackageError) as caught:
        _import(sessions, doc)
    assert any(p.path == path and p.expected == expected for p in caught.value.problems)


# --- The summary tables recompute the seeds' totals -----------------------------------------------


def test_seed_002_totals_recompute_from_the_items(sessions: sessionmaker[Session]) -> None:
    _import(sessions, load_demo_package("hiratsuka-reform-plan-2020-2023"))
    tables = _summary(sessions, HIRATSUKA, "hiratsuka-reform-plan-2020-2023", 2023)
    assert tables.achievement_total.computed == 60
    counts = {row.label: (row.count.computed, row.count.printed) for row in tables.achievement}
    assert counts == {"達成": (55, "55"), "一部未達成": (3, "3"), "未達成": (2, "2")}
    shares = {row.label: (row.share.computed_text, row.share.differs) for row in tables.achievement}
    assert shares["達成"] == ("91.7%", True)  # the document prints 91.2%
    assert shares["未達成"] == ("3.3%", False)
    fiscal = dict(tables.fiscal)
    assert (fiscal["合計"].computed, fiscal["合計"].differs) == (Decimal(4698997), False)
    assert fiscal["2020"].computed is None  # the items give 2020-2023 totals only
    assert fiscal["2020"].printed == "827,080千円"
    [first] = [v for v in tables.viewpoints if v.title == "民間活力の活用"]
    cells = {y.key: y for y in first.years}
    assert [cells[k].initiatives.computed for k in ("2020", "2021", "2022", "2023", "計")] == [
        7,
        7,
        5,
        6,
        9,
    ]
    assert all(not cells[k].initiatives.differs for k in cells)
    assert cells["計"].fiscal.computed == Decimal(1122018)
    assert [row.initiatives.computed for row in tables.progress] == [23, 29, 27, 26]
    assert all(row.initiatives.computed_text == row.initiatives.printed for row in tables.progress)
    assert tables.progress[0].rate.printed == "91.4%"
    assert tables.progress[0].rate.computed is None  # no activity statuses transcribed


def test_seed_000_goal_verdicts_recompute_as_six_met_and_two_not(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package("hiratsuka-dx-action-plan-results"))
    tables = _summary(sessions, HIRATSUKA, "hiratsuka-dx-action-plan-results", 2023)
    counts = {row.label: row.count.computed for row in tables.achievement}
    assert counts == {"達成": 6, "一部未達成": 0, "未達成": 2}
    assert tables.achievement_total.computed == 8


def test_a_plan_on_a_one_to_five_scale_counts_its_label_outside_the_order_apart(
    sessions: sessionmaker[Session],
) -> None:
    doc = load_demo_package("hiratsuka-dx-action-plan-results")
    doc["plan"]["scales"] = {
        "achievement": [{"label": str(n)} for n in (5, 4, 3, 2, 1)]
        + [{"label": "評価できない", "outside_order": True}]
    }
    goals = [g for item in doc["initiatives"] for g in item.get("goals") or []]
    for goal in goals:
        goal["achievement"] = {"達成": "5", "未達成": "1"}[goal["achievement"]]
    assert goals[-1]["achievement"] == "5"
    goals[-1]["achievement"] = "評価できない"
    _import(sessions, doc)
    tables = _summary(sessions, HIRATSUKA, "hiratsuka-dx-action-plan-results", 2023)
    counts = {row.label: row.count.computed for row in tables.achievement}
    assert counts == {"5": 5, "4": 0, "3": 0, "2": 0, "1": 2}
    assert tables.achievement_apart == {"評価できない": 1}
    assert tables.achievement_total.computed == 7
    assert {row.label: row.share.computed_text for row in tables.achievement}["5"] == "71.4%"


def test_an_a_to_d_plan_judges_its_indicators_by_threshold(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _a_to_d_plan())
    tables = _summary(sessions, HADANO, "hadano-ict-plan", 2023)
    assert tables.plan_row is not None
    assert tables.plan_row.indicators.counts == {"A": 1, "B": 1, "C": 1, "D": 0}
    assert tables.plan_row.indicators.apart == {"評価できない": 0}
    by_section = {row.name.split()[0]: row.indicators.counts for row in tables.by_section}
    assert by_section["1-1"] == {"A": 1, "B": 1, "C": 0, "D": 0}


def test_the_summary_costs_the_same_queries_for_a_plan_twice_the_size(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    doc = _a_to_d_plan()
    _import(sessions, doc)
    large = _a_to_d_plan()
    large["plan"]["id"] = "hadano-ict-plan-large"
    copies = [dict(item, code=item["code"] + "-2") for item in large["initiatives"]]
    large["initiatives"] += [{k: v for k, v in item.items() if k != "successor"} for item in copies]
    _import(sessions, large)
    counts = []
    for plan_id in ("hadano-ict-plan", "hadano-ict-plan-large"):
        with counting(engine) as statements:
            tables = _summary(sessions, HADANO, plan_id, 2023)
        counts.append(len(statements))
        assert tables.plan_row is not None
    assert counts[0] == counts[1]
    assert tables.plan_row.indicators.counts == {"A": 2, "B": 2, "C": 2, "D": 0}


# --- People's verdicts ----------------------------------------------------------------------------


def _department(sessions: sessionmaker[Session], name: str) -> int:
    with sessions() as session:
        return session.scalars(select(Department.id).where(Department.name == name)).one()


def _user(
    roles: set[Role], department_ids: frozenset[int] = frozenset(), code: str = HADANO
) -> Actor:
    return Actor("user:7", code, frozenset(roles), department_ids)


def _indicator_uid(sessions: sessionmaker[Session], code: str, name: str) -> str:
    with sessions() as session:
        initiative = find_initiative(session, HADANO, "hadano-ict-plan", code)
        assert initiative is not None
        return next(i.uid for i in initiative.indicators if i.name == name)


def _verdict(
    sessions: sessionmaker[Session],
    actor: Actor,
    code: str,
    uid: str,
    label: str | None,
    version: int | None = None,
    fy: int = 2023,
) -> IndicatorEvaluation | None:
    with unit_of_work(sessions) as session:
        return record_indicator_verdict(
            session,
            Context(actor, actor.municipality_code or HADANO),
            "hadano-ict-plan",
            code,
            uid,
            fy,
            label,
            "庁内調査の結果、実質的に達成と判断",
            version,
        )


def test_a_department_editor_overrides_the_computed_verdict_with_a_reason(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _a_to_d_plan())
    editor = _user({Role.DEPARTMENT_EDITOR}, frozenset({_department(sessions, "戸籍住民課")}))
    uid = _indicator_uid(sessions, "1-1-(2)", "利用率")
    row = _verdict(sessions, editor, "1-1-(2)", uid, "A")
    assert row is not None
    with sessions() as session:
        stored = session.scalars(select(IndicatorEvaluation)).one()
        assert (stored.computed_label, stored.label, stored.actor) == ("B", "A", "user:7")
        assert stored.computed_rate == Decimal(90)
        initiative = find_initiative(session, HADANO, "hadano-ict-plan", "1-1-(2)")
        assert initiative is not None
        [year] = [e for e in initiative_evaluations(session, initiative) if e.fy == 2023]
        assert (year.evaluation.label, year.final_label) == ("B", "A")
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "indicator.evaluate")
        ).one()
        assert entry.changes is not None
        assert entry.changes[0]["old"] is None
        assert entry.changes[0]["new"] == "A"
        assert entry.detail == {"computed": "B", "rate": "90"}
    counts = _summary(sessions, HADANO, "hadano-ict-plan", 2023).plan_row
    assert counts is not None
    assert counts.indicators.counts == {"A": 2, "B": 0, "C": 1, "D": 0}


def test_a_verdict_changed_since_it_was_read_is_refused(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _a_to_d_plan())
    dx = _user({Role.DX_DIVISION})
    uid = _indicator_uid(sessions, "1-1-(2)", "利用率")
    first = _verdict(sessions, dx, "1-1-(2)", uid, "評価できない")
    assert first is not None
    with pytest.raises(StaleVersionError):
        _verdict(sessions, dx, "1-1-(2)", uid, "C", version=None)
    _verdict(sessions, dx, "1-1-(2)", uid, "C", version=first.row_version)
    tables = _summary(sessions, HADANO, "hadano-ict-plan", 2023)
    assert tables.plan_row is not None
    assert tables.plan_row.indicators.counts["C"] == 2


def test_two_first_verdicts_at_the_same_moment_leave_the_first_and_refuse_the_second(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second person read the year before the first's verdict was stored: the unique key
    refuses the second insert, which is told as a stale version; the first verdict stays and the
    transaction stays usable (a savepoint, on PostgreSQL too)."""
    _import(sessions, _a_to_d_plan())
    dx = _user({Role.DX_DIVISION})
    uid = _indicator_uid(sessions, "1-1-(2)", "利用率")
    _verdict(sessions, dx, "1-1-(2)", uid, "A")
    monkeypatch.setattr(
        evaluation_services, "verdicts_by_indicator_year", lambda session, ids: {}
    )  # read before it
    with unit_of_work(sessions) as session:
        with pytest.raises(StaleVersionError):
            record_indicator_verdict(
                session,
                Context(dx, HADANO),
                "hadano-ict-plan",
                "1-1-(2)",
                uid,
                2023,
                "C",
                "同時に判定",
                None,
            )
        assert session.scalars(select(IndicatorEvaluation.label)).all() == ["A"]
    with sessions() as session:
        assert session.scalars(select(IndicatorEvaluation.label)).all() == ["A"]


def test_withdrawing_a_verdict_returns_to_the_computed_one(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _a_to_d_plan())
    dx = _user({Role.DX_DIVISION})
    uid = _indicator_uid(sessions, "1-1-(2)", "利用率")
    first = _verdict(sessions, dx, "1-1-(2)", uid, "評価できない")
    assert first is not None
    tables = _summary(sessions, HADANO, "hadano-ict-plan", 2023)
    assert tables.plan_row is not None
    assert tables.plan_row.indicators.apart == {"評価できない": 1}
    assert _verdict(sessions, dx, "1-1-(2)", uid, None, version=first.row_version) is None
    with sessions() as session:
        assert session.scalars(select(IndicatorEvaluation)).all() == []


def test_a_department_editor_cannot_judge_another_departments_indicator(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _a_to_d_plan())
    editor = _user({Role.DEPARTMENT_EDITOR}, frozenset({_department(sessions, "戸籍住民課")}))
    uid = _indicator_uid(sessions, "1-2-(6)", "個別避難計画の作成")  # 防災課's
    viewer = _user({Role.VIEWER})
    for actor in (editor, viewer):
        with pytest.raises(PermissionDeniedError):
            _verdict(sessions, actor, "1-2-(6)", uid, "A")


def test_another_municipalitys_user_finds_no_indicator_to_judge(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _a_to_d_plan())
    uid = _indicator_uid(sessions, "1-1-(2)", "利用率")
    stranger = _user({Role.ADMIN}, code="142140")
    with pytest.raises(NotFoundError), unit_of_work(sessions) as session:
        record_indicator_verdict(
            session,
            Context(stranger, HADANO),
            "hadano-ict-plan",
            "1-1-(2)",
            uid,
            2023,
            "A",
            "理由",
            None,
        )


def test_a_label_off_the_scale_or_a_missing_reason_is_refused(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, _a_to_d_plan())
    dx = _user({Role.DX_DIVISION})
    uid = _indicator_uid(sessions, "1-1-(2)", "利用率")
    with pytest.raises(InvalidChangeError) as caught, unit_of_work(sessions) as session:
        record_indicator_verdict(
            session, Context(dx, HADANO), "hadano-ict-plan", "1-1-(2)", uid, 2030, "達成", " ", None
        )
    fields = [p.path for p in caught.value.problems]
    assert fields == ["label", "reason", "fy"]
    assert "A、B、C、D、評価できない" in caught.value.problems[0].expected


def test_an_exact_target_survives_import_and_export_and_is_judged_exactly(
    sessions: sessionmaker[Session],
) -> None:
    doc = _a_to_d_plan()
    [item] = [i for i in doc["initiatives"] if i["code"] == "1-1-(3)"]
    indicator = item["indicators"][1]  # 交付率(対申請件数): 100% every year
    indicator["targets"]["2023"]["op"] = "="
    indicator["actuals"] = {"2023": {"text": "99%", "value": 99}}
    _import(sessions, doc)
    with sessions() as session:
        exported = export_package(session, HADANO, "hadano-ict-plan", ids=False)
        initiative = find_initiative(session, HADANO, "hadano-ict-plan", "1-1-(3)")
        assert initiative is not None
        [year] = [
            e
            for e in initiative_evaluations(session, initiative)
            if e.fy == 2023 and e.name == indicator["name"]
        ]
    [out] = [i for i in exported["initiatives"] if i["code"] == "1-1-(3)"]
    assert out["indicators"][1]["targets"]["2023"] == {"text": "100%", "value": 100, "op": "="}
    assert (year.evaluation.comparison, year.evaluation.met, year.evaluation.label) == (
        "=",
        False,
        "B",
    )
