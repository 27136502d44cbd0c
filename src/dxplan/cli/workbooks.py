"""dxplan workbook: the update workbook (更新用Excel) out and back in."""

from __future__ import annotations

from pathlib import Path

import click

from dxplan.accounts.context import Context as PlanContext
from dxplan.cli.common import (
    CLI_ACTOR,
    Context,
    UserError,
    pass_context,
    plan_arguments,
    write_file,
)
from dxplan.fiscal import fiscal_year_of, today_in_japan
from dxplan.workbooks.export import export_update_workbook
from dxplan.workbooks.importing import import_update_workbook
from dxplan.workbooks.problems import WorkbookError


@click.group()
def workbook() -> None:
    """The update workbook (更新用Excel): a fiscal year's yearly fields out to Excel and back."""


@workbook.command("export")
@plan_arguments
@click.option(
    "--fy", type=int, metavar="YEAR", help="The fiscal year (default: the current one in Japan)."
)
@click.option("--department", metavar="NAME", help="Only this department's initiatives.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="The file to write (default: PLAN_ID-FY[-DEPARTMENT].xlsx here).",
)
@pass_context
def workbook_export_command(
    context: Context,
    municipality_code: str,
    plan_id: str,
    fy: int | None,
    department: str | None,
    output: Path | None,
) -> None:
    """Write the update workbook of a plan (or one department) for a fiscal year.

    The workbook holds what the plan's initiatives (or the department's) report in the year,
    to fill in offline and import again (see "The update workbook" in the README).
    """
    year = fy if fy is not None else fiscal_year_of(today_in_japan())
    with context.unit_of_work() as session:
        data = export_update_workbook(
            session, PlanContext(CLI_ACTOR, municipality_code), plan_id, year, department
        )
    if output is None:
        output = Path(f"{plan_id}-{year}{'-' + department if department else ''}.xlsx")
    write_file(output, data)
    click.echo(f"wrote {output}", err=True)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc


@workbook.command("import")
@plan_arguments
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why a year whose reporting round is approved (locked) is corrected; needed then.",
)
@pass_context
def workbook_import_command(
    context: Context, municipality_code: str, plan_id: str, path: Path, reason: str | None
) -> None:
    """Import a filled-in update workbook, all or nothing, as the system actor.

    Every cell is checked before anything changes. When anything is wrong: one line per problem
    on stderr (its sheet and cell, the value found and what was expected), nothing changed, exit
    code 1. Otherwise it prints what changed, per initiative.
    """
    try:
        with context.unit_of_work() as session:
            report = import_update_workbook(
                session,
                PlanContext(CLI_ACTOR, municipality_code),
                plan_id,
                _read(path),
                source_name=path.name,
                reason=reason,
            )
    except WorkbookError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        click.echo(
            f"error: {path}: {count} problem{'s' if count != 1 else ''}; nothing was changed",
            err=True,
        )
        raise SystemExit(1) from None
    for update in report.updates:
        click.echo(f"{update.code} {update.title}: {len(update.changes)} changed")
        for change in update.changes:
            click.echo(f"  {change.field}")
    click.echo(
        f"imported {path}: {report.changed_fields} fields of {len(report.updates)} initiatives "
        f"changed ({report.cells} cells checked)",
        err=True,
    )


COMMANDS = (workbook,)
