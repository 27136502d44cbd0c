"""Write use cases of the reporting round: open it, submit, return and accept a department's
report, approve the round (which locks the fiscal year and keeps a snapshot of the plan).

Each checks permission (`accounts.rules.decide` through `authorize`), the row version where the
caller holds one, writes, and records its audit entry, in the caller's transaction.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context, authorize
from dxplan.accounts.rules import Change
from dxplan.audit import services as audit
from dxplan.audit.models import utcnow
from dxplan.audit.services import FieldChange
from dxplan.errors import InvalidChangeError, NotFoundError, StaleVersionError
from dxplan.plans.models import Plan
from dxplan.plans.package.form import plan_to_package
from dxplan.plans.queries import find_plan, plan_row
from dxplan.plans.snapshots import pack
from dxplan.problems import Problem, quoted
from dxplan.reporting.models import ReportingRound, RoundSubmission
from dxplan.reporting.queries import find_round, round_departments
from dxplan.reporting.rules import (
    RoundState,
    SubmissionAction,
    SubmissionState,
    TransitionError,
    approval_blockers,
    next_submission_state,
)


def _plan(session: Session, context: Context, plan_id: str) -> Plan:
    plan = plan_row(session, context.municipality_code, plan_id)
    authorize(context, Change.READ_DRAFT)  # another municipality's: not found, whatever exists
    if plan is None:
        raise NotFoundError(f"no plan {plan_id!r} for municipality {context.municipality_code}")
    return plan


def _key(context: Context, plan: Plan, fiscal_year: int) -> str:
    return f"{context.municipality_code}/{plan.slug}/rounds/{fiscal_year}"


def open_round(
    session: Session, context: Context, plan_id: str, fiscal_year: int, due_date: date
) -> ReportingRound:
    """Open the plan's reporting round of a fiscal year the plan covers, due on `due_date`, with
    a submission (not submitted) for every department that reports in it."""
    plan = _plan(session, context, plan_id)
    authorize(context, Change.RUN_ROUND)
    if not plan.start_fy <= fiscal_year <= plan.end_fy:
        expected = f"計画期間（{plan.start_fy}〜{plan.end_fy}年度）の年度を選んでください"
        raise InvalidChangeError([Problem("fiscal_year", f"{fiscal_year}年度", expected, "年度")])
    exists = select(ReportingRound.id).where(
        ReportingRound.plan_id == plan.id, ReportingRound.fiscal_year == fiscal_year
    )
    if session.scalar(exists) is not None:
        expected = "この年度の実績報告はすでに開始されています"
        raise InvalidChangeError([Problem("fiscal_year", f"{fiscal_year}年度", expected, "年度")])
    departments = round_departments(session, plan, fiscal_year)
    created = ReportingRound(
        plan_id=plan.id,
        fiscal_year=fiscal_year,
        due_date=due_date,
        state=RoundState.OPEN,
        opened_by=context.actor.id,
        submissions=[RoundSubmission(department_id=d) for d, _ in departments],
    )
    session.add(created)
    session.flush()
    audit.record(
        session,
        actor_id=context.actor.id,
        action="round.open",
        target_type="round",
        target_uid=created.uid,
        target_key=_key(context, plan, fiscal_year),
        municipality_id=plan.municipality_id,
        changes=[
            FieldChange("fiscal_year", None, fiscal_year),
            FieldChange("due_date", None, due_date.isoformat()),
        ],
        detail={"departments": [name for _, name in departments]},
    )
    return created


def _submission(found: ReportingRound, department: int | str) -> RoundSubmission:
    for submission in found.submissions:
        if department in (submission.department_id, submission.department.name):
            return submission
    raise NotFoundError(f"no department {department!r} reports in this round")  # 404


def _move(
    session: Session,
    context: Context,
    plan_id: str,
    fiscal_year: int,
    department: int | str,
    action: SubmissionAction,
    *,
    expected_version: int | None,
    comment: str | None = None,
) -> RoundSubmission:
    plan = _plan(session, context, plan_id)
    found = find_round(session, plan, fiscal_year)
    submission = _submission(found, department)
    if action is SubmissionAction.SUBMIT:
        authorize(context, Change.REPORT, [submission.department_id])
    else:
        authorize(context, Change.RUN_ROUND)
    if expected_version is not None and submission.row_version != expected_version:
        raise StaleVersionError(
            f"the report of {submission.department.name} for {fiscal_year}",
            expected_version,
            submission.row_version,
            {"state": submission.state.value, "comment": submission.comment},
        )
    try:
        state = next_submission_state(found.state, submission.state, action)
    except TransitionError as exc:
        shown = f"{submission.department.name}の報告"
        raise InvalidChangeError([Problem("state", shown, str(exc), "報告の状態")]) from None
    changes = [FieldChange("state", submission.state.value, state.value)]
    now = utcnow()
    if action is SubmissionAction.SUBMIT:
        submission.submitted_at, submission.submitted_by = now, context.actor.id
    else:
        submission.decided_at, submission.decided_by = now, context.actor.id
        new_comment = comment if action is SubmissionAction.RETURN else submission.comment
        if new_comment != submission.comment:
            changes.append(FieldChange("comment", submission.comment, new_comment))
            submission.comment = new_comment
    submission.state = state
    audit.record(
        session,
        actor_id=context.actor.id,
        action=f"round.{action.value}",
        target_type="round",
        target_uid=found.uid,
        target_key=f"{_key(context, plan, fiscal_year)}/{submission.department.name}",
        municipality_id=plan.municipality_id,
        changes=changes,
        detail={"department": submission.department.name},
    )
    session.flush()
    return submission


def submit_report(
    session: Session,
    context: Context,
    plan_id: str,
    fiscal_year: int,
    department: int | str,
    *,
    expected_version: int | None = None,
) -> RoundSubmission:
    """Submit a department's report (its editors, or the DX division for it)."""
    return _move(
        session,
        context,
        plan_id,
        fiscal_year,
        department,
        SubmissionAction.SUBMIT,
        expected_version=expected_version,
    )


