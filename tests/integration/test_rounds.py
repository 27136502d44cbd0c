"""The reporting round on a real database: open → submit → return → resubmit → accept →
approve → lock → a correction with its reason; who may do each, the audit trail, the lock on
yearly fields, the dashboard and what it costs."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor, Role
from dxplan.audit.models import AuditEntry
from dxplan.db import unit_of_work
from dxplan.editing.services import update_initiative
from dxplan.errors import InvalidChangeError, NotFoundError, PermissionDeniedError
from dxplan.evaluation.services import record_indicator_verdict
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.plans.models import Initiative
from dxplan.plans.snapshots import unpack
from dxplan.reporting.models import ReportingRound
from dxplan.reporting.queries import round_dashboard
from dxplan.reporting.rules import RoundState, SubmissionState
from dxplan.reporting.services import (
    accept_report,
    approve_round,
    open_round,
    return_report,
    submit_report,
)
from dxplan.tenancy.models import Department

from support import SYSTEM, counting, load_demo_package

HADANO, ISEHARA = "142115", "142140"
PLAN = "hadano-ict-plan"
FY = 2024
DUE = datetime.date(2025, 5, 31)
EDITOR_DEPARTMENT = "戸籍住民課"  # leads 1-1-(2), whose indicator 利用率 has a 2024 target
DX = Context(Actor.user(1, HADANO, [Role.DX_DIVISION]), HADANO)
ADMIN = Context(Actor.user(2, HADANO, [Role.ADMIN]), HADANO)
COMMITTEE = Context(Actor.user(3, HADANO, [Role.COMMITTEE]), HADANO)
VIEWER = Context(Actor.user(4, HADANO, [Role.VIEWER]), HADANO)
STRANGER = Context(Actor.user(5, ISEHARA, [Role.ADMIN]), HADANO)


def _run(sessions: sessionmaker[Session], action: Callable[[Session], Any]) -> Any:
    with unit_of_work(sessions) as session:
        return action(session)


@pytest.fixture
def hadano(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with unit_of_work(sessions) as session:
        import_package(session, load_demo_package(PLAN), source="test.json", actor=SYSTEM)
    return sessions


def _editor(sessions: sessionmaker[Session]) -> Context:
    with sessions() as session:
        department = session.scalars(
            select(Department.id).where(Department.name == EDITOR_DEPARTMENT)
        ).one()
    return Context(Actor.user(6, HADANO, [Role.DEPARTMENT_EDITOR], [department]), HADANO)


def _set_actual(
    sessions: sessionmaker[Session], context: Context, value: int, *, reason: str | None = None
) -> None:
    """Report the 2024 actual of 1-1-(2)'s indicator 利用率."""
    with unit_of_work(sessions) as session:
        doc = export_package(session, HADANO, PLAN)
        form = next(i for i in doc["initiatives"] if i["code"] == "1-1-(2)")
        form["indicators"][0]["actuals"] = {str(FY): {"text": f"{value}%", "value": value}}
        version = session.scalars(
            select(Initiative.row_version).where(Initiative.uid == form["uid"])
        ).one()
        update_initiative(session, context, PLAN, "1-1-(2)", form, version, reason=reason)


def _open(sessions: sessionmaker[Session], context: Context = DX) -> None:
    _run(sessions, lambda s: open_round(s, context, PLAN, FY, DUE))


def _state(sessions: sessionmaker[Session], department: str = EDITOR_DEPARTMENT) -> SubmissionState:
    with sessions() as session:
        board = round_dashboard(session, DX.actor, HADANO, PLAN, FY, today=DUE)
    return next(row.state for row in board.departments if row.name == department)


def _entries(sessions: sessionmaker[Session], prefix: str) -> list[AuditEntry]:
    with sessions() as session:
        statement = select(AuditEntry).where(AuditEntry.action.startswith(prefix))
        return list(session.scalars(statement.order_by(AuditEntry.id)))


def test_a_round_lists_the_departments_that_lead_or_implement_an_initiative_reporting_that_year(
    hadano: sessionmaker[Session],
) -> None:
    _open(hadano)
    with hadano() as session:
        board = round_dashboard(session, DX.actor, HADANO, PLAN, FY, today=DUE)
    names = {row.name for row in board.departments}
    assert EDITOR_DEPARTMENT in names
    assert "デジタル推進課" in names
    assert "障害福祉課" not in names  # only related (関係課) to initiatives
    # 防災課 leads 2-1-(3), terminated, and also 3-2-(2), which reports.
    assert "防災課" in names
    assert all(row.state is SubmissionState.NOT_SUBMITTED for row in board.departments)
    editor_row = next(row for row in board.departments if row.name == EDITOR_DEPARTMENT)
    assert editor_row.initiatives == ["1-1-(2)", "1-1-(3)"]  # implements 1-1-(3)
    assert ("indicator", "利用率") in {(m.kind, m.title) for m in editor_row.missing}
    entry = _entries(hadano, "round.open")[0]
    assert entry.actor_id == "user:1"
    assert entry.target_key == f"{HADANO}/{PLAN}/rounds/{FY}"


