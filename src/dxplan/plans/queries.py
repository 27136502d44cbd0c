"""Reads about plans that return plain data (or loaded plans) for the CLI, pages, API and reports.

Every function takes the municipality it reads for, and costs a constant number of queries
whatever the size of the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, case, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload, subqueryload
from sqlalchemy.orm.attributes import set_committed_value

from dxplan.audit.models import AuditEntry
from dxplan.errors import NotFoundError
from dxplan.plans.models import (
    Activity,
    DepartmentRole,
    Indicator,
    Initiative,
    InitiativeDepartment,
    Plan,
    Revision,
    ScaleLabel,
    Section,
)
from dxplan.tenancy.models import Department, Municipality


@dataclass(frozen=True)
class PlanSummary:
    """One plan of one municipality, with counts."""

    municipality_code: str
    municipality_name: str
    municipality_prefecture: str
    plan_id: str
    title: str
    kind: str
    start_fy: int
    end_fy: int
    sections: int
    initiatives: int
    indicators: int
    public: bool


def _count(model: type[Section] | type[Initiative]) -> ScalarSelect[int]:
    return select(func.count(model.id)).where(model.plan_id == Plan.id).scalar_subquery()


def plan_summaries(session: Session, municipality_code: str | None = None) -> list[PlanSummary]:
    """The plans of one municipality, or of every municipality, by code and plan id."""
    indicators: ScalarSelect[int] = (
        select(func.count(Indicator.id))
        .join(Initiative, Indicator.initiative_id == Initiative.id)
        .where(Initiative.plan_id == Plan.id)
        .scalar_subquery()
    )
    statement = (
        select(
            Municipality.code,
            Municipality.name,
            Municipality.prefecture,
            Plan.slug,
            Plan.title,
            Plan.kind,
            Plan.start_fy,
            Plan.end_fy,
            _count(Section),
            _count(Initiative),
            indicators,
            Plan.public,
        )
        .join(Plan.municipality)
        .order_by(Municipality.code, Plan.slug)
    )
    if municipality_code is not None:
        statement = statement.where(Municipality.code == municipality_code)
    return [
        PlanSummary(
            municipality_code=row[0],
            municipality_name=row[1],
            municipality_prefecture=row[2],
            plan_id=row[3],
            title=row[4],
            kind=row[5].value,
            start_fy=row[6],
            end_fy=row[7],
            sections=row[8],
            initiatives=row[9],
            indicators=row[10],
            public=row[11],
        )
        for row in session.execute(statement)
    ]


def plan_row(session: Session, municipality_code: str, plan_id: str) -> Plan | None:
    """The plan itself, nothing in it loaded (one query), or None."""
    return session.scalar(
        select(Plan)
        .join(Plan.municipality)
        .where(Municipality.code == municipality_code, Plan.slug == plan_id)
    )


def find_plan(
    session: Session, municipality_code: str, plan_id: str, *, initiatives: bool = True
) -> Plan | None:
    """The plan with everything in it loaded (a constant number of queries), or None.

    Without `initiatives`, everything but the initiatives (which stay unloaded): a replace
    loads them a batch at a time with `load_initiatives`.
    """
    options = [
        subqueryload(Plan.municipality).subqueryload(Municipality.departments),
        subqueryload(Plan.scale_labels),
        subqueryload(Plan.sections),
        subqueryload(Plan.published_figures),
        subqueryload(Plan.revisions).subqueryload(Revision.changes),
    ]
    if initiatives:
        initiative = subqueryload(Plan.initiatives)
        options += [
            initiative.subqueryload(Initiative.departments).subqueryload(
                InitiativeDepartment.department
            ),
            initiative.subqueryload(Initiative.results),
            initiative.subqueryload(Initiative.fiscal_effects),
            initiative.subqueryload(Initiative.goals),
            initiative.subqueryload(Initiative.indicators).subqueryload(Indicator.values),
            initiative.subqueryload(Initiative.activities).subqueryload(Activity.years),
        ]
    statement = (
        select(Plan)
        .join(Plan.municipality)
        .where(Municipality.code == municipality_code, Plan.slug == plan_id)
        .options(*options)
    )
    plan = session.scalar(statement)
    if plan is not None:
        _link_in_memory(plan, initiatives)
    return plan


def load_initiatives(
    session: Session,
    ids: Sequence[int],
    sections: dict[int, Section],
    labels: dict[int, ScaleLabel],
) -> dict[int, Initiative]:
    """The initiatives of those ids, by id, with everything in them loaded and linked to the
    plan's sections and scale labels (given by id) without queries; their successors unloaded."""
    if not ids:
        return {}
    statement = (
        select(Initiative)
        .where(Initiative.id.in_(ids))
        .options(
            selectinload(Initiative.departments).selectinload(InitiativeDepartment.department),
            selectinload(Initiative.results),
            selectinload(Initiative.fiscal_effects),
            selectinload(Initiative.goals),
            selectinload(Initiative.indicators).selectinload(Indicator.values),
            selectinload(Initiative.activities).selectinload(Activity.years),
        )
    )
    loaded = {item.id: item for item in session.scalars(statement)}
    for item in loaded.values():
        _link_initiative(item, sections, labels)
    return loaded


