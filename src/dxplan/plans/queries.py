"""Reads about plans that return plain data (or loaded plans) for the CLI, pages, API and reports.

Every function takes the municipality it reads for, and costs a constant number of queries
whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ScalarSelect, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload, subqueryload
from sqlalchemy.orm.attributes import set_committed_value

from dxplan.accounts.rules import Actor
from dxplan.audit.models import AuditEntry
from dxplan.errors import NotFoundError
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
    IndicatorValue,
    InitiativeDepartment,
    ScaleLabel,
    ValueKind,
)
from dxplan.plans.targets import Measure, Span, TargetTally, latest_verdict, tally
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
    tallies = _target_tallies(session, reader)
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


@dataclass
class _Figures:
    baseline: Measure | None = None
    targets: dict[Span, Measure] = field(default_factory=dict)
    actuals: dict[Span, Measure] = field(default_factory=dict)


def _target_tallies(session: Session, reader: Actor | None) -> dict[int, TargetTally]:
    """The tally of targets met of every visible plan, by plan id (one query: the numeric
    figures of the indicators that have a numeric actual)."""
    measured = select(IndicatorValue.indicator_id).where(
        IndicatorValue.kind == ValueKind.ACTUAL, IndicatorValue.value.is_not(None)
    )
    statement = (
        select(
            Initiative.plan_id,
            Indicator.id,
            Indicator.unit,
            IndicatorValue.kind,
            IndicatorValue.start_fy,
            IndicatorValue.end_fy,
            IndicatorValue.value,
            IndicatorValue.unit,
            IndicatorValue.op,
        )
        .join(Indicator, IndicatorValue.indicator_id == Indicator.id)
        .join(Initiative, Indicator.initiative_id == Initiative.id)
        .join(Plan, Initiative.plan_id == Plan.id)
        .where(visible_plans(reader))
        .where(IndicatorValue.value.is_not(None), Indicator.id.in_(measured))
    )
    by_plan: dict[int, dict[int, _Figures]] = defaultdict(dict)
    for plan_id, indicator_id, default_unit, kind, start, end, value, unit, op in session.execute(
        statement
    ):
        if value is None:
            continue  # excluded by the query: for the type checker
        found = by_plan[plan_id].setdefault(indicator_id, _Figures())
        measure = Measure(value, unit if unit is not None else default_unit, op)
        if kind is ValueKind.BASELINE:
            found.baseline = measure
        elif start is not None and end is not None:
            per_year = found.targets if kind is ValueKind.TARGET else found.actuals
            per_year[(start, end)] = measure
    return {
        plan_id: tally(latest_verdict(f.targets, f.actuals, f.baseline) for f in figures.values())
        for plan_id, figures in by_plan.items()
    }


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


def successor_codes(session: Session, plan: Plan) -> dict[str, str | None]:
    """The code of every initiative of a plan with the code of its successor (or None)."""
    successor = aliased(Initiative)
    statement = (
        select(Initiative.code, successor.code)
        .outerjoin(successor, Initiative.successor_id == successor.id)
        .where(Initiative.plan_id == plan.id)
    )
    return dict(session.execute(statement).all())


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


# -- revisions ---------------------------------------------------------------------------------
