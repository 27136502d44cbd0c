"""The dxplan command line: thin commands over the services and queries."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from dxplan import __version__, migrate
from dxplan.accounts.context import Context as PlanContext
from dxplan.accounts.rules import Actor, Role, role_name_ja
from dxplan.accounts.services import add_user, create_token, set_password
from dxplan.db import create_db_engine, session_factory, unit_of_work
from dxplan.demo import demo_package_files
from dxplan.demo.users import DEMO_PASSWORD, add_demo_users
from dxplan.documents.build import Format, build
from dxplan.documents.content import Kind
from dxplan.errors import DxplanError
from dxplan.evaluation.checks import plan_check
from dxplan.fiscal import fiscal_year_of, today_in_japan
from dxplan.interchange.errors import PackageError
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.interchange.reading import parse_package_bytes, read_package
from dxplan.plans.package.validation import package_schema
from dxplan.plans.queries import PlanSummary, plan_summaries
from dxplan.plans.services import set_publication
from dxplan.plans.writing.sync import ImportOutcome
from dxplan.reporting.daily import start_daily
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
from dxplan.revisions.queries import RevisionSummary, plan_revisions
from dxplan.revisions.services import adopt_revision, open_revision
from dxplan.settings import Settings, get_settings
from dxplan.workbooks.export import export_update_workbook
from dxplan.workbooks.importing import WorkbookError, import_update_workbook

CLI_ACTOR = Actor.system_actor("cli")


class Context:
    """What every command needs: the database, opened on first use."""

    def __init__(self, database_url: str | None) -> None:
        settings = get_settings()
        self.database_url = database_url or settings.resolved_database_url()
        self.echo_sql = settings.echo_sql
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_db_engine(self.database_url, echo=self.echo_sql)
        return self._engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        if self._sessions is None:
            self._sessions = session_factory(self.engine)
        with unit_of_work(self._sessions) as session:
            yield session

    def ensure_schema(self) -> None:
        """Refuse to work on a database that was never set up or is behind the code."""
        if migrate.current_revision(self.engine) != migrate.head_revision():
            raise DxplanError(
                f"the database at {self.display_url()} is not at the current schema "
                "(run `dxplan db upgrade`, or `dxplan demo` for the demo data)"
            )

    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


pass_context = click.make_pass_decorator(Context)


class UserError(click.ClickException):
    """Shown as one line on stderr, "error: ...", with exit code 1 and no traceback."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


def _one_line(text: str) -> str:
    return " ".join(text.split())


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
            raise UserError(f"database: {_one_line(str(reason))}") from exc
        except OSError as exc:
            if os.environ.get("DXPLAN_DEBUG"):
                raise
            raise UserError(_one_line(str(exc))) from exc


@click.group(cls=DxplanGroup)
@click.version_option(__version__, prog_name="dxplan")
@click.option(
    "--database-url",
    metavar="URL",
    help="Database to use (default: $DXPLAN_DATABASE_URL, else a SQLite file in ./data).",
)
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """dxplan: a municipality's DX / ICT plan as data, through the yearly PDCA cycle."""
    context = Context(database_url)
    ctx.obj = context
    ctx.call_on_close(context.close)


@cli.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@pass_context
def db_upgrade(context: Context) -> None:
    """Create the database or bring its schema up to date."""
    migrate.upgrade(context.engine)
    click.echo(f"database at {context.display_url()} is at revision {migrate.head_revision()}")


def _import_documents(
    context: Context, documents: Sequence[tuple[str, Any]], *, replace: bool, publish: bool
) -> list[ImportOutcome]:
    """Import parsed documents in one transaction; all or nothing."""
    imported: list[ImportOutcome] = []
    with (
        context.transaction() as session,
        click.progressbar(
            documents,
            label="Importing",
            file=sys.stderr,
            hidden=not sys.stderr.isatty(),
            item_show_func=lambda d: d and d[0],
        ) as bar,
    ):
        for source, doc in bar:
            imported.append(
                import_package(
                    session, doc, source=source, actor=CLI_ACTOR, replace=replace, publish=publish
                )
            )
    return imported


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Replace plans that are already in the database.")
@click.option("--publish", is_flag=True, help="Publish the plans (new plans are drafts).")
@pass_context
def import_command(context: Context, paths: tuple[Path, ...], replace: bool, publish: bool) -> None:
    """Import plan packages (JSON). Either every package is imported, or none is."""
    context.ensure_schema()
    documents = [(str(path), read_package(path)) for path in paths]
    for outcome in _import_documents(context, documents, replace=replace, publish=publish):
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


