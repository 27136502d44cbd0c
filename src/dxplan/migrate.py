"""Schema management: Alembic upgrade, reset, and a check that models and migrations agree."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData

import dxplan.models


def _scripts_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "dxplan:migrations")
    return config


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration bound to the engine's URL; no alembic.ini needed."""
    config = _scripts_config()
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def _run(engine: Engine, step: Callable[[Config], None]) -> None:
    """Run a migration step in one transaction.

    On SQLite, foreign keys are not enforced while tables are rebuilt (batch migrations copy a
    table, drop it and rename the copy: with enforcement on, the drop would cascade); they are
    checked as a whole before the transaction commits.
    """
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config = alembic_config(engine)
                config.attributes["connection"] = connection
                step(config)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to `revision`."""
    _run(engine, lambda config: command.upgrade(config, revision))


def reset(engine: Engine) -> None:
    """Drop every table in the database (including ones of older revisions), then upgrade."""
    existing = MetaData()
    existing.reflect(bind=engine)
    existing.drop_all(bind=engine)
    upgrade(engine)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def pending_model_changes(engine: Engine) -> list[object]:
    """Differences between the models and the migrated database (empty when in step)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        return list(compare_metadata(context, dxplan.models.Base.metadata))


def head_revision() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(_scripts_config()).get_current_head()


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database schema down to `revision` ("base" removes every table)."""
    _run(engine, lambda config: command.downgrade(config, revision))
