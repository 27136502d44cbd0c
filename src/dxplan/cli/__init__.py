"""The dxplan command line: thin commands over the services and queries, one module per group."""

from __future__ import annotations

import os
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from dxplan import __version__
from dxplan.cli import (
    accounts,
    db,
    demo,
    documents,
    evaluation,
    plans,
    reporting,
    revisions,
    web,
    workbooks,
)
from dxplan.cli.common import Context, UserError, one_line
from dxplan.errors import DxplanError
from dxplan.interchange.errors import PackageError


class DxplanGroup(click.Group):
    """Turns the errors a user can act on into one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except PackageError as exc:
            raise UserError(exc.summary()) from exc
        except DxplanError as exc:
            raise UserError(str(exc)) from exc
        except SQLAlchemyError as exc:
            if os.environ.get("DXPLAN_DEBUG"):
                raise
            reason = getattr(exc, "orig", None) or exc
            raise UserError(f"database: {one_line(str(reason))}") from exc
        except OSError as exc:
            if os.environ.get("DXPLAN_DEBUG"):
                raise
            raise UserError(one_line(str(exc))) from exc


@click.group(cls=DxplanGroup)
@click.version_option(__version__, prog_name="dxplan")
@click.option(
    "--database-url",
    metavar="URL",
    help="Database to use (default: $DXPLAN_DATABASE_URL, else a SQLite file in ./data).",
)
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """dxplan: a municipality's DX / ICT plan as data, through the yearly PDCA cycle.

    MUNICIPALITY_CODE is a municipality's 全国地方公共団体コード (142115 is 秦野市) and PLAN_ID
    a plan's id (hadano-ict-plan; `dxplan list` shows them). `dxplan COMMAND --help` tells what a
    command does and takes.
    """
    context = Context(database_url)
    ctx.obj = context
    ctx.call_on_close(context.close)


COMMAND_MODULES = (
    accounts,
    db,
    demo,
    documents,
    evaluation,
    plans,
    reporting,
    revisions,
    web,
    workbooks,
)
for _module in COMMAND_MODULES:
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point of the dxplan command."""
    cli(prog_name="dxplan")
