"""The plans as packages: dxplan import, export, publish, unpublish, list, schema."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from dxplan.accounts.context import Context as PlanContext
from dxplan.cli.common import CLI_ACTOR, Context, pass_context, plan_arguments, write_file
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.interchange.reading import read_package
from dxplan.plans.package.validation import package_schema
from dxplan.plans.queries import PlanSummary, plan_summaries
from dxplan.plans.services import set_publication
from dxplan.plans.writing.sync import ImportOutcome


def import_documents(
    session: Session, documents: Sequence[tuple[str, Any]], *, replace: bool, publish: bool
) -> list[ImportOutcome]:
    """Import parsed documents in the caller's transaction, with a progress bar on a terminal."""
    imported: list[ImportOutcome] = []
    with click.progressbar(
        documents,
        label="Importing",
        file=sys.stderr,
        hidden=not sys.stderr.isatty(),
        item_show_func=lambda d: d and d[0],
    ) as bar:
        for source, doc in bar:
            imported.append(
                import_package(
                    session, doc, source=source, actor=CLI_ACTOR, replace=replace, publish=publish
                )
            )
    return imported


def print_summaries(summaries: list[PlanSummary]) -> None:
    """One line per plan: its municipality, id, kind, period, counts and publication state."""
    for s in summaries:
        click.echo(
            f"{s.municipality_code} {s.municipality_name}  {s.plan_id}  {s.kind}  "
            f"FY{s.start_fy}-{s.end_fy}  sections {s.sections}  initiatives {s.initiatives}  "
            f"indicators {s.indicators}  {'published' if s.public else 'draft'}  {s.title}"
        )


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Update plans already in the database to say what the package says, keeping the "
    "identity of what is still there (without it such a plan is refused).",
)
@click.option(
    "--publish",
    is_flag=True,
    help="Publish the plans (new plans are drafts; a replaced plan keeps its state).",
)
@pass_context
def import_command(context: Context, paths: tuple[Path, ...], replace: bool, publish: bool) -> None:
    """Import plan packages (JSON), all or nothing.

    Either every package is imported, or none is: a package that cannot be imported names the
    file, the JSON path, the value found and what was expected, and nothing of it is written.
    Prints each plan imported with its number of initiatives; with `--replace`, what was added,
    changed and removed.
    """
    with context.unit_of_work() as session:
        documents = [(str(path), read_package(path)) for path in paths]
        outcomes = import_documents(session, documents, replace=replace, publish=publish)
    for outcome in outcomes:
        plan = outcome.plan
        where = f"{plan.municipality.code} {plan.slug}"
        if outcome.created:
            click.echo(f"imported {where} ({outcome.initiatives} initiatives)")
            continue
        click.echo(
            f"replaced {where}: {len(outcome.added)} added, {len(outcome.changed)} changed, "
            f"{len(outcome.removed)} removed"
        )
        for name in outcome.removed:
            click.echo(f"  removed {name}")


@click.command("export")
@plan_arguments
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write to this file, not stdout.",
)
@click.option("--no-ids", is_flag=True, help="Leave out the objects' stable ids (uid fields).")
@pass_context
def export_command(
    context: Context, municipality_code: str, plan_id: str, output: Path | None, no_ids: bool
) -> None:
    """Export a plan as a plan package (JSON), with the stable id of every object.

    The package goes to stdout or to a file, each object with its stable `uid`, so that the
    package imports again with `dxplan import --replace`.
    For example: `dxplan export 142115 hadano-ict-plan -o hadano.json`.
    """
    with context.unit_of_work() as session:
        doc = export_package(session, municipality_code, plan_id, ids=not no_ids)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    write_file(output, text)
    click.echo(f"wrote {output}", err=True)


def _set_publication(context: Context, municipality_code: str, plan_id: str, public: bool) -> None:
    with context.unit_of_work() as session:
        changed = set_publication(
            session, PlanContext(CLI_ACTOR, municipality_code), plan_id, public=public
        )
    state = "published" if public else "a draft"
    already = "" if changed else " (it already was)"
    click.echo(f"{municipality_code} {plan_id} is {state}{already}")


@click.command("publish")
@plan_arguments
@pass_context
def publish_command(context: Context, municipality_code: str, plan_id: str) -> None:
    """Publish a plan: anyone may read it (the public portal, the API without a token).

    This is dxplan's own publication state, not the document's `published` date.
    """
    _set_publication(context, municipality_code, plan_id, public=True)


@click.command("unpublish")
@plan_arguments
@pass_context
def unpublish_command(context: Context, municipality_code: str, plan_id: str) -> None:
    """Take a plan back to a draft: only its municipality's users may read it."""
    _set_publication(context, municipality_code, plan_id, public=False)


@click.command("list")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON array of objects with `municipality`, `plan`, `title`, `initiatives`, "
    "`published`.",
)
@pass_context
def list_command(context: Context, as_json: bool) -> None:
    """List municipalities and their plans with counts.

    One line per plan: its municipality, id, kind, period, numbers of sections, initiatives and
    indicators, whether it is published or a draft, and its title.
    """
    with context.unit_of_work() as session:
        summaries = plan_summaries(session)
    if as_json:
        rows = [
            {
                "municipality": s.municipality_code,
                "plan": s.plan_id,
                "title": s.title,
                "initiatives": s.initiatives,
                "published": s.public,
            }
            for s in summaries
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not summaries:
        click.echo("no plans yet (dxplan import PATH, or dxplan demo)")
    print_summaries(summaries)


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the plan package format (dxplan-package/1)."""
    click.echo(json.dumps(package_schema(), ensure_ascii=False, indent=2))


COMMANDS = (
    import_command,
    export_command,
    publish_command,
    unpublish_command,
    list_command,
    schema_command,
)