@cli.command("export")
@click.argument("municipality_code")
@click.argument("plan_id")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to this file, not stdout."
)
@click.option("--no-ids", is_flag=True, help="Leave out the objects' stable ids (uid fields).")
@pass_context
def export_command(
    context: Context, municipality_code: str, plan_id: str, output: Path | None, no_ids: bool
) -> None:
    """Export a plan as a plan package (JSON), with the stable id of every object."""
    context.ensure_schema()
    with context.transaction() as session:
        doc = export_package(session, municipality_code, plan_id, ids=not no_ids)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {output}", err=True)


class _ProgressBar:
    """A click progress bar on stderr, made when the total is first known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command("report")
@click.argument("municipality_code")
@click.argument("plan_id")
@click.option(
    "--kind",
    required=True,
    type=click.Choice([k.value for k in Kind]),
    help="sheets (取組シート), progress (取組結果), summary (総括), revisions (改訂履歴).",
)
@click.option(
    "--format",
    "fmt",
    default="pdf",
    show_default=True,
    type=click.Choice([f.value for f in Format]),
)
@click.option("--fy", type=int, metavar="YEAR", help="The fiscal year (default: the current one).")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (default: PLAN_ID-KIND-FY.pdf or .xlsx here).",
)
@pass_context
def report_command(
    context: Context,
    municipality_code: str,
    plan_id: str,
    kind: str,
    fmt: str,
    fy: int | None,
    output: Path | None,
) -> None:
    """Write a plan's published document (PDF or Excel) for a fiscal year: final when the year's
    reporting round is approved (locked), else marked 「案」 on every page."""
    context.ensure_schema()
    bar = _ProgressBar(f"{plan_id} {kind}")
    try:
        with context.transaction() as session:
            document = build(
                session,
                municipality_code,
                plan_id,
                Kind(kind),
                Format(fmt),
                fy=fy,
                reader=CLI_ACTOR,
                progress=bar,
            )
    finally:
        bar.close()
    target = output or Path(document.filename)
    try:
        target.write_bytes(document.body)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {target} ({len(document.body):,} bytes)", err=True)


@cli.command("check")
@click.argument("municipality_code")
@click.argument("plan_id")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the findings.")
@pass_context
def check_command(context: Context, municipality_code: str, plan_id: str, as_json: bool) -> None:
    """Recompute a plan's published figures and list where they disagree; exit 1 on a mismatch."""
    context.ensure_schema()
    with context.transaction() as session:
        report = plan_check(session, municipality_code, plan_id)
    if as_json:
        keys = ("figure", "printed", "computed", "severity", "explanation")  # the documented keys
        findings = [{key: getattr(f, key) for key in keys} for f in report.findings]
        click.echo(json.dumps(findings, ensure_ascii=False, indent=2))
    else:
        for f in report.findings:
            click.echo(f"{f.severity}: {f.figure}: printed {f.printed}, computed {f.computed}")
            click.echo(f"  {f.explanation}")
        click.echo(
            f"{report.checked} figures compared: {report.mismatches} mismatches, "
            f"{len(report.findings) - report.mismatches} warnings",
            err=True,
        )
    if report.mismatches:
        raise SystemExit(1)


def _print_summaries(summaries: list[PlanSummary]) -> None:
    for s in summaries:
        click.echo(
            f"{s.municipality_code} {s.municipality_name}  {s.plan_id}  {s.kind}  "
            f"FY{s.start_fy}-{s.end_fy}  sections {s.sections}  initiatives {s.initiatives}  "
            f"indicators {s.indicators}  {'published' if s.public else 'draft'}  {s.title}"
        )


def _set_publication(context: Context, municipality_code: str, plan_id: str, public: bool) -> None:
    context.ensure_schema()
    with context.transaction() as session:
        changed = set_publication(
            session, PlanContext(CLI_ACTOR, municipality_code), plan_id, public=public
        )
    state = "published" if public else "a draft"
    already = "" if changed else " (it already was)"
    click.echo(f"{municipality_code} {plan_id} is {state}{already}")


