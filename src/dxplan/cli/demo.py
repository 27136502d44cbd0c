"""dxplan demo: dxplan's tables reset with the five demo plans and the demo users."""

from __future__ import annotations

import click

from dxplan import migrate
from dxplan.accounts.rules import role_name_ja
from dxplan.cli.common import CLI_ACTOR, Context, pass_context
from dxplan.cli.plans import import_documents, print_summaries
from dxplan.demo import demo_package_files
from dxplan.demo.users import DEMO_PASSWORD, add_demo_users
from dxplan.interchange.reading import parse_package_bytes
from dxplan.plans.queries import plan_summaries


def _announce_reset(survey: migrate.Survey, demo_plans: int) -> str:
    """What `dxplan demo` is about to do, said before it does it."""
    tables = len(migrate.owned_tables()) - len(migrate.RETIRED_TABLES)
    if survey.owned:
        action = f"dropping and recreating dxplan's {tables} tables"
        held = [
            f"{count} {one if count == 1 else many}"
            for count, one, many in (
                (survey.plans, "plan", "plans"),
                (survey.audit_entries, "audit entry", "audit entries"),
            )
            if count
        ]
        if held:
            action += f" (they hold {' and '.join(held)})"
    else:
        action = f"creating dxplan's {tables} tables"
    text = f"demo: {action} in the database at {survey.url}, then loading {demo_plans} demo plans"
    if survey.foreign:
        text += f"; other tables are left untouched: {', '.join(survey.foreign)}"
    return text


@click.command("demo")
@click.option(
    "--force",
    is_flag=True,
    help="Reset even if the database holds tables that are not dxplan's (they stay as they are).",
)
@pass_context
def demo_command(context: Context, force: bool) -> None:
    """Reset dxplan's tables and load the five demo plans, published, with the demo users.

    Creates or resets dxplan's tables, loads the plans of the five seed documents, published,
    adds one demo user per role in each municipality, then prints the plans and the users.

    It first says on stderr what it is about to do: the database (password hidden), that it
    drops and recreates dxplan's tables, and how many plans and audit entries they hold. It
    drops only dxplan's own tables (those of its models and `alembic_version`), never another
    application's. It refuses, and drops nothing, when the database also holds tables that are
    not dxplan's (the error names them) unless `--force` is given, which resets dxplan's tables
    and leaves the others and their rows as they are; when another application's table has a
    foreign key into dxplan's (even with `--force`); and always when `DXPLAN_ENVIRONMENT` is
    `production`.
    """
    files = demo_package_files()
    survey = migrate.prepare_reset(context.engine, force=force)
    click.echo(_announce_reset(survey, len(files)), err=True)
    migrate.reset(context.engine, force=force)
    documents = [
        (f"demo/{f.name}", parse_package_bytes(f.read_bytes(), f"demo/{f.name}")) for f in files
    ]
    with context.unit_of_work() as session:
        import_documents(session, documents, replace=False, publish=True)
    with context.unit_of_work() as session:
        users = add_demo_users(session, CLI_ACTOR)
    with context.unit_of_work() as session:
        summaries = plan_summaries(session)
    click.echo(f"demo database ready at {context.display_url()}")
    print_summaries(summaries)
    click.echo(f"demo users (password {DEMO_PASSWORD!r}; change it before real use):")
    for u in users:
        department = f"  {u.department}" if u.department else ""
        click.echo(f"  {u.login:<20} {u.municipality}  {role_name_ja(u.role)}{department}")


COMMANDS = (demo_command,)