def test_a_round_is_opened_once_per_year_and_only_for_a_year_of_the_plan(
    hadano: sessionmaker[Session],
) -> None:
    _open(hadano)
    with pytest.raises(InvalidChangeError, match="すでに開始されています"):
        _open(hadano)
    with pytest.raises(InvalidChangeError, match="2021〜2025年度"):
        _run(hadano, lambda s: open_round(s, DX, PLAN, 2026, DUE))


@pytest.mark.parametrize("context", [VIEWER, COMMITTEE])
def test_only_the_dx_division_or_an_admin_opens_a_round(
    hadano: sessionmaker[Session], context: Context
) -> None:
    with pytest.raises(PermissionDeniedError):
        _open(hadano, context)
    _open(hadano, ADMIN)


def test_another_municipalitys_user_finds_no_round(hadano: sessionmaker[Session]) -> None:
    with pytest.raises(NotFoundError):
        _open(hadano, STRANGER)
    _open(hadano)
    with pytest.raises(NotFoundError):
        _run(hadano, lambda s: submit_report(s, STRANGER, PLAN, FY, EDITOR_DEPARTMENT))
    with hadano() as session, pytest.raises(NotFoundError):
        round_dashboard(session, STRANGER.actor, HADANO, PLAN, FY, today=DUE)
    with hadano() as session, pytest.raises(NotFoundError):
        round_dashboard(session, None, HADANO, PLAN, FY, today=DUE)


def test_the_whole_round_from_opening_to_a_correction_of_the_locked_year(
    hadano: sessionmaker[Session],
) -> None:
    editor = _editor(hadano)
    _open(hadano)
    _set_actual(hadano, editor, 30)
    _run(hadano, lambda s: submit_report(s, editor, PLAN, FY, EDITOR_DEPARTMENT))
    assert _state(hadano) is SubmissionState.SUBMITTED
    # Submitted: the editor can no longer change the year, nor decide on the report.
    with pytest.raises(InvalidChangeError, match="戸籍住民課の2024年度の報告は提出済み"):
        _set_actual(hadano, editor, 31)
    with pytest.raises(PermissionDeniedError):
        _run(hadano, lambda s: accept_report(s, editor, PLAN, FY, EDITOR_DEPARTMENT))
    # A return needs a comment; it reopens the year to the editor.
    with pytest.raises(InvalidChangeError, match="差し戻す理由"):
        _run(hadano, lambda s: return_report(s, DX, PLAN, FY, EDITOR_DEPARTMENT, "  "))
    _run(hadano, lambda s: return_report(s, DX, PLAN, FY, EDITOR_DEPARTMENT, "実績値の根拠を"))
    assert _state(hadano) is SubmissionState.RETURNED
    _set_actual(hadano, editor, 48)
    _run(hadano, lambda s: submit_report(s, editor, PLAN, FY, EDITOR_DEPARTMENT))
    _run(hadano, lambda s: accept_report(s, DX, PLAN, FY, EDITOR_DEPARTMENT))
    assert _state(hadano) is SubmissionState.ACCEPTED
    # Not every department is accepted yet: the committee cannot approve.
    with pytest.raises(InvalidChangeError, match="デジタル推進課"):
        _run(hadano, lambda s: approve_round(s, COMMITTEE, PLAN, FY))
    with hadano() as session:
        others = [
            row.name
            for row in round_dashboard(session, DX.actor, HADANO, PLAN, FY, today=DUE).departments
            if row.name != EDITOR_DEPARTMENT
        ]
    for name in others:  # the DX division may submit for a department
        _run(hadano, lambda s, n=name: submit_report(s, DX, PLAN, FY, n))
        _run(hadano, lambda s, n=name: accept_report(s, DX, PLAN, FY, n))
    with pytest.raises(PermissionDeniedError):
        _run(hadano, lambda s: approve_round(s, DX, PLAN, FY))
    _run(hadano, lambda s: approve_round(s, COMMITTEE, PLAN, FY))
    with hadano() as session:
        stored = session.scalars(select(ReportingRound)).one()
        assert stored.state is RoundState.APPROVED
        assert stored.approved_by == "user:3"
        assert stored.snapshot is not None
        kept = unpack(stored.snapshot)
    item = next(i for i in kept["initiatives"] if i["code"] == "1-1-(2)")
    assert item["indicators"][0]["actuals"][str(FY)]["value"] == 48
    # Locked: the editor may not correct; the DX division only with a reason.
    with pytest.raises(PermissionDeniedError, match="確定しています"):
        _set_actual(hadano, editor, 50)
    with pytest.raises(InvalidChangeError, match="訂正する理由"):
        _set_actual(hadano, DX, 50)
    _set_actual(hadano, DX, 50, reason="集計誤りの訂正")
    correction = _entries(hadano, "initiative.correct")[0]
    assert correction.detail == {"reason": "集計誤りの訂正", "fiscal_years": [FY]}
    assert correction.changes
    assert correction.changes[0]["new"]["value"] == 50
    with hadano() as session:
        board = round_dashboard(session, DX.actor, HADANO, PLAN, FY, today=DUE)
    assert [(c.reason, c.actor_id) for c in board.corrections] == [("集計誤りの訂正", "user:1")]
    assert board.state is RoundState.APPROVED
    actions = [e.action for e in _entries(hadano, "round.") if "戸籍住民課" in e.target_key]
    assert actions == ["round.submit", "round.return", "round.submit", "round.accept"]
    assert len(_entries(hadano, "round.approve")) == 1


