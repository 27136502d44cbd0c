"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect

from dxplan import migrate
from dxplan.db import Base


def test_the_migrated_schema_matches_the_models(engine: Engine) -> None:
    assert migrate.pending_model_changes(engine) == []
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_downgrade_to_nothing_and_upgrade_again(engine: Engine) -> None:
    try:
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        migrate.upgrade(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_sqlite_runs_with_foreign_keys_and_wal(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
