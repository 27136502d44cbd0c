"""Migration 0002 keeps a database of 0001 with its rows: ids are generated, tenants filled in,
versions start at 1, figures stay exact, the audit actor becomes an actor id; and back again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from dxplan import migrate
from dxplan.db import create_db_engine, session_factory, unit_of_work
from dxplan.interchange.exporter import export_package

ROWS = [
    "INSERT INTO municipality (id, code, name, prefecture) "
    "VALUES (1, '142115', '秦野市', '神奈川県')",
    "INSERT INTO department (id, municipality_id, name) VALUES (1, 1, 'デジタル推進課')",
    "INSERT INTO plan (id, municipality_id, slug, title, kind, start_fy, end_fy) "
    "VALUES (1, 1, 'hadano-ict-plan', '秦野市ICT推進計画', 'action_plan', 2021, 2025)",
    "INSERT INTO scale_label (id, plan_id, scale, rank, label) VALUES (1, 1, 'progress', 1, '済')",
    "INSERT INTO scale_label (id, plan_id, scale, rank, label) "
    "VALUES (2, 1, 'achievement', 1, '達成')",
    "INSERT INTO section (id, plan_id, parent_id, position, code, title) "
    "VALUES (1, 1, NULL, 0, '1', '市民にとって便利でやさしいICT活用の推進')",
    "INSERT INTO initiative (id, plan_id, section_id, position, code, title, terminated) "
    "VALUES (1, 1, 1, 0, '1-1-(1)', '各種手続のオンライン化の推進', false)",
    "INSERT INTO initiative_department (id, initiative_id, department_id, role, position) "
    "VALUES (1, 1, 1, 'lead', 0)",
    "INSERT INTO activity (id, initiative_id, position, title) VALUES (1, 1, 0, '方向性整理')",
    "INSERT INTO activity_year (id, activity_id, start_fy, end_fy, planned, actual, status_id) "
    "VALUES (1, 1, 2021, 2021, '検討', '検討', 1)",
    "INSERT INTO indicator (id, initiative_id, position, name, unit) "
    "VALUES (1, 1, 0, 'その他手続のオンライン化数', '万件')",
    "INSERT INTO indicator_value (id, indicator_id, kind, start_fy, end_fy, text, value) "
    "VALUES (1, 1, 'target', 2023, 2023, '780.5万件', 780.5)",
    "INSERT INTO goal (id, initiative_id, position, text, achievement_id) "
    "VALUES (1, 1, 0, '手続をオンライン化します。', 2)",
    "INSERT INTO audit_entry (id, municipality_id, at, actor, action, target_type, target_key) "
    "VALUES (1, 1, '2026-11-20 10:00:00+00:00', 'cli', 'plan.import', 'plan', "
    "'142115/hadano-ict-plan')",
]


@pytest.fixture
def old_database(fresh_database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(fresh_database_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        for row in ROWS:
            connection.execute(text(row))
    yield engine
    engine.dispose()


def test_upgrading_a_database_with_plans_keeps_them(old_database: Engine) -> None:
    migrate.upgrade(old_database)
    assert migrate.pending_model_changes(old_database) == []
    with unit_of_work(session_factory(old_database)) as session:
        doc = export_package(session, "142115", "hadano-ict-plan")
        actor = session.scalar(text("SELECT actor_id FROM audit_entry"))
        tenants = session.execute(
            text(
                "SELECT i.municipality_id, d.municipality_id, a.plan_id, y.plan_id, g.plan_id "
                "FROM initiative i, initiative_department d, activity a, activity_year y, goal g"
            )
        ).one()
        versions = session.scalars(text("SELECT row_version FROM initiative")).all()
    [initiative] = doc["initiatives"]
    assert initiative["lead_departments"] == ["デジタル推進課"]
    assert initiative["activities"][0]["status"] == {"2021": "済"}
    assert initiative["goals"][0]["achievement"] == "達成"
    assert initiative["indicators"][0]["targets"]["2023"] == {"text": "780.5万件", "value": 780.5}
    uids = [doc["plan"]["uid"], doc["sections"][0]["uid"], initiative["uid"]]
    uids += [initiative[name][0]["uid"] for name in ("activities", "indicators", "goals")]
    assert len(set(uids)) == 6
    assert all(len(uid) == 36 for uid in uids)
    assert actor == "system:cli"
    assert tuple(tenants) == (1, 1, 1, 1, 1)
    assert versions == [1]


def test_downgrading_gives_the_old_schema_and_rows_back(old_database: Engine) -> None:
    migrate.upgrade(old_database)
    migrate.downgrade(old_database, "0001")
    with old_database.connect() as connection:
        assert connection.scalar(text("SELECT actor FROM audit_entry")) == "cli"
        assert connection.scalar(text("SELECT value FROM indicator_value")) == 780.5
        assert connection.scalar(text("SELECT count(*) FROM initiative_department")) == 1
    migrate.upgrade(old_database)
    assert migrate.pending_model_changes(old_database) == []


def test_schema_comparison_ignores_another_applications_tables(fresh_database_url: str) -> None:
    engine = create_db_engine(fresh_database_url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE crm_customer (id INTEGER PRIMARY KEY)"))
        # Autogenerate would otherwise propose to drop crm_customer.
        assert migrate.pending_model_changes(engine) == []
    finally:
        engine.dispose()
