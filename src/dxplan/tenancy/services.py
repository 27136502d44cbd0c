"""Writes about municipalities and departments, each with its audit entry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxplan.audit import services as audit
from dxplan.audit.services import FieldChange
from dxplan.errors import InvalidChangeError
from dxplan.problems import Problem, quoted
from dxplan.tenancy.models import Department, Municipality


def ensure_municipality(
    session: Session, actor_id: str, code: str, name: str, prefecture: str
) -> Municipality:
    """The municipality with this code; registered (and audited) when it is new.

    A different name for a registered code is refused: a code names one municipality.
    """
    municipality = session.scalar(select(Municipality).where(Municipality.code == code))
    if municipality is None:
        municipality = Municipality(code=code, name=name, prefecture=prefecture)
        session.add(municipality)
        session.flush()
        audit.record(
            session,
            actor_id=actor_id,
            action="municipality.create",
            target_type="municipality",
            target_key=code,
            municipality_id=municipality.id,
            changes=[FieldChange("name", None, name), FieldChange("prefecture", None, prefecture)],
        )
        return municipality
    if municipality.name != name:
        expected = f"「{municipality.name}」（団体コード{code}で登録済みの名称）"
        problem = Problem("$.municipality.name", quoted(name), expected, "団体名")
        raise InvalidChangeError([problem])
    return municipality


class Departments:
    """The departments of one municipality by name, creating (and auditing) new ones."""

    def __init__(self, session: Session, municipality: Municipality, actor_id: str) -> None:
        self.session = session
        self.municipality = municipality
        self.actor_id = actor_id
        self.by_name = {d.name: d for d in municipality.departments}

    def get(self, name: str) -> Department:
        """The department of that name; created with an audit entry when it is new."""
        department = self.by_name.get(name)
        if department is None:
            department = Department(municipality=self.municipality, name=name)
            self.by_name[name] = department
            audit.record(
                self.session,
                actor_id=self.actor_id,
                action="department.create",
                target_type="department",
                target_key=f"{self.municipality.code}/{name}",
                municipality_id=self.municipality.id,
                changes=[FieldChange("name", None, name)],
            )
        return department
