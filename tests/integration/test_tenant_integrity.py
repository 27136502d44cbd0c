"""No row can cross municipalities or plans: the database itself refuses it (composite foreign
keys), on SQLite and PostgreSQL alike; and reads cost a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dxplan.db import unit_of_work
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.plans.models import Initiative, Plan, Section
from dxplan.plans.parts import (
    Activity,
    ActivityYear,
    DepartmentRole,
    Goal,
    InitiativeDepartment,
    ScaleKind,
    ScaleLabel,
)
from dxplan.tenancy.models import Department, Municipality

from support import DEMO_PLAN_IDS, SYSTEM, counting, load_demo_package


@pytest.fixture
def two_cities(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with unit_of_work(sessions) as session:
        for plan_id in ("hadano-ict-plan", "isehara-ict-action-plan"):
            import_package(session, load_demo_package(plan_id), source="t", actor=SYSTEM)
    return sessions


def _ids(session: Session, code: str) -> dict[str, Any]:
    municipality = session.scalars(select(Municipality).where(Municipality.code == code)).one()
    plan = session.scalars(select(Plan).where(Plan.municipality_id == municipality.id)).one()
    initiative = session.scalars(
        select(Initiative).where(Initiative.plan_id == plan.id).order_by(Initiative.position)
    ).first()
    assert initiative is not None
    return {
        "municipality": municipality.id,
        "plan": plan.id,
        "initiative": initiative,
        "department": session.scalars(
            select(Department.id).where(Department.municipality_id == municipality.id)
        ).first(),
        "label": session.scalars(
            select(ScaleLabel.id).where(
                ScaleLabel.plan_id == plan.id, ScaleLabel.scale == ScaleKind.ACHIEVEMENT
            )
        ).first(),
        "section": session.scalars(select(Section.id).where(Section.plan_id == plan.id)).first(),
    }


def _refused(sessions: sessionmaker[Session], change: Callable[[Session, Any, Any], None]) -> None:
    with pytest.raises(IntegrityError), unit_of_work(sessions) as session:
        change(session, _ids(session, "142115"), _ids(session, "142140"))


def test_an_initiative_cannot_have_a_department_of_another_municipality(
    two_cities: sessionmaker[Session],
) -> None:
    def change(session: Session, hadano: Any, isehara: Any) -> None:
        session.add(
            InitiativeDepartment(
                municipality_id=hadano["municipality"],
                initiative_id=hadano["initiative"].id,
                department_id=isehara["department"],
                role=DepartmentRole.LEAD,
                position=9,
            )
        )

    _refused(two_cities, change)


def test_a_department_link_cannot_claim_another_municipality(
    two_cities: sessionmaker[Session],
) -> None:
    def change(session: Session, hadano: Any, isehara: Any) -> None:
        session.add(
            InitiativeDepartment(
                municipality_id=isehara["municipality"],
                initiative_id=hadano["initiative"].id,
                department_id=isehara["department"],
                role=DepartmentRole.LEAD,
                position=9,
            )
        )

    _refused(two_cities, change)


def test_a_goal_cannot_be_judged_on_another_plans_scale(two_cities: sessionmaker[Session]) -> None:
    def change(session: Session, hadano: Any, isehara: Any) -> None:
        session.add(
            Goal(
                plan_id=hadano["plan"],
                initiative_id=hadano["initiative"].id,
                position=9,
                text="目標",
                achievement_id=isehara["label"],
            )
        )

    _refused(two_cities, change)


def test_a_status_cannot_be_a_label_of_another_plan(two_cities: sessionmaker[Session]) -> None:
    def change(session: Session, hadano: Any, isehara: Any) -> None:
        activity = session.scalars(select(Activity).where(Activity.plan_id == hadano["plan"]))
        session.add(
            ActivityYear(
                plan_id=hadano["plan"],
                activity_id=activity.first().id,  # type: ignore[union-attr]
                start_fy=2024,
                end_fy=2024,
                status_id=isehara["label"],
            )
        )

    _refused(two_cities, change)


def test_an_initiative_cannot_sit_in_a_section_of_another_plan(
    two_cities: sessionmaker[Session],
) -> None:
    def change(session: Session, hadano: Any, isehara: Any) -> None:
        hadano["initiative"].section_id = isehara["section"]

    _refused(two_cities, change)


def test_an_initiative_cannot_claim_another_municipality_than_its_plans(
    two_cities: sessionmaker[Session],
) -> None:
    def change(session: Session, hadano: Any, isehara: Any) -> None:
        hadano["initiative"].municipality_id = isehara["municipality"]

    _refused(two_cities, change)


def test_exporting_any_plan_costs_the_same_number_of_queries(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    codes = {}
    with unit_of_work(sessions) as session:
        for plan_id in DEMO_PLAN_IDS:
            doc = load_demo_package(plan_id)
            import_package(session, doc, source="t", actor=SYSTEM)
            codes[plan_id] = doc["municipality"]["code"]
        bigger = load_demo_package("hadano-ict-plan")
        bigger["plan"]["id"] = "hadano-ict-plan-times-four"
        copies = []
        for n in range(1, 4):
            for item in load_demo_package("hadano-ict-plan")["initiatives"]:
                item["code"] = f"{item['code']}-{n}"
                item.pop("terminated", None)
                copies.append(item)
        bigger["initiatives"] += copies
        import_package(session, bigger, source="t", actor=SYSTEM)
        codes[bigger["plan"]["id"]] = "142115"
    counts = {}
    for plan_id, code in codes.items():
        with counting(engine) as statements, unit_of_work(sessions) as session:
            export_package(session, code, plan_id)
        counts[plan_id] = len(statements)
    # One query per kind of object, the glossary included (fewer where a plan has none of a
    # kind): 248 initiatives cost what 62 do.
    assert counts["hadano-ict-plan-times-four"] == counts["hadano-ict-plan"], counts
    assert max(counts.values()) <= 19, counts
