"""Importing plan packages into a real database: all or nothing, audited, tenant-aware."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dxplan.audit.models import AuditEntry
from dxplan.db import Base, unit_of_work
from dxplan.errors import NotFoundError
from dxplan.interchange.errors import PackageError
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.interchange.reading import parse_package_bytes
from dxplan.plans.models import Initiative, Plan
from dxplan.plans.parts import DepartmentRole, InitiativeDepartment, ScaleKind, ScaleLabel
from dxplan.tenancy.models import Department, Municipality

from malformed import Case, cases
from support import SYSTEM, load_demo_package


def _import(sessions: sessionmaker[Session], *docs: dict[str, Any], replace: bool = False) -> None:
    with unit_of_work(sessions) as session:
        for doc in docs:
            import_package(session, doc, source="test.json", actor=SYSTEM, replace=replace)


def _snapshot(sessions: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: compared before and after a refused import."""
    with sessions() as session:
        return {
            table.name: sorted(
                (tuple(map(str, row)) for row in session.execute(select(table))), key=str
            )
            for table in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_a_refused_package_leaves_the_database_exactly_as_it_was(
    sessions: sessionmaker[Session], case: Case
) -> None:
    _import(sessions, load_demo_package("hiratsuka-dx-action-plan-results"))
    before = _snapshot(sessions)
    with pytest.raises(PackageError) as caught:
        _import(sessions, parse_package_bytes(case.data, "bad.json"))
    assert caught.value.problems[0].path == case.path
    assert _snapshot(sessions) == before


def test_a_batch_with_one_bad_package_imports_nothing(sessions: sessionmaker[Session]) -> None:
    good = load_demo_package("hadano-ict-plan")
    bad = load_demo_package("hiratsuka-reform-plan-2020-2023")
    bad["initiatives"][3]["section"] = "9999"
    with pytest.raises(PackageError, match=r"\$\.initiatives\[3\]\.section"):
        _import(sessions, good, bad)
    with sessions() as session:
        assert session.scalar(select(func.count(Plan.id))) == 0
        assert session.scalar(select(func.count(Municipality.id))) == 0


def test_importing_a_plan_twice_is_refused_unless_replacing(
    sessions: sessionmaker[Session],
) -> None:
    doc = load_demo_package("hadano-ict-plan")
    _import(sessions, doc)
    with pytest.raises(PackageError, match="--replace"):
        _import(sessions, doc)
    doc["plan"]["title"] = "秦野市ICT推進計画 個別事業一覧 (改訂)"
    doc["initiatives"] = doc["initiatives"][:10]
    _import(sessions, doc, replace=True)
    with unit_of_work(sessions) as session:
        assert export_package(session, "142115", "hadano-ict-plan", ids=False) == doc
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert [a for a in actions if a.startswith("plan.")] == ["plan.import", "plan.replace"]
    assert actions.count("initiative.delete") == 52


def test_every_import_leaves_an_audit_entry(sessions: sessionmaker[Session]) -> None:
    _import(sessions, load_demo_package("hiratsuka-dx-action-plan-results"))
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "plan.import")).one()
        municipality = session.scalars(select(Municipality)).one()
        plan = session.scalars(select(Plan)).one()
        others = session.scalars(select(AuditEntry.action).where(AuditEntry.id != entry.id)).all()
    assert entry.actor_id == SYSTEM.id
    assert entry.target_key == "142034/hiratsuka-dx-action-plan-results"
    assert entry.target_uid == plan.uid
    assert entry.municipality_id == municipality.id
    assert entry.detail == {
        "source": "test.json",
        "initiatives": 44,
        "added": [],
        "changed": [],
        "removed": [],
    }
    assert entry.at is not None
    # The municipality and each department it brings are registered with an entry of their own.
    assert others.count("municipality.create") == 1
    assert set(others) == {"municipality.create", "department.create"}


def test_departments_are_entities_shared_by_the_plans_of_one_municipality(
    sessions: sessionmaker[Session],
) -> None:
    _import(
        sessions,
        load_demo_package("hiratsuka-dx-action-plan-results"),
        load_demo_package("hiratsuka-reform-plan-2020-2023"),
        load_demo_package("hadano-ict-plan"),
    )
    with sessions() as session:
        names = session.scalars(
            select(Department.name)
            .join(Municipality)
            .where(Municipality.code == "142034", Department.name == "デジタル推進課")
        ).all()
        assert names == ["デジタル推進課"]  # one row, used by both Hiratsuka plans
        plans_using_it = session.scalar(
            select(func.count(func.distinct(Initiative.plan_id)))
            .join(InitiativeDepartment)
            .join(Department)
            .where(Department.name == "デジタル推進課", Department.municipality.has(code="142034"))
        )
        assert plans_using_it == 2
        hadano_lead = session.scalars(
            select(Department.name)
            .join(InitiativeDepartment)
            .join(Initiative)
            .where(
                Initiative.code == "1-1-(1)",
                InitiativeDepartment.role == DepartmentRole.LEAD,
                Department.municipality.has(code="142115"),
            )
        ).all()
        assert hadano_lead == ["デジタル推進課"]


def test_a_municipality_keeps_the_name_it_was_registered_with(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package("hiratsuka-dx-action-plan-results"))
    other = load_demo_package("hiratsuka-reform-plan-2020-2023")
    other["municipality"]["name"] = "ひらつか市"
    with pytest.raises(PackageError, match=r"\$\.municipality\.name（団体名）：「ひらつか市」"):
        _import(sessions, other)


def test_a_plan_without_scales_gets_seed_002s_scales_as_data(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package("hiratsuka-reform-plan-2020-2023"))
    with sessions() as session:
        labels = session.execute(
            select(ScaleLabel.scale, ScaleLabel.rank, ScaleLabel.label).order_by(
                ScaleLabel.scale, ScaleLabel.rank
            )
        ).all()
    assert [(s, r, label) for s, r, label in labels if s is ScaleKind.ACHIEVEMENT] == [
        (ScaleKind.ACHIEVEMENT, 1, "達成"),
        (ScaleKind.ACHIEVEMENT, 2, "一部未達成"),
        (ScaleKind.ACHIEVEMENT, 3, "未達成"),
    ]
    assert len(labels) == 8


def test_export_of_an_unknown_plan_says_which_and_how_to_list(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, load_demo_package("hadano-ict-plan"))
    with unit_of_work(sessions) as session, pytest.raises(NotFoundError, match="dxplan list"):
        export_package(session, "142034", "hadano-ict-plan")  # right plan, wrong city


def test_the_same_plan_id_may_exist_in_two_municipalities(
    sessions: sessionmaker[Session],
) -> None:
    hadano = load_demo_package("hadano-ict-plan")
    copy = json.loads(json.dumps(hadano))
    copy["municipality"] = {"code": "142140", "name": "伊勢原市", "prefecture": "神奈川県"}
    _import(sessions, hadano, copy)
    with unit_of_work(sessions) as session:
        assert export_package(session, "142140", "hadano-ict-plan")["municipality"]["name"] == (
            "伊勢原市"
        )
        departments = session.scalar(
            select(func.count(Department.id)).where(Department.municipality.has(code="142140"))
        )
        assert departments is not None
        assert departments > 10
