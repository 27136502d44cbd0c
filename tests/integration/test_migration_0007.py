"""Migration 0007 (the revision workflow) keeps the revisions of a database of 0004: each
becomes an adopted revision with a uid (and no snapshot yet); and back again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from dxplan import migrate
from dxplan.db import create_db_engine, session_factory, unit_of_work
from dxplan.interchange.exporter import export_package
from dxplan.revisions.queries import plan_revisions

ROWS = [
    "INSERT INTO municipality (id, code, name, prefecture, row_version) "
    "VALUES (1, '142140', '伊勢原市', '神奈川県', 1)",
    "INSERT INTO plan (id, uid, municipality_id, slug, title, kind, start_fy, end_fy, "
    "row_version) VALUES (1, '0f8fad5b-d9cb-469f-a165-70867728950e', 1, 'isehara', "
    "'ICT推進計画', 'action_plan', 2023, 2025, 1)",
    "INSERT INTO revision (id, plan_id, position, date, version, row_version) "
    "VALUES (1, 1, 0, '2023-03', '第1.0版', 1)",
    "INSERT INTO revision (id, plan_id, position, date, version, row_version) "
    "VALUES (2, 1, 1, '2024-03', '第2.0版', 1)",
    "INSERT INTO revision_change (id, revision_id, position, initiative_code, title, kind, "
    "summary, row_version) VALUES (1, 2, 0, '2-7', 'ケースファイルの電子化', 'new', '追記', 1)",
]


@pytest.fixture
def old_database(fresh_database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(fresh_database_url)
    migrate.upgrade(engine, "0004")
    with engine.begin() as connection:
        for row in ROWS:
            connection.execute(text(row))
    yield engine
    engine.dispose()


def test_stored_revisions_become_adopted_revisions_with_uids(old_database: Engine) -> None:
    migrate.upgrade(old_database)
    assert migrate.pending_model_changes(old_database) == []
    with unit_of_work(session_factory(old_database)) as session:
        revisions = plan_revisions(session, "142140", "isehara")
        doc = export_package(session, "142140", "isehara")
    assert [(r.state, r.version, len(r.uid)) for r in revisions] == [
        ("adopted", "第1.0版", 36),
        ("adopted", "第2.0版", 36),
    ]
    assert revisions[0].uid != revisions[1].uid
    assert [(c.kind, c.subject_uid, c.summary_edited) for c in revisions[1].changes] == [
        ("new", None, False)
    ]
    assert doc["revisions"][1] == {
        "date": "2024-03",
        "version": "第2.0版",
        "changes": [
            {
                "initiative": "2-7",
                "title": "ケースファイルの電子化",
                "kind": "new",
                "summary": "追記",
            }
        ],
    }


def test_a_downgrade_keeps_the_adopted_revisions_and_drops_an_open_one(
    old_database: Engine,
) -> None:
    migrate.upgrade(old_database)
    with old_database.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO revision (id, uid, plan_id, position, date, state, row_version) "
                "VALUES (3, 'c3a1e1b2-0000-4000-8000-000000000003', 1, 2, '2025-03', 'open', 1)"
            )
        )
    migrate.downgrade(old_database, "0004")
    with old_database.connect() as connection:
        dates = connection.execute(text("SELECT date FROM revision ORDER BY id")).scalars()
        assert list(dates) == ["2023-03", "2024-03"]
    migrate.upgrade(old_database)
    assert migrate.pending_model_changes(old_database) == []
