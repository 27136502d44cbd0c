"""Reads about plans that return plain data for the CLI, pages, API and reports."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from dxplan.plans.models import Indicator, Initiative, Plan, Section
from dxplan.tenancy.models import Municipality


@dataclass(frozen=True)
class PlanSummary:
    """One plan of one municipality, with counts."""

    municipality_code: str
    municipality_name: str
    plan_id: str
    title: str
    kind: str
    start_fy: int
    end_fy: int
    sections: int
    initiatives: int
    indicators: int


def _count(model: type[Section] | type[Initiative]) -> ScalarSelect[int]:
    return select(func.count(model.id)).where(model.plan_id == Plan.id).scalar_subquery()


def plan_summaries(session: Session) -> list[PlanSummary]:
    """Every plan of every municipality, ordered by municipality code and plan id."""
    indicators: ScalarSelect[int] = (
        select(func.count(Indicator.id))
        .join(Initiative, Indicator.initiative_id == Initiative.id)
        .where(Initiative.plan_id == Plan.id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Municipality.code,
            Municipality.name,
            Plan.slug,
            Plan.title,
            Plan.kind,
            Plan.start_fy,
            Plan.end_fy,
            _count(Section),
            _count(Initiative),
            indicators,
        )
        .join(Plan.municipality)
        .order_by(Municipality.code, Plan.slug)
    )
    return [
        PlanSummary(
            municipality_code=row[0],
            municipality_name=row[1],
            plan_id=row[2],
            title=row[3],
            kind=row[4].value,
            start_fy=row[5],
            end_fy=row[6],
            sections=row[7],
            initiatives=row[8],
            indicators=row[9],
        )
        for row in rows
    ]