def _link_in_memory(plan: Plan, initiatives: bool) -> None:
    """Fill the many-to-one links inside the plan from what is loaded, without queries."""
    sections = {s.id: s for s in plan.sections}
    labels = {label.id: label for label in plan.scale_labels}
    for section in plan.sections:
        set_committed_value(section, "parent", sections.get(section.parent_id or 0))
    if not initiatives:
        return
    by_id = {i.id: i for i in plan.initiatives}
    for item in plan.initiatives:
        set_committed_value(item, "successor", by_id.get(item.successor_id or 0))
        _link_initiative(item, sections, labels)


def _link_initiative(
    item: Initiative, sections: dict[int, Section], labels: dict[int, ScaleLabel]
) -> None:
    set_committed_value(item, "section", sections[item.section_id])
    for goal in item.goals:
        set_committed_value(goal, "achievement", labels.get(goal.achievement_id or 0))
    for activity in item.activities:
        for year in activity.years:
            set_committed_value(year, "status", labels.get(year.status_id or 0))


def find_initiative(
    session: Session, municipality_code: str, plan_id: str, code: str
) -> Initiative | None:
    """One initiative with everything in it, its plan's sections, scales and municipality's
    departments loaded (a constant number of queries, whatever the size of the plan)."""
    statement = (
        select(Initiative)
        .join(Initiative.plan)
        .join(Plan.municipality)
        .where(Municipality.code == municipality_code, Plan.slug == plan_id)
        .where(Initiative.code == code)
        .options(
            subqueryload(Initiative.plan).subqueryload(Plan.sections),
            subqueryload(Initiative.plan).subqueryload(Plan.scale_labels),
            subqueryload(Initiative.plan)
            .subqueryload(Plan.municipality)
            .subqueryload(Municipality.departments),
            subqueryload(Initiative.departments).subqueryload(InitiativeDepartment.department),
            subqueryload(Initiative.results),
            subqueryload(Initiative.fiscal_effects),
            subqueryload(Initiative.goals),
            subqueryload(Initiative.indicators).subqueryload(Indicator.values),
            subqueryload(Initiative.activities).subqueryload(Activity.years),
        )
    )
    return session.scalar(statement)


def initiative_codes(session: Session, plan: Plan) -> dict[str, int]:
    """The code and id of every initiative of a plan (two columns, no objects)."""
    statement = select(Initiative.code, Initiative.id).where(Initiative.plan_id == plan.id)
    return dict(session.execute(statement).all())


def load_plan(session: Session, municipality_code: str, plan_id: str) -> Plan:
    """The plan with everything in it loaded; NotFoundError if there is none."""
    plan = find_plan(session, municipality_code, plan_id)
    if plan is None:
        raise NotFoundError(
            f"no plan {plan_id!r} for municipality {municipality_code} "
            "(`dxplan list` shows the plans there are)"
        )
    return plan


def successor_codes(session: Session, plan: Plan) -> dict[str, str | None]:
    """The code of every initiative of a plan with the code of its successor (or None)."""
    successor = aliased(Initiative)
    statement = (
        select(Initiative.code, successor.code)
        .outerjoin(successor, Initiative.successor_id == successor.id)
        .where(Initiative.plan_id == plan.id)
    )
    return dict(session.execute(statement).all())


@dataclass(frozen=True)
class DepartmentCounts:
    """How many initiatives of the plans of one publication state a department has a role in.

    `public` is None for a department no initiative names.
    """

    department_id: int
    name: str
    public: bool | None
    initiatives: int
    lead: int
    related: int
    implementing: int


def department_counts(session: Session, municipality_code: str) -> list[DepartmentCounts]:
    """The departments of a municipality with their initiatives counted per publication state
    of the plans (one statement), by department id."""

    def role(kind: DepartmentRole) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((InitiativeDepartment.role == kind, 1), else_=0)), 0)

    statement = (
        select(
            Department.id,
            Department.name,
            Plan.public,
            func.count(func.distinct(InitiativeDepartment.initiative_id)),
            role(DepartmentRole.LEAD),
            role(DepartmentRole.RELATED),
            role(DepartmentRole.IMPLEMENTING),
        )
        .join(Municipality, Department.municipality_id == Municipality.id)
        .outerjoin(InitiativeDepartment, InitiativeDepartment.department_id == Department.id)
        .outerjoin(Initiative, InitiativeDepartment.initiative_id == Initiative.id)
        .outerjoin(Plan, Initiative.plan_id == Plan.id)
        .where(Municipality.code == municipality_code)
        .group_by(Department.id, Department.name, Plan.public)
        .order_by(Department.id, Plan.public)
    )
    return [DepartmentCounts(*row) for row in session.execute(statement)]


def plan_history(
    session: Session, plan: Plan, *, limit: int, before: int | None = None
) -> list[AuditEntry]:
    """The audit entries of a plan and of its initiatives, newest (highest id) first: at most
    `limit`, and only those older than the entry `before` when given (one statement)."""
    initiative_uids = select(Initiative.uid).where(Initiative.plan_id == plan.id)
    statement = (
        select(AuditEntry)
        .where(
            AuditEntry.municipality_id == plan.municipality_id,
            or_(AuditEntry.target_uid == plan.uid, AuditEntry.target_uid.in_(initiative_uids)),
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if before is not None:
        statement = statement.where(AuditEntry.id < before)
    return list(session.scalars(statement))
