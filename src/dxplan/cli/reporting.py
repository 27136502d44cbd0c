"""dxplan round and dxplan remind: the reporting rounds (実績報告) and their reminders."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import click

from dxplan.accounts.context import Context as PlanContext
from dxplan.cli.common import (
    CLI_ACTOR,
    Context,
    UserError,
    one_line,
    pass_context,
    plan_arguments,
)
from dxplan.errors import DxplanError
from dxplan.fiscal import today_in_japan
from dxplan.reporting.mail import SmtpConfig
from dxplan.reporting.queries import round_dashboard
from dxplan.reporting.reminders import SentEmail, send_reminders
from dxplan.reporting.rules import SubmissionState, parse_schedule
from dxplan.reporting.services import (
    accept_report,
    approve_round,
    open_round,
    return_report,
    submit_report,
)
from dxplan.settings import Settings, get_settings

_DAY = click.DateTime(["%Y-%m-%d"])


@click.group("round")
def round_group() -> None:
    """Run a reporting round (実績報告): open, follow, decide on reports, approve."""


def _fy_option(function: Any) -> Any:
    return click.option(
        "--fy", "fiscal_year", required=True, type=int, metavar="YEAR", help="The fiscal year."
    )(function)


def _on_option(function: Any) -> Any:
    return click.option(
        "--date", "on", type=_DAY, metavar="YYYY-MM-DD", help="As of (default: today in Japan)."
    )(function)


@round_group.command("open")
@plan_arguments
@_fy_option
@click.option(
    "--due", required=True, type=_DAY, metavar="YYYY-MM-DD", help="The due date (YYYY-MM-DD)."
)
@pass_context
def round_open_command(
    context: Context, municipality_code: str, plan_id: str, fiscal_year: int, due: datetime
) -> None:
    """Open the plan's reporting round of a fiscal year, due on a date.

    The fiscal year is one of the plan's period. Every department that leads or implements an
    initiative reporting that year gets a submission, not yet submitted.
    """
    with context.unit_of_work() as session:
        opened = open_round(
            session, PlanContext(CLI_ACTOR, municipality_code), plan_id, fiscal_year, due.date()
        )
        departments = len(opened.submissions)
    click.echo(
        f"opened the {fiscal_year} round of {plan_id}, due {due.date().isoformat()}, "
        f"{departments} departments"
    )


@round_group.command("status")
@plan_arguments
@_fy_option
@_on_option
@click.option("--json", "as_json", is_flag=True, help="Print the API's round status (JSON).")
@pass_context
def round_status_command(
    context: Context,
    municipality_code: str,
    plan_id: str,
    fiscal_year: int,
    on: datetime | None,
    as_json: bool,
) -> None:
    """Show a round: each department's state, overdue reports, missing actuals, disagreements.

    The round's dashboard as of a day: each department's state (`not_submitted`, `submitted`,
    `returned` with the comment, `accepted`), what it still has to report, overdue reports,
    indicators without an actual, initiatives whose statuses and indicators disagree, and
    corrections of the locked year.
    """
    today = on.date() if on else today_in_japan()
    with context.unit_of_work() as session:
        board = round_dashboard(
            session, CLI_ACTOR, municipality_code, plan_id, fiscal_year, today=today
        )
    if as_json:
        click.echo(json.dumps(board.as_json(), ensure_ascii=False, indent=2))
        return
    counts = "  ".join(f"{s.value} {board.count(s)}" for s in SubmissionState)
    click.echo(
        f"{plan_id} FY{fiscal_year}  {board.state.value}  due {board.due_date.isoformat()}  "
        f"{counts}"
    )
    for row in board.departments:
        late = "  OVERDUE" if row.overdue else ""
        comment = f"  ({one_line(row.comment)})" if row.comment else ""
        click.echo(f"  {row.state.value:<13} {row.name}  missing {len(row.missing)}{late}{comment}")
    click.echo(f"indicators without an actual: {len(board.without_actual)}")
    for item in board.disagreements:
        click.echo(f"disagreement  {item.initiative_code}  {item.explanation}")
    for correction in board.corrections:
        click.echo(f"correction  {correction.target_key}  {correction.reason}")


def _decision_options(*, returning: bool) -> Callable[[Callable[..., None]], Any]:
    """The options of submit, return and accept (all three take --comment; return needs it)."""

    def decorate(function: Callable[..., None]) -> Any:
        function = pass_context(function)
        function = click.option(
            "--comment",
            metavar="TEXT",
            hidden=not returning,  # accepted and ignored by submit and accept
            help="Why the report is returned: what the department should change (needed).",
        )(function)
        function = click.option(
            "--department", required=True, metavar="NAME", help="The department (課)."
        )(function)
        return plan_arguments(_fy_option(function))

    return decorate


@round_group.command("submit")
@_decision_options(returning=False)
def round_submit_command(
    context: Context,
    municipality_code: str,
    plan_id: str,
    fiscal_year: int,
    department: str,
    comment: str | None,
) -> None:
    """Submit a department's report (as the DX division may for it)."""
    with context.unit_of_work() as session:
        acting = PlanContext(CLI_ACTOR, municipality_code)
        done = submit_report(session, acting, plan_id, fiscal_year, department)
    click.echo(f"{department}: {done.state.value}")


