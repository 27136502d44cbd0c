"""The reporting round as pages, the API and the CLI read it: the dashboard of a round (each
department's state with what it still has to report, overdue reports, indicators still without an
actual, initiatives whose statuses and indicators disagree, corrections of the locked year), and
the rounds of a plan. Each costs a constant number of queries, however large the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dxplan.accounts.rules import Actor
from dxplan.audit.models import AuditEntry
from dxplan.errors import NotFoundError
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.package.form import plan_to_package
from dxplan.plans.parts import DepartmentRole, InitiativeDepartment
from dxplan.plans.queries import find_plan, plan_row
from dxplan.plans.targets import Measure, target_comparison, target_met
from dxplan.plans.visibility import reads_drafts_of
from dxplan.reporting.models import EmailLog, ReportingRound, RoundSubmission
from dxplan.reporting.rules import (
    SUBMISSION_LABELS_JA,
    RoundState,
    SubmissionState,
    activity_due,
    activity_reported,
    covers,
    goal_due,
    indicator_due,
    reports_in,
    status_disagreement,
    year_span,
)
from dxplan.tenancy.models import Department

REPORTING_FIELDS = ("lead_departments", "implementing_departments")


@dataclass(frozen=True)
class Missing:
    """Something an initiative still has to report in the round's year."""

    initiative_code: str
    initiative_title: str
    kind: str
    """"activity" (actual phase or status), "indicator" (actual) or "goal" (verdict)."""
    title: str


@dataclass(frozen=True)
class Disagreement:
    """An initiative whose progress statuses and indicator verdicts of the year disagree."""

    initiative_code: str
    initiative_title: str
    explanation: str


@dataclass
class DepartmentRow:
    """One department of a round: its report's state and what its initiatives still lack."""

    department_id: int
    name: str
    state: SubmissionState
    row_version: int
    comment: str | None
    submitted_at: datetime | None
    decided_at: datetime | None
    initiatives: list[str] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    overdue: bool = False

    @property
    def state_label(self) -> str:
        return SUBMISSION_LABELS_JA[self.state]


@dataclass(frozen=True)
class Correction:
    """A correction of the locked year: who, when, which initiative, why."""

    at: datetime
    actor_id: str
    target_key: str
    reason: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class EmailRecord:
    """An e-mail of the round, from the e-mail log."""

    sent_at: datetime
    recipient: str
    subject: str
    kind: str
    outcome: str


@dataclass(frozen=True)
class RoundDashboard:
    """Everything the round page shows."""

    municipality_code: str
    plan_id: str
    plan_title: str
    fiscal_year: int
    due_date: date
    state: RoundState
    row_version: int
    opened_at: datetime
    opened_by: str
    approved_at: datetime | None
    approved_by: str | None
    today: date
    departments: list[DepartmentRow]
    without_actual: list[tuple[Missing, tuple[str, ...]]]
    disagreements: list[Disagreement]
    corrections: list[Correction]
    emails: list[EmailRecord]

    def count(self, state: SubmissionState) -> int:
        """How many departments' reports are in `state`."""
        return sum(1 for row in self.departments if row.state is state)

    @property
    def overdue(self) -> list[DepartmentRow]:
        """The departments whose report is past the due date and not submitted."""
        return [row for row in self.departments if row.overdue]

    @property
    def approvable(self) -> bool:
        """Is every department's report accepted (and the round still open)?"""
        return self.state is RoundState.OPEN and all(
            row.state is SubmissionState.ACCEPTED for row in self.departments
        )

    def as_json(self) -> dict[str, Any]:
        """The dashboard as JSON (API, `dxplan round status --json`)."""
        return {
            "municipality": self.municipality_code,
            "plan": self.plan_id,
            "fiscal_year": self.fiscal_year,
            "due_date": self.due_date.isoformat(),
            "state": self.state.value,
            "row_version": self.row_version,
            "opened_at": _iso(self.opened_at),
            "approved_at": _iso(self.approved_at) if self.approved_at else None,
            "counts": {s.value: self.count(s) for s in SubmissionState},
            "departments": [
                {
                    "id": row.department_id,
                    "name": row.name,
                    "state": row.state.value,
                    "row_version": row.row_version,
                    "comment": row.comment,
                    "overdue": row.overdue,
                    "initiatives": row.initiatives,
                    "missing": [vars(m) for m in row.missing],
                }
                for row in self.departments
            ],
            "indicators_without_actual": [
                {"initiative": m.initiative_code, "indicator": m.title, "departments": list(d)}
                for m, d in self.without_actual
            ],
            "disagreements": [vars(d) for d in self.disagreements],
            "corrections": [
                {
                    "at": _iso(c.at),
                    "actor": c.actor_id,
                    "target": c.target_key,
                    "reason": c.reason,
                    "fields": list(c.fields),
                }
                for c in self.corrections
            ],
        }


