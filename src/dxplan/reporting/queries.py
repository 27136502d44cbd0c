"""The reporting round as pages, the API and the CLI read it: the dashboard of a round (each
department's state with what it still has to report, overdue reports, indicators still without an
actual, initiatives whose statuses and indicators disagree, corrections of the locked year), and
the rounds of a plan. Each costs a constant number of queries, however large the plan.
What the dashboard holds, and how an initiative's gaps are found, is in `reporting.dashboard`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dxplan.accounts.rules import Actor
from dxplan.errors import NotFoundError
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.package.form import plan_to_package
from dxplan.plans.parts import DepartmentRole, InitiativeDepartment
from dxplan.plans.queries import find_plan, plan_row
from dxplan.plans.visibility import reads_drafts_of
from dxplan.reporting.dashboard import (
    DepartmentRow,
    Disagreement,
    Missing,
    RoundDashboard,
    missing_reports,
    round_emails,
    target_verdicts,
    year_corrections,
    year_statuses,
)
from dxplan.reporting.labels import SUBMISSION_STATE_LABELS
from dxplan.reporting.models import ReportingRound, RoundSubmission
from dxplan.reporting.rules import (
    RoundState,
    SubmissionState,
    reports_in,
    status_disagreement,
)
from dxplan.tenancy.models import Department

REPORTING_FIELDS = ("lead_departments", "implementing_departments")


def readable_plan(session: Session, reader: Actor | None, code: str, plan_id: str) -> Plan:
    """A plan whose rounds the reader may see: only its municipality's users see rounds (a
    round is internal work, even of a published plan); NotFoundError otherwise (one query)."""
    plan = plan_row(session, code, plan_id)
    if plan is None or not reads_drafts_of(reader, code):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {code}")
    return plan


@dataclass(frozen=True)
class RoundSummary:
    """A round in the list of a plan's rounds."""

    fiscal_year: int
    due_date: date
    state: RoundState


def plan_rounds(
    session: Session, reader: Actor | None, code: str, plan_id: str
) -> list[RoundSummary]:
    """The plan's rounds, latest fiscal year first (two queries)."""
    plan = readable_plan(session, reader, code, plan_id)
    statement = (
        select(ReportingRound.fiscal_year, ReportingRound.due_date, ReportingRound.state)
        .where(ReportingRound.plan_id == plan.id)
        .order_by(ReportingRound.fiscal_year.desc())
    )
    return [RoundSummary(*row) for row in session.execute(statement)]


def round_dashboard(
    session: Session,
    reader: Actor | None,
    code: str,
    plan_id: str,
    fiscal_year: int,
    *,
    today: date,
) -> RoundDashboard:
    """The dashboard of the plan's round of the fiscal year, as of `today` (Japan's date)."""
    plan = readable_plan(session, reader, code, plan_id)
    found = find_round(session, plan, fiscal_year)
    loaded = find_plan(session, code, plan_id)
    assert loaded is not None
    doc = plan_to_package(loaded)
    rows = {
        s.department.name: DepartmentRow(
            department_id=s.department_id,
            name=s.department.name,
            state=s.state,
            row_version=s.row_version,
            comment=s.comment,
            submitted_at=s.submitted_at,
            decided_at=s.decided_at,
        )
        for s in found.submissions
    }
    without_actual: list[tuple[Missing, tuple[str, ...]]] = []
    disagreements: list[Disagreement] = []
    span = (plan.start_fy, plan.end_fy)
    for item in doc["initiatives"]:
        period = item.get("period") or {}
        own = (period.get("start_fy"), period.get("end_fy"))
        if not reports_in(fiscal_year, span, own, terminated=bool(item.get("terminated"))):
            continue
        names = list(dict.fromkeys(n for f in REPORTING_FIELDS for n in item.get(f) or []))
        missing = missing_reports(item, fiscal_year)
        for name in names:
            if name in rows:
                rows[name].initiatives.append(item["code"])
                rows[name].missing.extend(missing)
        without_actual += [(m, tuple(names)) for m in missing if m.kind == "indicator"]
        statuses, verdicts = year_statuses(item, fiscal_year), target_verdicts(item, fiscal_year)
        explanation = status_disagreement(statuses, verdicts)
        if explanation:
            disagreements.append(Disagreement(item["code"], item["title"], explanation))
    pending = (SubmissionState.NOT_SUBMITTED, SubmissionState.RETURNED)
    for row in rows.values():
        row.overdue = today > found.due_date and row.state in pending
    return RoundDashboard(
        municipality_code=code,
        plan_id=plan.slug,
        plan_title=plan.title,
        fiscal_year=fiscal_year,
        due_date=found.due_date,
        state=found.state,
        row_version=found.row_version,
        opened_at=found.opened_at,
        opened_by=found.opened_by,
        approved_at=found.approved_at,
        approved_by=found.approved_by,
        today=today,
        departments=list(rows.values()),
        without_actual=without_actual,
        disagreements=disagreements,
        corrections=year_corrections(session, code, plan.slug, plan.municipality_id, fiscal_year),
        emails=round_emails(session, found.id),
    )