def test_an_unlocked_year_changes_without_a_reason(hadano: sessionmaker[Session]) -> None:
    _open(hadano)
    _set_actual(hadano, _editor(hadano), 30)  # open, not submitted
    assert [e.action for e in _entries(hadano, "initiative.")] == ["initiative.update"]


def test_the_dashboard_costs_the_same_queries_for_a_small_and_a_large_plan(
    hadano: sessionmaker[Session], engine: Engine
) -> None:
    with unit_of_work(hadano) as session:
        import_package(
            session, load_demo_package("isehara-ict-action-plan"), source="t.json", actor=SYSTEM
        )
        open_round(session, DX, PLAN, FY, DUE)
        admin = Context(Actor.user(9, ISEHARA, [Role.ADMIN]), ISEHARA)
        open_round(session, admin, "isehara-ict-action-plan", FY, DUE)
    counts = []
    for code, plan_id, reader in (
        (HADANO, PLAN, DX.actor),
        (ISEHARA, "isehara-ict-action-plan", admin.actor),
    ):
        with hadano() as session, counting(engine) as statements:
            round_dashboard(session, reader, code, plan_id, FY, today=DUE)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_overdue_reports_are_those_not_submitted_after_the_due_date(
    hadano: sessionmaker[Session],
) -> None:
    _open(hadano)
    editor = _editor(hadano)
    _run(hadano, lambda s: submit_report(s, editor, PLAN, FY, EDITOR_DEPARTMENT))
    with hadano() as session:
        on_time = round_dashboard(session, DX.actor, HADANO, PLAN, FY, today=DUE)
        late = round_dashboard(
            session, DX.actor, HADANO, PLAN, FY, today=DUE + datetime.timedelta(days=1)
        )
    assert on_time.overdue == []
    overdue = {row.name for row in late.overdue}
    assert EDITOR_DEPARTMENT not in overdue
    assert overdue == {row.name for row in late.departments} - {EDITOR_DEPARTMENT}


def test_a_verdict_on_a_locked_year_is_a_correction_of_the_dx_division(
    hadano: sessionmaker[Session],
) -> None:
    editor = _editor(hadano)
    _open(hadano)
    with hadano() as session:
        departments = [
            row.name
            for row in round_dashboard(session, DX.actor, HADANO, PLAN, FY, today=DUE).departments
        ]
        initiative = session.scalars(select(Initiative).where(Initiative.code == "1-1-(2)")).one()
        uid = initiative.indicators[0].uid
    for name in departments:
        _run(hadano, lambda s, n=name: submit_report(s, DX, PLAN, FY, n))
        _run(hadano, lambda s, n=name: accept_report(s, DX, PLAN, FY, n))
    _run(hadano, lambda s: approve_round(s, COMMITTEE, PLAN, FY))

    def judge(context: Context) -> Any:
        return _run(
            hadano,
            lambda s: record_indicator_verdict(
                s, context, PLAN, "1-1-(2)", uid, FY, "未達成", "実績の再集計による", None
            ),
        )

    with pytest.raises(PermissionDeniedError, match="確定しています"):
        judge(editor)
    judge(DX)
    [entry] = _entries(hadano, "indicator.evaluate")
    assert entry.actor_id == "user:1"
    assert entry.detail is not None
    assert entry.detail["reason"] == "実績の再集計による"
    assert entry.detail["fiscal_years"] == [FY]
