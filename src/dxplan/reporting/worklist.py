"""What a department works on: the initiatives it leads, takes part in or implements, across the
plans the reader may see, and what each still has to report for the current fiscal year."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, false, select
from sqlalchemy.orm import Session

from dxplan.accounts.rules import Actor
from dxplan.errors import NotFoundError
from dxplan.fiscal import fiscal_year_of, today_in_japan
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.parts import (
    Activity,
    ActivityYear,
    DepartmentRole,
    Goal,
    Indicator,
    IndicatorValue,
    InitiativeDepartment,
    ValueKind,
)
from dxplan.plans.targets import Span
from dxplan.plans.visibility import reads_drafts_of, visible_plans
from dxplan.reporting.rules import (
    activity_due,
    activity_reported,
    covers,
    goal_due,
    indicator_due,
    reports_in,
)
from dxplan.tenancy.models import Department, Municipality

"""Japan's time, which has no summer time: the fiscal year turns at midnight of 1 April there."""

_ROLE_ORDER = {DepartmentRole.LEAD: 0, DepartmentRole.RELATED: 1, DepartmentRole.IMPLEMENTING: 2}


@dataclass(frozen=True)
class Pending:
    """Something still to report: an activity (its title), an indicator (its name) or a goal
    (its text), by its stable uid."""

    uid: str
    title: str


@dataclass(frozen=True)
class WorkItem:
    """An initiative of the department, its roles in it, and what it still has to report.

    `reports` is False where the initiative reports nothing in the fiscal year: its plan (or its
    own period) does not cover the year, or it was terminated; then nothing is pending.
    """

    plan_id: str
    plan_title: str
    plan_public: bool
    initiative_code: str
    initiative_uid: str
    initiative_title: str
    roles: tuple[DepartmentRole, ...]
    reports: bool
    activities: tuple[Pending, ...] = ()
    indicators: tuple[Pending, ...] = ()
    goals: tuple[Pending, ...] = ()

    @property
    def pending(self) -> int:
        """How many things are still to report."""
        return len(self.activities) + len(self.indicators) + len(self.goals)


@dataclass(frozen=True)
class DepartmentWorklist:
    """A department's initiatives for one fiscal year, by plan id and the order of each plan."""

    municipality_code: str
    department_id: int
    department_name: str
    fiscal_year: int
    items: tuple[WorkItem, ...]


def department_initiatives(
    session: Session,
    reader: Actor | None,
    municipality_code: str,
    department: int | str,
    *,
    today: datetime.date | None = None,
    fy: int | None = None,
) -> DepartmentWorklist:
    """Every initiative of the plans the reader may see that the department (by id or by name)
    leads, takes part in or implements, with its roles, and what it still has to report in the
    fiscal year `fy` (default: that of `today`, default today in Japan): activities due without
    an actual phase or a status, indicators due without an actual, goals due without a verdict
    (see `rules`).

    NotFoundError for a department the municipality does not have, or one the reader may see
    nothing of (at most five queries).
    """
    if fy is None:
        fy = fiscal_year_of(today or today_in_japan())
    department_id, department_name = _department(session, municipality_code, department)
    links = _links(session, reader, department_id)
    if not links and not reads_drafts_of(reader, municipality_code):
        raise NotFoundError(f"no department {department!r} in municipality {municipality_code}")
    reporting = {link.id for link in links.values() if link.reports_in(fy)}
    activities: dict[int, tuple[Pending, ...]] = {}
    indicators: dict[int, tuple[Pending, ...]] = {}
    goals: dict[int, tuple[Pending, ...]] = {}
    if reporting:
        scope = _reporting(reader, department_id, fy)
        activities = _pending_activities(session, scope, fy)
        indicators = _pending_indicators(session, scope, fy)
        goals = _pending_goals(session, scope, fy)
    items = tuple(
        WorkItem(
            plan_id=link.plan_id,
            plan_title=link.plan_title,
            plan_public=link.plan_public,
            initiative_code=link.code,
            initiative_uid=link.uid,
            initiative_title=link.title,
            roles=tuple(sorted(link.roles, key=_ROLE_ORDER.__getitem__)),
            reports=link.id in reporting,
            activities=activities.get(link.id, ()) if link.id in reporting else (),
            indicators=indicators.get(link.id, ()) if link.id in reporting else (),
            goals=goals.get(link.id, ()) if link.id in reporting else (),
        )
        for link in links.values()
    )
    return DepartmentWorklist(municipality_code, department_id, department_name, fy, items)


def _department(session: Session, municipality_code: str, department: int | str) -> tuple[int, str]:
    """The id and name of a department of the municipality, by id or name (one query)."""
    chosen = (
        Department.id == department
        if isinstance(department, int)
        else (Department.name == department)
    )
    statement = (
        select(Department.id, Department.name)
        .join(Municipality, Department.municipality_id == Municipality.id)
        .where(Municipality.code == municipality_code, chosen)
    )
    row = session.execute(statement).first()
    if row is None:
        raise NotFoundError(f"no department {department!r} in municipality {municipality_code}")
    return row[0], row[1]


@dataclass
class _Link:
    id: int
    code: str
    uid: str
    title: str
    period: tuple[int | None, int | None]
    terminated: bool
    plan_id: str
    plan_title: str
    plan_public: bool
    plan_period: Span
    roles: list[DepartmentRole] = field(default_factory=list)

    def reports_in(self, fy: int) -> bool:
        return reports_in(fy, self.plan_period, self.period, terminated=self.terminated)


