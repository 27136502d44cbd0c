"""dxplan revision: open, adopt and list a plan's revisions (改訂)."""

from __future__ import annotations

import click

from dxplan.accounts.context import Context as PlanContext
from dxplan.cli.common import CLI_ACTOR, Context, pass_context, plan_arguments
from dxplan.revisions.queries import RevisionSummary, plan_revisions
from dxplan.revisions.services import adopt_revision, open_revision


@click.group()
def revision() -> None:
    """Revise a plan (改訂): open a revision, change the plan in it, adopt it."""


def _print_revision(item: RevisionSummary) -> None:
    click.echo(
        f"{item.state}  {item.date}  {item.version or '-'}  {len(item.changes)} changes  "
        f"{item.uid}  {item.summary or ''}".rstrip()
    )
    for change in item.changes:
        code = change.initiative_code or "section"
        click.echo(f"  {change.kind}  {code}  {change.title or ''}: {change.summary or ''}")


@revision.command("open")
@plan_arguments
@click.option("--date", "date", required=True, metavar="YYYY-MM-DD", help="The revision's date.")
@click.option("--version", "version", metavar="TEXT", help="The version (版数), e.g. 第3.0版.")
@click.option("--summary", metavar="TEXT", help="What the revision is about.")
@pass_context
def revision_open_command(
    context: Context,
    municipality_code: str,
    plan_id: str,
    date: str,
    version: str | None,
    summary: str | None,
) -> None:
    """Open a revision of a plan: its structure and targets may change until it is adopted.

    A plan's structure, initiatives and targets change only inside its open revision (at most
    one per plan); yearly results stay editable without one.
    """
    with context.unit_of_work() as session:
        opened = open_revision(
            session,
            PlanContext(CLI_ACTOR, municipality_code),
            plan_id,
            date=date,
            version=version,
            summary=summary,
        )
    click.echo(f"opened revision {opened.version or opened.date} of {plan_id} ({opened.uid})")


@revision.command("adopt")
@plan_arguments
@pass_context
def revision_adopt_command(context: Context, municipality_code: str, plan_id: str) -> None:
    """Adopt the plan's open revision: it joins the plan's revision history.

    The changes made in it (one per initiative, new / modified / terminated, with a generated
    Japanese summary) join the plan's revision history (the package's `revisions`), the plan
    takes its version, and the plan as it stands is kept as the revision's snapshot. Prints the
    revision and its changes.
    """
    with context.unit_of_work() as session:
        adopted = adopt_revision(session, PlanContext(CLI_ACTOR, municipality_code), plan_id)
    _print_revision(adopted)


@revision.command("list")
@plan_arguments
@pass_context
def revision_list_command(context: Context, municipality_code: str, plan_id: str) -> None:
    """List a plan's revisions, oldest first, with the changes each lists.

    An open revision comes last; each revision is shown with its state, date, version, uid and
    summary, then its changes.
    """
    with context.unit_of_work() as session:
        revisions = plan_revisions(session, municipality_code, plan_id)
    if not revisions:
        click.echo(f"{plan_id} has no revisions yet (dxplan revision open)")
    for item in revisions:
        _print_revision(item)


COMMANDS = (revision,)
