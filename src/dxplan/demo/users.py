"""The demo's users: one per role in each municipality, all with the same demo password."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dxplan.accounts.rules import Actor, Role
from dxplan.accounts.services import add_user
from dxplan.plans.models import Initiative
from dxplan.plans.parts import DepartmentRole, InitiativeDepartment
from dxplan.tenancy.models import Department, Municipality

# Printed in the README and by `dxplan demo`: change it (or the users) before real use.
DEMO_PASSWORD = "dxplan-demo-2026"

_LOGIN_SUFFIX = {
    Role.ADMIN: "admin",
    Role.DX_DIVISION: "dx",
    Role.DEPARTMENT_EDITOR: "editor",
    Role.COMMITTEE: "committee",
    Role.VIEWER: "viewer",
}


@dataclass(frozen=True)
class DemoUser:
    login: str
    municipality: str
    role: Role
    department: str | None


def _editor_department(session: Session, municipality_id: int) -> str:
    """The department that leads the second most initiatives of the municipality's plans (the
    first is usually the DX division itself, which has a role of its own), else the first."""
    statement = (
        select(Department.name)
        .join(InitiativeDepartment, InitiativeDepartment.department_id == Department.id)
        .join(Initiative, InitiativeDepartment.initiative_id == Initiative.id)
        .where(
            Department.municipality_id == municipality_id,
            InitiativeDepartment.role == DepartmentRole.LEAD,
        )
        .group_by(Department.name)
        .order_by(func.count().desc(), Department.name)
        .limit(2)
    )
    names = session.scalars(statement).all()
    if not names:
        raise LookupError(f"municipality {municipality_id} has no lead department")
    return names[-1]


def add_demo_users(session: Session, actor: Actor) -> list[DemoUser]:
    """One user per role in every municipality, the editor bound to a department of its plans."""
    created = []
    for municipality in session.scalars(select(Municipality).order_by(Municipality.code)):
        department = _editor_department(session, municipality.id)
        for role, suffix in _LOGIN_SUFFIX.items():
            names = [department] if role is Role.DEPARTMENT_EDITOR else []
            login = f"{municipality.code}-{suffix}"
            add_user(
                session,
                actor,
                login=login,
                municipality_code=municipality.code,
                password=DEMO_PASSWORD,
                roles=[role],
                department_names=names,
                email=f"{login}@example.jp",
            )
            created.append(DemoUser(login, municipality.name, role, names[0] if names else None))
    return created