@round_group.command("return")
@_decision_options(returning=True)
def round_return_command(
    context: Context,
    municipality_code: str,
    plan_id: str,
    fiscal_year: int,
    department: str,
    comment: str | None,
) -> None:
    """Return a submitted or accepted report with a comment.

    The department's editors may change the year again, and submit it anew.
    """
    with context.unit_of_work() as session:
        acting = PlanContext(CLI_ACTOR, municipality_code)
        done = return_report(session, acting, plan_id, fiscal_year, department, comment or "")
    click.echo(f"{department}: {done.state.value}")


@round_group.command("accept")
@_decision_options(returning=False)
def round_accept_command(
    context: Context,
    municipality_code: str,
    plan_id: str,
    fiscal_year: int,
    department: str,
    comment: str | None,
) -> None:
    """Accept a department's submitted report."""
    with context.unit_of_work() as session:
        acting = PlanContext(CLI_ACTOR, municipality_code)
        done = accept_report(session, acting, plan_id, fiscal_year, department)
    click.echo(f"{department}: {done.state.value}")


@round_group.command("approve")
@plan_arguments
@_fy_option
@pass_context
def round_approve_command(
    context: Context, municipality_code: str, plan_id: str, fiscal_year: int
) -> None:
    """Approve a round whose reports are all accepted: the fiscal year is locked.

    This is the committee's decision; the plan as it stands is kept as the round's snapshot.
    """
    with context.unit_of_work() as session:
        approve_round(session, PlanContext(CLI_ACTOR, municipality_code), plan_id, fiscal_year)
    click.echo(f"approved the {fiscal_year} round of {plan_id}: {fiscal_year} is locked")


def smtp_config(settings: Settings) -> SmtpConfig:
    """The SMTP server of the settings (DXPLAN_SMTP_*), or an error when none is set."""
    if not settings.smtp_host:
        raise DxplanError("no SMTP server: set DXPLAN_SMTP_HOST (and _PORT, _FROM) to send e-mail")
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        user=settings.smtp_user,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
    )


def run_reminders(context: Context, settings: Settings, today: date) -> list[SentEmail]:
    """Send the reminders due on `today` in one transaction (the CLI and the daily job)."""
    with context.unit_of_work() as session:
        config = smtp_config(settings)
        schedule = parse_schedule(settings.remind_before, settings.remind_overdue_every)
        return send_reminders(
            session,
            CLI_ACTOR,
            config,
            today=today,
            schedule=schedule,
            base_url=settings.base_url.rstrip("/"),
        )


@click.command("remind")
@_on_option
@pass_context
def remind_command(context: Context, on: datetime | None) -> None:
    """E-mail the reminders due on a day for every open round (each once); exit 1 on a failure.

    The e-mail goes over the SMTP server of `DXPLAN_SMTP_HOST`; each reminder is sent once per
    address (see "Reporting rounds" in the README). Prints each reminder with its recipient and
    outcome; the exit code is 1 when one could not be sent.
    """
    today = on.date() if on else today_in_japan()
    sent = run_reminders(context, get_settings(), today)
    for item in sent:
        outcome = "sent" if item.error is None else f"failed: {item.error}"
        click.echo(f"{item.recipient}  {item.subject}  {outcome}")
    failed = sum(1 for item in sent if item.error is not None)
    click.echo(f"{len(sent) - failed} reminders sent, {failed} failed ({today.isoformat()})")
    if failed:
        raise UserError(f"{failed} reminders could not be sent (see the e-mail log)")


COMMANDS = (round_group, remind_command)
