"""What every command shares: the database opened on first use, its unit of work, the system
actor, and the one-line user error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dxplan import migrate
from dxplan.accounts.rules import Actor
from dxplan.db import create_db_engine, session_factory, unit_of_work
from dxplan.errors import DxplanError
from dxplan.settings import get_settings

CLI_ACTOR = Actor.system_actor("cli")


class Context:
    """What every command needs: the database, opened on first use."""

    def __init__(self, database_url: str | None) -> None:
        settings = get_settings()
        self.database_url = database_url or settings.resolved_database_url()
        self.echo_sql = settings.echo_sql
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._schema_checked = False

    @property
    def engine(self) -> Engine:
        """The database's engine, created on first use."""
        if self._engine is None:
            self._engine = create_db_engine(self.database_url, echo=self.echo_sql)
        return self._engine

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session in one transaction (committed at the end, rolled back on an error) on a
        database at the current schema."""
        self.require_current_schema()
        if self._sessions is None:
            self._sessions = session_factory(self.engine)
        with unit_of_work(self._sessions) as session:
            yield session

    def require_current_schema(self) -> None:
        """Refuse to work on a database that was never set up or is behind the code."""
        if self._schema_checked:
            return  # one look per invocation: the schema does not move under a command
        if migrate.current_revision(self.engine) != migrate.head_revision():
            raise DxplanError(
                f"the database at {self.display_url()} is not at the current schema "
                "(run `dxplan db upgrade`, or `dxplan demo` for the demo data)"
            )
        self._schema_checked = True

    def display_url(self) -> str:
        """The database's URL with its password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Let go of the engine's connections."""
        if self._engine is not None:
            self._engine.dispose()


pass_context = click.make_pass_decorator(Context)


class UserError(click.ClickException):
    """Shown as one line on stderr, "error: ...", with exit code 1 and no traceback."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


def one_line(text: str) -> str:
    """The text with its runs of whitespace (newlines too) as single spaces."""
    return " ".join(text.split())


def write_file(path: Path, content: str | bytes) -> None:
    """Write a command's output file (text as UTF-8); a user error when it cannot be written."""
    try:
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc


def plan_arguments(function: Any) -> Any:
    """The MUNICIPALITY_CODE and PLAN_ID arguments most commands start with."""
    function = click.argument("plan_id")(function)
    return click.argument("municipality_code")(function)