def _iso(moment: datetime) -> str:
    """A stored time in ISO 8601 with its zone (SQLite keeps none: it is UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


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
        missing = _missing(item, fiscal_year)
        for name in names:
            if name in rows:
                rows[name].initiatives.append(item["code"])
                rows[name].missing.extend(missing)
        without_actual += [(m, tuple(names)) for m in missing if m.kind == "indicator"]
        statuses, verdicts = _statuses(item, fiscal_year), _verdicts(item, fiscal_year)
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
        corrections=_corrections(session, code, plan.slug, plan.municipality_id, fiscal_year),
        emails=_emails(session, found.id),
    )


def _spans(mapping: dict[str, Any] | None) -> dict[tuple[int, int], Any]:
    return {year_span(key): value for key, value in (mapping or {}).items()}


def _missing(item: dict[str, Any], fy: int) -> list[Missing]:
    """What the initiative (its package form) still has to report in `fy` (the worklist's
    rules)."""
    out = []
    code, title = item["code"], item["title"]
    for activity in item.get("activities") or []:
        reported = set(_spans(activity.get("actual"))) | set(_spans(activity.get("status")))
        if activity_due(_spans(activity.get("plan")), fy) and not activity_reported(reported, fy):
            out.append(Missing(code, title, "activity", activity["title"]))
    for indicator in item.get("indicators") or []:
        targets = {
            span: t.get("text") or "" for span, t in _spans(indicator.get("targets")).items()
        }
        measured = any(covers(s, e, fy) for s, e in _spans(indicator.get("actuals")))
        if not measured and indicator_due(targets, fy):
            out.append(Missing(code, title, "indicator", indicator["name"]))
    for goal in item.get("goals") or []:
        if not goal.get("achievement") and goal_due(goal.get("target_fy"), fy):
            out.append(Missing(code, title, "goal", goal["text"]))
    return out


def _statuses(item: dict[str, Any], fy: int) -> list[str]:
    return [
        label
        for activity in item.get("activities") or []
        for (start, end), label in _spans(activity.get("status")).items()
        if covers(start, end, fy) and label
    ]


def _measure(figure: dict[str, Any] | None, unit: str | None) -> Measure | None:
    if not figure or not isinstance(figure.get("value"), int | float | Decimal):
        return None
    return Measure(Decimal(str(figure["value"])), figure.get("unit") or unit, figure.get("op"))


def _verdicts(item: dict[str, Any], fy: int) -> list[bool]:
    """Did each indicator with a numeric target and actual for `fy` meet its target?"""
    verdicts = []
    for indicator in item.get("indicators") or []:
        unit = indicator.get("unit")
        targets = {
            span: m
            for span, f in _spans(indicator.get("targets")).items()
            if (m := _measure(f, unit))
        }
        series = [targets[span] for span in sorted(targets, key=lambda s: (s[1], s[0]))]
        baseline = _measure(indicator.get("baseline"), unit)
        for span, figure in _spans(indicator.get("actuals")).items():
            actual, target = _measure(figure, unit), targets.get(span)
            if actual is None or target is None or not covers(*span, fy):
                continue
            comparison = target_comparison(target, baseline=baseline, targets=series)
            met = target_met(target, actual, comparison)
            if met is not None:
                verdicts.append(met)
    return verdicts


def _emails(session: Session, round_id: int) -> list[EmailRecord]:
    """The round's e-mails, newest first (one query)."""
    statement = (
        select(
            EmailLog.sent_at, EmailLog.recipient, EmailLog.subject, EmailLog.kind, EmailLog.outcome
        )
        .where(EmailLog.round_id == round_id)
        .order_by(EmailLog.id.desc())
    )
    return [EmailRecord(*row) for row in session.execute(statement)]


def _corrections(
    session: Session, code: str, plan_id: str, municipality_id: int, fy: int
) -> list[Correction]:
    """The corrections of the locked year, oldest first (one query)."""
    statement = (
        select(AuditEntry)
        .where(
            AuditEntry.municipality_id == municipality_id,
            AuditEntry.action == "initiative.correct",
            AuditEntry.target_key.startswith(f"{code}/{plan_id}/", autoescape=True),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    out = []
    for entry in session.scalars(statement):
        detail = entry.detail or {}
        if fy in (detail.get("fiscal_years") or []):
            fields = tuple(c["field"] for c in entry.changes or [])
            out.append(
                Correction(
                    entry.at, entry.actor_id, entry.target_key, detail.get("reason", ""), fields
                )
            )
    return out


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
        return SUBMISSION_LABELS_JA[self.state]


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
