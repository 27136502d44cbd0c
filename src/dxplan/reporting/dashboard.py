"""What a reporting round's dashboard shows, apart from the reads that gather it
(`queries.round_dashboard`): each department's report with what its initiatives still lack,
indicators still without an actual, initiatives whose statuses and indicator verdicts
disagree, the corrections of the locked year and the round's e-mails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxplan.audit.models import AuditEntry
from dxplan.plans.targets import Measure, target_comparison, target_met
from dxplan.reporting.labels import SUBMISSION_STATE_LABELS
from dxplan.reporting.models import EmailLog
from dxplan.reporting.rules import (
    RoundState,
    SubmissionState,
    activity_due,
    activity_reported,
    covers,
    goal_due,
    indicator_due,
    year_span,
)


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
        return SUBMISSION_STATE_LABELS[self.state]


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


def _spans(mapping: dict[str, Any] | None) -> dict[tuple[int, int], Any]:
    return {year_span(key): value for key, value in (mapping or {}).items()}


def missing_reports(item: dict[str, Any], fy: int) -> list[Missing]:
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


def year_statuses(item: dict[str, Any], fy: int) -> list[str]:
    """The statuses the initiative's activities have in `fy`."""
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


def target_verdicts(item: dict[str, Any], fy: int) -> list[bool]:
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


def round_emails(session: Session, round_id: int) -> list[EmailRecord]:
    """The round's e-mails, newest first (one query)."""
    statement = (
        select(
            EmailLog.sent_at, EmailLog.recipient, EmailLog.subject, EmailLog.kind, EmailLog.outcome
        )
        .where(EmailLog.round_id == round_id)
        .order_by(EmailLog.id.desc())
    )
    return [EmailRecord(*row) for row in session.execute(statement)]


def year_corrections(
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
