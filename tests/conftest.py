"""Shared fixtures: a real database (SQLite by default, PostgreSQL with DXPLAN_TEST_DATABASE_URL).

The schema is built once per run by the migrations; every test starts with empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from dxplan import migrate
from dxplan.db import Base, create_db_engine, session_factory


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database: $DXPLAN_TEST_DATABASE_URL, or a fresh SQLite file."""
    url = os.environ.get("DXPLAN_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    migrate.reset(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory on an empty database; the tables are emptied after the test."""
    yield session_factory(engine)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
