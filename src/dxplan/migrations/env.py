"""Alembic environment: runs on the connection handed over by dxplan.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import dxplan.models
from dxplan.db import create_db_engine
from dxplan.migrate import owns

config = context.config
target_metadata = dxplan.models.Base.metadata


def _run(connection: Connection) -> None:
    # Only dxplan's tables are compared: autogenerate never proposes to drop another's table.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=owns,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the connection in config.attributes, or on one opened from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("dxplan migrations run online only: use `dxplan db upgrade`.")
run_migrations_online()
