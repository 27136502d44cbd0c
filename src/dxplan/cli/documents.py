"""dxplan report: a plan's published documents as PDF or Excel."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from dxplan.cli.common import CLI_ACTOR, Context, pass_context, plan_arguments, write_file
from dxplan.documents.build import Format, build
from dxplan.documents.content import Kind


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


@click.command("report")
@plan_arguments
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
    help="PDF, or Excel (xlsx).",
)
@click.option(
    "--fy",
    type=int,
    metavar="YEAR",
    help="The fiscal year the document is cut at (default: the current one, or the plan's "
    "last year once its period is over; a year outside the plan's period is an error).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE",
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
    """Write one of a plan's published documents (PDF or Excel) for a fiscal year.

    The document (see "Published documents" in the README) is final when the year's reporting
    round is approved (locked), else marked 「案」 on every page. A progress bar on stderr
    follows long documents. A plan without what the document shows (no revisions for
    `revisions`, no published figures for `summary`) is an error.
    """
    bar = _ProgressBar(f"{plan_id} {kind}")
    try:
        with context.unit_of_work() as session:
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
    write_file(target, document.body)
    click.echo(f"wrote {target} ({len(document.body):,} bytes)", err=True)


COMMANDS = (report_command,)