def return_report(
    session: Session,
    context: Context,
    plan_id: str,
    fiscal_year: int,
    department: int | str,
    comment: str,
    *,
    expected_version: int | None = None,
) -> RoundSubmission:
    """Return a submitted (or accepted) report to the department with a comment saying what to
    fix (DX division); its editors may change the year again."""
    text = (comment or "").strip()
    if not text or len(text) > 10_000:
        expected = "差し戻す理由（1〜10,000文字）を入力してください"
        raise InvalidChangeError([Problem("comment", quoted(text), expected, "差し戻しの理由")])
    return _move(
        session,
        context,
        plan_id,
        fiscal_year,
        department,
        SubmissionAction.RETURN,
        expected_version=expected_version,
        comment=text,
    )


def accept_report(
    session: Session,
    context: Context,
    plan_id: str,
    fiscal_year: int,
    department: int | str,
    *,
    expected_version: int | None = None,
) -> RoundSubmission:
    """Accept a submitted report (DX division)."""
    return _move(
        session,
        context,
        plan_id,
        fiscal_year,
        department,
        SubmissionAction.ACCEPT,
        expected_version=expected_version,
    )


def approve_round(
    session: Session,
    context: Context,
    plan_id: str,
    fiscal_year: int,
    *,
    expected_version: int | None = None,
) -> ReportingRound:
    """Approve the round (committee, admin) once every department's report is accepted: the
    fiscal year is locked, and the plan's package form as it stands is kept as its snapshot."""
    plan = _plan(session, context, plan_id)
    authorize(context, Change.APPROVE_ROUND)
    found = find_round(session, plan, fiscal_year)
    if expected_version is not None and found.row_version != expected_version:
        raise StaleVersionError(
            f"the reporting round of {plan.slug} for {fiscal_year}",
            expected_version,
            found.row_version,
            {"state": found.state.value},
        )
    if found.state is not RoundState.OPEN:
        expected = "受付中の実績報告だけを承認できます"
        raise InvalidChangeError([Problem("state", "確定済み", expected, "実績報告の状態")])
    blockers = approval_blockers((s.department.name, s.state) for s in found.submissions)
    if blockers:
        listed = "、".join(blockers)
        expected = "すべての課の報告が承認済みになると承認できます"
        raise InvalidChangeError([Problem("submissions", listed, expected, "未承認の課")])
    loaded = find_plan(session, context.municipality_code, plan_id)
    assert loaded is not None
    found.snapshot = pack(plan_to_package(loaded))
    found.state = RoundState.APPROVED
    found.approved_at, found.approved_by = utcnow(), context.actor.id
    audit.record(
        session,
        actor_id=context.actor.id,
        action="round.approve",
        target_type="round",
        target_uid=found.uid,
        target_key=_key(context, plan, fiscal_year),
        municipality_id=plan.municipality_id,
        changes=[FieldChange("state", RoundState.OPEN.value, RoundState.APPROVED.value)],
    )
    session.flush()
    return found


__all__ = [
    "SubmissionState",
    "accept_report",
    "approve_round",
    "find_round",
    "open_round",
    "return_report",
    "round_departments",
    "submit_report",
]
