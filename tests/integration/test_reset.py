"""A reset drops dxplan's own tables only, and never in production."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, inspect, select, text

from dxplan import migrate
from dxplan.db import Base, create_db_engine, session_factory, unit_of_work
from dxplan.settings import get_settings
from dxplan.tenancy.models import Municipality

OTHER_ROWS = [(1, "顧客A"), (2, "顧客B")]


@pytest.fixture
def fresh_engine(fresh_database_url: str) -> Iterator[Engine]:
    """A database of its own with dxplan's schema, a municipality, and another application's
    table with rows."""
    engine = create_db_engine(fresh_database_url)
    migrate.upgrade(engine)
    with unit_of_work(session_factory(engine)) as session:
        session.add(Municipality(code="142115", name="秦野市", prefecture="神奈川県"))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE crm_customer (id INTEGER PRIMARY KEY, name TEXT)"))
        connection.execute(
            text("INSERT INTO crm_customer VALUES (:id, :name)"),
            [{"id": id_, "name": name} for id_, name in OTHER_ROWS],
        )
    yield engine
    engine.dispose()


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DXPLAN_ENVIRONMENT", "production")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _other_rows(engine: Engine) -> list[tuple[int, str]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, name FROM crm_customer ORDER BY id"))
        return [(row.id, row.name) for row in rows]


def _municipalities(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(Municipality.code)))


def test_dxplan_owns_the_tables_of_its_models_and_alembic_version() -> None:
    owned = migrate.owned_tables()
    assert set(owned) == {*Base.metadata.tables, "alembic_version"}
    assert owned.index("plan") > owned.index("initiative")
    assert owned.index("municipality") > owned.index("plan")


def test_reset_refuses_a_database_with_another_applications_table_and_drops_nothing(
    fresh_engine: Engine,
) -> None:
    with pytest.raises(migrate.ResetRefusedError, match=r"holds 1 table .*\(crm_customer\)"):
        migrate.reset(fresh_engine)
    assert _municipalities(fresh_engine) == ["142115"]
    assert _other_rows(fresh_engine) == OTHER_ROWS


def test_forced_reset_empties_dxplans_tables_and_leaves_the_other_table_with_its_rows(
    fresh_engine: Engine,
) -> None:
    migrate.reset(fresh_engine, force=True)
    assert _municipalities(fresh_engine) == []
    assert _other_rows(fresh_engine) == OTHER_ROWS
    assert migrate.current_revision(fresh_engine) == migrate.head_revision()
    assert set(Base.metadata.tables) <= set(inspect(fresh_engine).get_table_names())


def test_reset_refuses_even_forced_when_another_table_has_a_foreign_key_into_dxplans(
    fresh_engine: Engine,
) -> None:
    with fresh_engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE crm_note (id INTEGER PRIMARY KEY, "
                "municipality_id INTEGER REFERENCES municipality (id))"
            )
        )
    with pytest.raises(
        migrate.ResetRefusedError, match=r"crm_note\.municipality_id → municipality"
    ):
        migrate.reset(fresh_engine, force=True)
    assert _municipalities(fresh_engine) == ["142115"]
    assert "crm_note" in inspect(fresh_engine).get_table_names()


@pytest.mark.usefixtures("production")
def test_reset_is_refused_in_production(fresh_engine: Engine) -> None:
    with fresh_engine.begin() as connection:
        connection.execute(text("DROP TABLE crm_customer"))
    with pytest.raises(migrate.ResetRefusedError, match="DXPLAN_ENVIRONMENT is production"):
        migrate.reset(fresh_engine, force=True)
    assert _municipalities(fresh_engine) == ["142115"]
