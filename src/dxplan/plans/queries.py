"""Reads about plans that return plain data (or loaded plans) for the CLI, pages, API and reports.

Every function takes the municipality it reads for, and costs a constant number of queries
whatever the size of the plan: the rows loaded are tied together by `plans.linking`, and the
home page's tallies of targets met are read by `plans.target_tallies`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ScalarSelect, func, or_, select
from sqlalchemy.orm import Session, selectinload, subqueryload

from dxplan.accounts.rules import Actor
from dxplan.audit.models import AuditEntry
from dxplan.errors import NotFoundError
from dxplan.plans.linking import link_in_memory, link_initiative
from dxplan.plans.models import (
    GlossaryEntry,
    Initiative,
    Plan,
    PlanKind,
    Revision,
    Section,
)
from dxplan.plans.parts import (
    Activity,
    Indicator,
    InitiativeDepartment,
    ScaleLabel,
)
from dxplan.plans.target_tallies import target_tallies
from dxplan.plans.targets import TargetTally
from dxplan.plans.visibility import visible_plans
from dxplan.tenancy.models import Municipality


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


def _count_indicators() -> ScalarSelect[int]:
    return (
        select(func.count(Indicator.id))
        .join(Initiative, Indicator.initiative_id == Initiative.id)
        .where(Initiative.plan_id == Plan.id)
        .scalar_subquery()
    )


def plan_summaries(session: Session, municipality_code: str | None = None) -> list[PlanSummary]:
    """The plans of one municipality, or of every municipality, by code and plan id."""
    indicators = _count_indicators()
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
        subqueryload(Plan.glossary),
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
        link_in_memory(plan, initiatives)
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
        link_initiative(item, sections, labels)
    return loaded


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


def initiative_index(session: Session, plan: Plan) -> dict[str, tuple[int, int | None]]:
    """The code of every initiative of a plan with its id and its successor's id (one query)."""
    statement = select(Initiative.code, Initiative.id, Initiative.successor_id).where(
        Initiative.plan_id == plan.id
    )
    return {code: (row_id, successor) for code, row_id, successor in session.execute(statement)}


def load_plan(session: Session, municipality_code: str, plan_id: str) -> Plan:
    """The plan with everything in it loaded; NotFoundError if there is none."""
    plan = find_plan(session, municipality_code, plan_id)
    if plan is None:
        raise NotFoundError(
            f"no plan {plan_id!r} for municipality {municipality_code} "
            "(`dxplan list` shows the plans there are)"
        )
    return plan


@dataclass(frozen=True)
class PlanHeadline:
    """A plan the reader may see, with its headline figures (the home page)."""

    municipality_code: str
    municipality_name: str
    plan_id: str
    title: str
    kind: PlanKind
    start_fy: int
    end_fy: int
    public: bool
    initiatives: int
    indicators: int
    targets: TargetTally


def visible_plan_summaries(session: Session, reader: Actor | None) -> list[PlanHeadline]:
    """Every plan the reader may see (see `visibility`), by municipality code and plan id, with
    its counts and the tally of targets met: for each indicator, the latest fiscal year with
    both a numeric target and a numeric actual (two queries)."""
    statement = (
        select(
            Plan.id,
            Municipality.code,
            Municipality.name,
            Plan.slug,
            Plan.title,
            Plan.kind,
            Plan.start_fy,
            Plan.end_fy,
            Plan.public,
            _count(Initiative),
            _count_indicators(),
        )
        .join(Plan.municipality)
        .where(visible_plans(reader))
        .order_by(Municipality.code, Plan.slug)
    )
    rows = session.execute(statement).all()
    tallies = target_tallies(session, reader)
    return [
        PlanHeadline(
            municipality_code=row[1],
            municipality_name=row[2],
            plan_id=row[3],
            title=row[4],
            kind=row[5],
            start_fy=row[6],
            end_fy=row[7],
            public=row[8],
            initiatives=row[9],
            indicators=row[10],
            targets=tallies.get(row[0], TargetTally(met=0, counted=0, year=None)),
        )
        for row in rows
    ]


def glossary_for_plan(
    session: Session, municipality_code: str, plan_id: str
) -> list[GlossaryEntry]:
    """The glossary entries of a plan in the document's order (one query); [] if none."""
    statement = (
        select(GlossaryEntry)
        .join(GlossaryEntry.plan)
        .join(Plan.municipality)
        .where(Municipality.code == municipality_code, Plan.slug == plan_id)
        .order_by(GlossaryEntry.position)
    )
    return list(session.scalars(statement))


def predecessors(session: Session, initiative: Initiative) -> list[tuple[str, str]]:
    """The code and title of each initiative whose successor is this one, in the plan's order
    (one statement)."""
    statement = (
        select(Initiative.code, Initiative.title)
        .where(Initiative.successor_id == initiative.id)
        .order_by(Initiative.position)
    )
    return [(code, title) for code, title in session.execute(statement)]


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
