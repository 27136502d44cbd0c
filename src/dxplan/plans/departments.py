"""The municipality's departments with how many initiatives each has in each role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, distinct, func, select
from sqlalchemy.orm import Session

from dxplan.accounts.rules import Actor
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.parts import (
    DepartmentRole,
    InitiativeDepartment,
)
from dxplan.plans.visibility import reads_drafts_of, visible_municipality, visible_plans
from dxplan.tenancy.models import Department


@dataclass(frozen=True)
class DepartmentSummary:
    """A department with the number of visible initiatives it has in each role (an initiative
    in two roles counts in both, and once in `initiatives`)."""

    id: int
    name: str
    lead: int
    related: int
    implementing: int
    initiatives: int


def municipality_departments(
    session: Session, reader: Actor | None, municipality_code: str
) -> list[DepartmentSummary]:
    """The departments of a municipality, by name, with how many initiatives of the plans the
    reader may see each has in each role. A reader who may read the municipality's drafts sees
    every department; others only those with a visible initiative. NotFoundError for a
    municipality the reader may see nothing of (two queries)."""
    municipality_id = visible_municipality(session, reader, municipality_code)
    links = (
        select(
            InitiativeDepartment.department_id,
            InitiativeDepartment.role,
            InitiativeDepartment.initiative_id,
        )
        .join(Initiative, InitiativeDepartment.initiative_id == Initiative.id)
        .join(Plan, Initiative.plan_id == Plan.id)
        .where(Plan.municipality_id == municipality_id, visible_plans(reader))
        .subquery()
    )

    def in_role(role: DepartmentRole) -> ColumnElement[int]:
        return func.count(distinct(case((links.c.role == role, links.c.initiative_id))))

    total = func.count(distinct(links.c.initiative_id))
    statement = (
        select(
            Department.id,
            Department.name,
            in_role(DepartmentRole.LEAD),
            in_role(DepartmentRole.RELATED),
            in_role(DepartmentRole.IMPLEMENTING),
            total,
        )
        .outerjoin(links, links.c.department_id == Department.id)
        .where(Department.municipality_id == municipality_id)
        .group_by(Department.id, Department.name)
    )
    if not reads_drafts_of(reader, municipality_code):
        statement = statement.having(total > 0)
    summaries = [DepartmentSummary(*row) for row in session.execute(statement)]
    # Sorted here, not in SQL, so that the order is the same whatever the database's collation.
    return sorted(summaries, key=lambda summary: (summary.name, summary.id))
