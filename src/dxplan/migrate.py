"""Schema management: Alembic upgrade, reset, and a check that models and migrations agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, Table, func, inspect, select
from sqlalchemy.schema import DropTable

import dxplan.models
from dxplan.errors import DxplanError
from dxplan.settings import Environment, get_settings

VERSION_TABLE: Final = "alembic_version"
# Tables that older migrations created and later ones dropped, children first. A reset drops them
# too (a database may still be at such a revision); dxplan never touches any other table.
RETIRED_TABLES: Final[tuple[str, ...]] = ()


class ResetRefusedError(DxplanError):
    """A reset that would destroy what is not dxplan's, or data in production."""


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


def owned_tables() -> tuple[str, ...]:
    """dxplan's own table names in the order they can be dropped (dependents first)."""
    models = [table.name for table in reversed(dxplan.models.Base.metadata.sorted_tables)]
    return (*RETIRED_TABLES, *models, VERSION_TABLE)


@dataclass(frozen=True)
class Survey:
    """What a reset would meet: dxplan's tables present, the other tables, the rows at stake."""

    url: str
    owned: tuple[str, ...]
    foreign: tuple[str, ...]
    references: tuple[str, ...]
    plans: int
    audit_entries: int


def _count(connection: Connection, table: str, present: tuple[str, ...]) -> int:
    if table not in present:
        return 0
    return connection.scalar(select(func.count()).select_from(Table(table, MetaData()))) or 0


def _survey(connection: Connection) -> Survey:
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    owned = tuple(name for name in owned_tables() if name in existing)
    foreign = tuple(sorted(existing - set(owned_tables())))
    references = tuple(
        f"{name}.{','.join(fk['constrained_columns'])} → {fk['referred_table']}"
        for name in foreign
        for fk in inspector.get_foreign_keys(name)
        if fk["referred_table"] in owned
        and fk.get("referred_schema") in (None, inspector.default_schema_name)
    )
    return Survey(
        url=connection.engine.url.render_as_string(hide_password=True),
        owned=owned,
        foreign=foreign,
        references=references,
        plans=_count(connection, dxplan.models.Plan.__tablename__, owned),
        audit_entries=_count(connection, dxplan.models.AuditEntry.__tablename__, owned),
    )


def _refuse(survey: Survey, *, force: bool) -> None:
    if get_settings().environment is Environment.PRODUCTION:
        raise ResetRefusedError(
            f"DXPLAN_ENVIRONMENT is production: resetting the database at {survey.url} "
            "is refused (it would drop dxplan's tables and every plan and audit entry in them)"
        )
    if survey.references:
        raise ResetRefusedError(
            f"the database at {survey.url} has tables of another application with foreign keys "
            f"into dxplan's ({', '.join(survey.references)}): nothing was dropped, "
            "as dropping dxplan's tables would break them"
        )
    if survey.foreign and not force:
        count = len(survey.foreign)
        raise ResetRefusedError(
            f"the database at {survey.url} holds {count} "
            f"{'table' if count == 1 else 'tables'} that dxplan does not own "
            f"({', '.join(survey.foreign)}): nothing was dropped; with --force only dxplan's "
            f"tables are reset and {'that one is' if count == 1 else 'those are'} left untouched"
        )


def prepare_reset(engine: Engine, *, force: bool = False) -> Survey:
    """What a reset would drop; ResetRefusedError when it may not (see `reset`)."""
    with engine.connect() as connection:
        survey = _survey(connection)
    _refuse(survey, force=force)
    return survey


def reset(engine: Engine, *, force: bool = False) -> None:
    """Drop dxplan's own tables, then upgrade; never any other table.

    Refused in production, when another application's table has a foreign key into dxplan's,
    and, unless `force`, when the database holds tables that are not dxplan's at all.
    """
    with engine.begin() as connection:
        survey = _survey(connection)
        _refuse(survey, force=force)
        for name in survey.owned:
            connection.execute(DropTable(Table(name, MetaData())))
    upgrade(engine)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def owns(name: str | None, type_: str, _parents: object = None) -> bool:
    """Whether schema comparison looks at this object: only dxplan's tables (and what is in them),
    so that autogenerate never proposes to drop another application's table."""
    return type_ != "table" or name in owned_tables()


def pending_model_changes(engine: Engine) -> list[object]:
    """Differences between the models and the migrated database (empty when in step)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": owns})
        return list(compare_metadata(context, dxplan.models.Base.metadata))


def head_revision() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(_scripts_config()).get_current_head()


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database schema down to `revision` ("base" removes every table)."""
    _run(engine, lambda config: command.downgrade(config, revision))