@dataclass(frozen=True)
class DepartmentRound:
    """An open (or approved) round in which a department reports, with its report's state."""

    plan_id: str
    plan_title: str
    fiscal_year: int
    due_date: date
    round_state: RoundState
    state: SubmissionState
    row_version: int
    comment: str | None

    @property
    def state_label(self) -> str:
        return SUBMISSION_STATE_LABELS[self.state]


def department_rounds(
    session: Session, reader: Actor | None, code: str, department_id: int
) -> list[DepartmentRound]:
    """The rounds the department reports in, open ones first, then by plan and latest year;
    none for a reader who is not one of the municipality's users (one query)."""
    if not reads_drafts_of(reader, code):
        return []
    statement = (
        select(
            Plan.slug,
            Plan.title,
            ReportingRound.fiscal_year,
            ReportingRound.due_date,
            ReportingRound.state,
            RoundSubmission.state,
            RoundSubmission.row_version,
            RoundSubmission.comment,
        )
        .join(ReportingRound, RoundSubmission.round_id == ReportingRound.id)
        .join(Plan, ReportingRound.plan_id == Plan.id)
        .where(RoundSubmission.department_id == department_id)
    )
    found = [DepartmentRound(*row) for row in session.execute(statement)]
    return sorted(
        found,
        key=lambda r: (r.round_state is not RoundState.OPEN, r.plan_id, -r.fiscal_year),
    )


def locked_years(session: Session, plan_id: int) -> set[str]:
    """The fiscal years of the plan (as package keys, "2024") whose round was approved: changing
    them is a correction, with a reason (one query)."""
    statement = select(ReportingRound.fiscal_year).where(
        ReportingRound.plan_id == plan_id, ReportingRound.state == RoundState.APPROVED
    )
    return {str(fy) for fy in session.scalars(statement)}


def find_round(session: Session, plan: Plan, fiscal_year: int) -> ReportingRound:
    """The plan's round of the fiscal year with its submissions and their departments."""
    statement = (
        select(ReportingRound)
        .where(ReportingRound.plan_id == plan.id, ReportingRound.fiscal_year == fiscal_year)
        .options(selectinload(ReportingRound.submissions).selectinload(RoundSubmission.department))
    )
    found = session.scalar(statement)
    if found is None:
        raise NotFoundError(f"no reporting round of plan {plan.slug!r} for {fiscal_year}")
    return found


def round_departments(session: Session, plan: Plan, fiscal_year: int) -> list[tuple[int, str]]:
    """The departments (id, name) that lead or implement an initiative of the plan reporting
    in the fiscal year, by name (one query)."""
    statement = (
        select(
            InitiativeDepartment.department_id,
            Department.name,
            Initiative.start_fy,
            Initiative.end_fy,
            Initiative.terminated,
        )
        .join(Initiative, InitiativeDepartment.initiative_id == Initiative.id)
        .join(Department, InitiativeDepartment.department_id == Department.id)
        .where(Initiative.plan_id == plan.id, InitiativeDepartment.role.in_(REPORTING_ROLES))
    )
    span = (plan.start_fy, plan.end_fy)
    found = {
        department_id: name
        for department_id, name, start, end, terminated in session.execute(statement)
        if reports_in(fiscal_year, span, (start, end), terminated=terminated)
    }
    return sorted(found.items(), key=lambda item: (item[1], item[0]))


REPORTING_ROLES = (DepartmentRole.LEAD, DepartmentRole.IMPLEMENTING)
"""The roles whose departments report in a round: those that lead or implement an initiative."""
