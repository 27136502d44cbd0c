"""Shared fixtures: a real database (SQLite by default, PostgreSQL with DXPLAN_TEST_DATABASE_URL).

The schema is built once per run by the migrations; every test starts with empty tables.
"""

from __future__ import annotations

import os

# argon2's cheapest profile for the test users' passwords (hashing with the real parameters
# costs ~0.1 s each); must be set before dxplan.accounts.services is imported.
os.environ.setdefault("DXPLAN_CHEAP_PASSWORD_HASHES", "1")

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from dxplan import migrate
from dxplan.db import create_db_engine, session_factory

from support import empty_tables


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database: $DXPLAN_TEST_DATABASE_URL, or a fresh SQLite file."""
    url = os.environ.get("DXPLAN_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture
def fresh_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the test's own, removed afterwards, beside the shared one.

    On PostgreSQL a new database on the test server; its URL carries a password (the test server
    ignores it) so that tests can check it is never shown.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"dxplan_fresh_{uuid.uuid4().hex[:12]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name, password="secret").render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    migrate.reset(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory on an empty database (whatever other tests, such as the CLI's demo,
    left in it); the tables are emptied after the test too."""
    empty_tables(engine)
    yield session_factory(engine)
    empty_tables(engine)