def _links(session: Session, reader: Actor | None, department_id: int) -> dict[int, _Link]:
    """The department's initiatives in the visible plans, by id, in plan and plan order."""
    statement = (
        select(InitiativeDepartment.role, Initiative, Plan)
        .join(Initiative, InitiativeDepartment.initiative_id == Initiative.id)
        .join(Plan, Initiative.plan_id == Plan.id)
        .where(InitiativeDepartment.department_id == department_id, visible_plans(reader))
        .order_by(Plan.slug, Initiative.position)
    )
    links: dict[int, _Link] = {}
    for role, initiative, plan in session.execute(statement):
        link = links.get(initiative.id)
        if link is None:
            link = links[initiative.id] = _Link(
                id=initiative.id,
                code=initiative.code,
                uid=initiative.uid,
                title=initiative.title,
                period=(initiative.start_fy, initiative.end_fy),
                terminated=initiative.terminated,
                plan_id=plan.slug,
                plan_title=plan.title,
                plan_public=plan.public,
                plan_period=(plan.start_fy, plan.end_fy),
            )
        link.roles.append(role)
    return links


def _reporting(reader: Actor | None, department_id: int, fy: int) -> Select[int]:
    """The ids of the department's visible initiatives whose plan covers the year and that were
    not terminated (a subquery; their own periods are checked in Python)."""
    return (
        select(InitiativeDepartment.initiative_id)
        .join(Initiative, InitiativeDepartment.initiative_id == Initiative.id)
        .join(Plan, Initiative.plan_id == Plan.id)
        .where(InitiativeDepartment.department_id == department_id, visible_plans(reader))
        .where(Plan.start_fy <= fy, Plan.end_fy >= fy, Initiative.terminated == false())
    )


def _pending_activities(
    session: Session, scope: Select[int], fy: int
) -> dict[int, tuple[Pending, ...]]:
    """The activities due in the year without an actual phase or status, by initiative id."""
    statement = (
        select(
            Activity.initiative_id,
            Activity.uid,
            Activity.title,
            ActivityYear.start_fy,
            ActivityYear.end_fy,
            ActivityYear.planned,
            ActivityYear.actual,
            ActivityYear.status_id,
        )
        .outerjoin(ActivityYear, ActivityYear.activity_id == Activity.id)
        .where(Activity.initiative_id.in_(scope))
        .order_by(Activity.initiative_id, Activity.position, Activity.id)
    )
    planned: dict[tuple[int, str, str], dict[Span, str | None]] = {}
    reported: dict[tuple[int, str, str], list[Span]] = defaultdict(list)
    for initiative_id, uid, title, start, end, phase, actual, status in session.execute(statement):
        key = (initiative_id, uid, title)
        years = planned.setdefault(key, {})
        if start is None or end is None:
            continue  # an activity without yearly rows (the outer join)
        years[(start, end)] = phase
        if actual or status is not None:
            reported[key].append((start, end))
    pending: dict[int, list[Pending]] = defaultdict(list)
    for key, years in planned.items():
        if activity_due(years, fy) and not activity_reported(reported[key], fy):
            pending[key[0]].append(Pending(key[1], key[2]))
    return {initiative_id: tuple(items) for initiative_id, items in pending.items()}


def _pending_indicators(
    session: Session, scope: Select[int], fy: int
) -> dict[int, tuple[Pending, ...]]:
    """The indicators due in the year without an actual, by initiative id."""
    statement = (
        select(
            Indicator.initiative_id,
            Indicator.uid,
            Indicator.name,
            IndicatorValue.kind,
            IndicatorValue.start_fy,
            IndicatorValue.end_fy,
            IndicatorValue.text,
        )
        .outerjoin(
            IndicatorValue,
            and_(
                IndicatorValue.indicator_id == Indicator.id,
                IndicatorValue.kind != ValueKind.BASELINE,
            ),
        )
        .where(Indicator.initiative_id.in_(scope))
        .order_by(Indicator.initiative_id, Indicator.position, Indicator.id)
    )
    targets: dict[tuple[int, str, str], dict[Span, str]] = {}
    measured: set[tuple[int, str, str]] = set()
    for initiative_id, uid, name, kind, start, end, text in session.execute(statement):
        key = (initiative_id, uid, name)
        per_year = targets.setdefault(key, {})
        if start is None or end is None:
            continue
        if kind is ValueKind.TARGET:
            per_year[(start, end)] = text
        elif covers(start, end, fy):
            measured.add(key)
    pending: dict[int, list[Pending]] = defaultdict(list)
    for key, per_year in targets.items():
        if key not in measured and indicator_due(per_year, fy):
            pending[key[0]].append(Pending(key[1], key[2]))
    return {initiative_id: tuple(items) for initiative_id, items in pending.items()}


def _pending_goals(session: Session, scope: Select[int], fy: int) -> dict[int, tuple[Pending, ...]]:
    """The goals due in the year without a verdict, by initiative id."""
    statement = (
        select(Goal.initiative_id, Goal.uid, Goal.text, Goal.target_fy)
        .where(Goal.initiative_id.in_(scope), Goal.achievement_id.is_(None))
        .order_by(Goal.initiative_id, Goal.position, Goal.id)
    )
    pending: dict[int, list[Pending]] = defaultdict(list)
    for initiative_id, uid, text, target_fy in session.execute(statement):
        if goal_due(target_fy, fy):
            pending[initiative_id].append(Pending(uid, text))
    return {initiative_id: tuple(items) for initiative_id, items in pending.items()}
