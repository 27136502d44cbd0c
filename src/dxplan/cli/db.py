"""dxplan db: the database schema."""

from __future__ import annotations

import click

from dxplan import migrate
from dxplan.cli.common import Context, pass_context


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@pass_context
def db_upgrade(context: Context) -> None:
    """Create the database, or bring its schema up to date (Alembic migrations)."""
    migrate.upgrade(context.engine)
    click.echo(f"database at {context.display_url()} is at revision {migrate.head_revision()}")


COMMANDS = (db,)