@cli.command("publish")
@click.argument("municipality_code")
@click.argument("plan_id")
@pass_context
def publish_command(context: Context, municipality_code: str, plan_id: str) -> None:
    """Publish a plan: anyone may read it (the public portal, the API without a token)."""
    _set_publication(context, municipality_code, plan_id, public=True)


@cli.command("unpublish")
@click.argument("municipality_code")
@click.argument("plan_id")
@pass_context
def unpublish_command(context: Context, municipality_code: str, plan_id: str) -> None:
    """Take a plan back to a draft: only its municipality's users may read it."""
    _set_publication(context, municipality_code, plan_id, public=False)


@cli.group()
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
@click.argument("municipality_code")
@click.argument("plan_id")
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
    """Open a revision of a plan: its structure and targets may change until it is adopted."""
    context.ensure_schema()
    with context.transaction() as session:
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
@click.argument("municipality_code")
@click.argument("plan_id")
@pass_context
def revision_adopt_command(context: Context, municipality_code: str, plan_id: str) -> None:
    """Adopt the plan's open revision: it joins the plan's revision history."""
    context.ensure_schema()
    with context.transaction() as session:
        adopted = adopt_revision(session, PlanContext(CLI_ACTOR, municipality_code), plan_id)
    _print_revision(adopted)


@revision.command("list")
@click.argument("municipality_code")
@click.argument("plan_id")
@pass_context
def revision_list_command(context: Context, municipality_code: str, plan_id: str) -> None:
    """List a plan's revisions, oldest first, with the changes each lists."""
    context.ensure_schema()
    with context.transaction() as session:
        revisions = plan_revisions(session, municipality_code, plan_id)
    if not revisions:
        click.echo(f"{plan_id} has no revisions yet (dxplan revision open)")
    for item in revisions:
        _print_revision(item)


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


