"""The consistency check of stored plans: each demo package imported into a real database
(SQLite, and PostgreSQL in CI) gives the findings its package gives, and nothing is lost on the
way through the database."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dxplan.db import unit_of_work
from dxplan.errors import NotFoundError
from dxplan.evaluation.checks import plan_check
from dxplan.evaluation.consistency import check_plan
from dxplan.evaluation.facts import facts_from_package
from dxplan.interchange.importer import import_package

from support import DEMO_PLAN_IDS, SYSTEM, load_demo_package

REFORM = "hiratsuka-reform-plan-2020-2023"


def _import(sessions: sessionmaker[Session], plan_id: str) -> str:
    doc = load_demo_package(plan_id)
    with unit_of_work(sessions) as session:
        import_package(session, doc, source="test.json", actor=SYSTEM)
    return str(doc["municipality"]["code"])


@pytest.mark.parametrize("plan_id", DEMO_PLAN_IDS)
def test_a_stored_demo_plan_gives_the_findings_of_its_package(
    sessions: sessionmaker[Session], plan_id: str
) -> None:
    code = _import(sessions, plan_id)
    with sessions() as session:
        stored = plan_check(session, code, plan_id)
    expected = check_plan(facts_from_package(load_demo_package(plan_id)))
    assert stored == expected


def test_the_stored_reform_plan_reports_the_two_mismatches_of_the_document(
    sessions: sessionmaker[Session],
) -> None:
    code = _import(sessions, REFORM)
    with sessions() as session:
        report = plan_check(session, code, REFORM)
    assert [(f.figure, f.printed, f.computed, f.severity) for f in report.findings] == [
        ("進捗率/2020/進捗率", "91.4%", "91.5%", "mismatch"),
        ("達成状況/達成/割合", "91.2%", "91.7%", "mismatch"),
    ]


def test_checking_a_plan_that_is_not_there_is_not_found(sessions: sessionmaker[Session]) -> None:
    code = _import(sessions, REFORM)
    with sessions() as session, pytest.raises(NotFoundError):
        plan_check(session, code, "no-such-plan")
    with sessions() as session, pytest.raises(NotFoundError):
        plan_check(session, "142115", REFORM)