@cli.command("demo")
@click.option(
    "--force",
    is_flag=True,
    help="Reset even if the database holds tables that are not dxplan's (they stay as they are).",
)
@pass_context
def demo_command(context: Context, force: bool) -> None:
    """Create or reset dxplan's tables with the plans of the five seed documents loaded."""
    files = demo_package_files()
    survey = migrate.prepare_reset(context.engine, force=force)
    click.echo(_announce_reset(survey, len(files)), err=True)
    migrate.reset(context.engine, force=force)
    documents = [
        (f"demo/{f.name}", parse_package_bytes(f.read_bytes(), f"demo/{f.name}")) for f in files
    ]
    _import_documents(context, documents, replace=False, publish=True)
    with context.transaction() as session:
        users = add_demo_users(session, CLI_ACTOR)
    with context.transaction() as session:
        summaries = plan_summaries(session)
    click.echo(f"demo database ready at {context.display_url()}")
    _print_summaries(summaries)
    click.echo(f"demo users (password {DEMO_PASSWORD!r}; change it before real use):")
    for u in users:
        department = f"  {u.department}" if u.department else ""
        click.echo(f"  {u.login:<20} {u.municipality}  {role_name_ja(u.role)}{department}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@pass_context
def serve_command(context: Context, host: str, port: int) -> None:
    """Serve the web application (pages and the REST API)."""
    import uvicorn

    from dxplan.web.app import create_app

    context.ensure_schema()
    settings = get_settings()
    app = create_app(settings, engine=context.engine)
    if settings.remind_daily_at:
        at = time.fromisoformat(settings.remind_daily_at)
        start_daily(at, lambda today: run_reminders(context, settings, today))
        click.echo(f"reminders go out every day at {settings.remind_daily_at} (JST)", err=True)
    click.echo(f"dxplan is serving at http://{host}:{port}/ (Ctrl+C stops it)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)


@cli.group()
def user() -> None:
    """Manage the users of a municipality."""


def _read_password() -> str:
    """The password: prompted (twice) on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@user.command("add")
@click.argument("login")
@click.option("--municipality", "municipality_code", required=True, metavar="CODE")
@click.option(
    "--role",
    "roles",
    required=True,
    multiple=True,
    type=click.Choice([role.value for role in Role]),
    help="A role in the municipality (repeat for several).",
)
@click.option(
    "--department",
    "departments",
    multiple=True,
    metavar="NAME",
    help="A department a department_editor is bound to (repeat for several).",
)
@click.option("--email", default=None, metavar="ADDRESS", help="Where reminders go.")
@pass_context
def user_add_command(
    context: Context,
    login: str,
    municipality_code: str,
    roles: tuple[str, ...],
    departments: tuple[str, ...],
    email: str | None,
) -> None:
    """Add a user; the password is read from standard input, or prompted on a terminal."""
    context.ensure_schema()
    password = _read_password()
    with context.transaction() as session:
        add_user(
            session,
            CLI_ACTOR,
            login=login,
            municipality_code=municipality_code,
            password=password,
            roles=[Role(role) for role in roles],
            department_names=departments,
            email=email,
        )
    click.echo(f"added {login} ({', '.join(roles)}) to {municipality_code}")


@user.command("password")
@click.argument("login")
@pass_context
def user_password_command(context: Context, login: str) -> None:
    """Set a user's password (read from standard input, or prompted on a terminal)."""
    password = _read_password()
    with context.transaction() as session:
        set_password(session, CLI_ACTOR, login, password)
    click.echo(f"password of {login} changed")


@cli.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.argument("login")
@pass_context
def token_create_command(context: Context, login: str) -> None:
    """Create a bearer token for the API and print it (it is stored hashed: copy it now)."""
    context.ensure_schema()
    with context.transaction() as session:
        click.echo(create_token(session, CLI_ACTOR, login))


@cli.group()
def workbook() -> None:
    """The update workbook (更新用Excel): a fiscal year's yearly fields out to Excel and back."""


@workbook.command("export")
@click.argument("municipality_code")
@click.argument("plan_id")
@click.option("--fy", type=int, help="The fiscal year (default: the current one in Japan).")
@click.option("--department", metavar="NAME", help="Only this department's initiatives.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
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
    """Write the update workbook of a plan (or one department) for a fiscal year."""
    context.ensure_schema()
    year = fy if fy is not None else fiscal_year_of(today_in_japan())
    with context.transaction() as session:
        data = export_update_workbook(
            session, PlanContext(CLI_ACTOR, municipality_code), plan_id, year, department
        )
    if output is None:
        output = Path(f"{plan_id}-{year}{'-' + department if department else ''}.xlsx")
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {output}", err=True)


@workbook.command("import")
@click.argument("municipality_code")
@click.argument("plan_id")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why a year whose reporting round is approved (locked) is corrected; needed then.",
)
@pass_context
def workbook_import_command(
    context: Context, municipality_code: str, plan_id: str, path: Path, reason: str | None
) -> None:
    """Import a filled-in update workbook: every cell is checked, all or nothing; exit 1 and one
    line per problem ("sheet!cell: found …, expected …") when anything is wrong."""
    context.ensure_schema()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        with context.transaction() as session:
            report = import_update_workbook(
                session,
                PlanContext(CLI_ACTOR, municipality_code),
                plan_id,
                data,
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


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the plan package format (dxplan-package/1)."""
    click.echo(json.dumps(package_schema(), ensure_ascii=False, indent=2))


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_context
def list_command(context: Context, as_json: bool) -> None:
    """List municipalities and their plans with counts."""
    context.ensure_schema()
    with context.transaction() as session:
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
    _print_summaries(summaries)


# --- reporting rounds and reminders ----------------------------------------------------------


@cli.group("round")
def round_group() -> None:
    """Run a reporting round (実績報告): open, follow, decide on reports, approve."""


def _fy_option(function: Any) -> Any:
    return click.option("--fy", "fiscal_year", required=True, type=int, help="The fiscal year.")(
        function
    )


@round_group.command("open")
@click.argument("municipality_code")
@click.argument("plan_id")
@_fy_option
@click.option(
    "--due", required=True, type=click.DateTime(["%Y-%m-%d"]), help="The due date (YYYY-MM-DD)."
)
@pass_context
def round_open_command(
    context: Context, municipality_code: str, plan_id: str, fiscal_year: int, due: datetime
) -> None:
    """Open the plan's reporting round of a fiscal year, due on a date."""
    context.ensure_schema()
    with context.transaction() as session:
        opened = open_round(
            session, PlanContext(CLI_ACTOR, municipality_code), plan_id, fiscal_year, due.date()
        )
        departments = len(opened.submissions)
    click.echo(
        f"opened the {fiscal_year} round of {plan_id}, due {due.date().isoformat()}, "
        f"{departments} departments"
    )


@round_group.command("status")
@click.argument("municipality_code")
@click.argument("plan_id")
@_fy_option
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="As of (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the dashboard as JSON.")
@pass_context
def round_status_command(
    context: Context,
    municipality_code: str,
    plan_id: str,
    fiscal_year: int,
    on: datetime | None,
    as_json: bool,
) -> None:
    """Show a round: each department's state, overdue reports, missing actuals, disagreements."""
    context.ensure_schema()
    today = on.date() if on else today_in_japan()
    with context.transaction() as session:
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
        comment = f"  ({_one_line(row.comment)})" if row.comment else ""
        click.echo(f"  {row.state.value:<13} {row.name}  missing {len(row.missing)}{late}{comment}")
    click.echo(f"indicators without an actual: {len(board.without_actual)}")
    for item in board.disagreements:
        click.echo(f"disagreement  {item.initiative_code}  {item.explanation}")
    for correction in board.corrections:
        click.echo(f"correction  {correction.target_key}  {correction.reason}")


def _decide(action: str) -> Any:
    @round_group.command(action)
    @click.argument("municipality_code")
    @click.argument("plan_id")
    @_fy_option
    @click.option("--department", required=True, metavar="NAME", help="The department (課).")
    @click.option("--comment", metavar="TEXT", help="Why the report is returned (return).")
    @pass_context
    def command(
        context: Context,
        municipality_code: str,
        plan_id: str,
        fiscal_year: int,
        department: str,
        comment: str | None,
    ) -> None:
        context.ensure_schema()
        acting = PlanContext(CLI_ACTOR, municipality_code)
        with context.transaction() as session:
            if action == "submit":
                done = submit_report(session, acting, plan_id, fiscal_year, department)
            elif action == "accept":
                done = accept_report(session, acting, plan_id, fiscal_year, department)
            else:
                done = return_report(
                    session, acting, plan_id, fiscal_year, department, comment or ""
                )
        click.echo(f"{department}: {done.state.value}")

    command.__doc__ = {
        "submit": "Submit a department's report (as the DX division would for it).",
        "return": "Return a department's report with a comment (--comment).",
        "accept": "Accept a department's submitted report.",
    }[action]
    return command


for _action in ("submit", "return", "accept"):
    _decide(_action)


@round_group.command("approve")
@click.argument("municipality_code")
@click.argument("plan_id")
@_fy_option
@pass_context
def round_approve_command(
    context: Context, municipality_code: str, plan_id: str, fiscal_year: int
) -> None:
    """Approve a round whose reports are all accepted: the fiscal year is locked."""
    context.ensure_schema()
    with context.transaction() as session:
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
    config = smtp_config(settings)
    schedule = parse_schedule(settings.remind_before, settings.remind_overdue_every)
    with context.transaction() as session:
        return send_reminders(
            session,
            CLI_ACTOR,
            config,
            today=today,
            schedule=schedule,
            base_url=settings.base_url.rstrip("/"),
        )


@cli.command("remind")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="As of (default: today).")
@pass_context
def remind_command(context: Context, on: datetime | None) -> None:
    """E-mail the reminders due on a day for every open round (each once)."""
    context.ensure_schema()
    today = on.date() if on else today_in_japan()
    sent = run_reminders(context, get_settings(), today)
    for item in sent:
        outcome = "sent" if item.error is None else f"failed: {item.error}"
        click.echo(f"{item.recipient}  {item.subject}  {outcome}")
    failed = sum(1 for item in sent if item.error is not None)
    click.echo(f"{len(sent) - failed} reminders sent, {failed} failed ({today.isoformat()})")
    if failed:
        raise UserError(f"{failed} reminders could not be sent (see the e-mail log)")


def main() -> None:
    """Entry point of the dxplan command."""
    cli(prog_name="dxplan")
