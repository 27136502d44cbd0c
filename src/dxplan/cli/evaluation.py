"""dxplan check: the consistency check of a plan's published figures."""

from __future__ import annotations

import json

import click

from dxplan.cli.common import Context, pass_context, plan_arguments
from dxplan.evaluation.checks import plan_check


@click.command("check")
@plan_arguments
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON array of the findings, each with `figure`, `printed`, `computed`, "
    "`severity`, `explanation`.",
)
@pass_context
def check_command(context: Context, municipality_code: str, plan_id: str, as_json: bool) -> None:
    """Recompute a plan's published figures and list where they disagree; exit 1 on a mismatch.

    The consistency check recomputes every published figure of a plan (status counts, 進捗率,
    達成状況 counts and shares, 財政健全化効果額 totals per year, per 取組の視点 and overall,
    numbers of 事業) from its initiatives and from the other figures it depends on, and lists
    each finding with the printed value, the recomputed value and the arithmetic. A `mismatch`
    is a strict arithmetic disagreement (or a share truncated where the document rounds), a
    `warning` a printed figure that the transcribed items count differently. The explanations
    are in English; the 数値の検算 page and the summary document give the arithmetic in
    Japanese. The exit code is 1 when there is a mismatch.
    """
    with context.unit_of_work() as session:
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


COMMANDS = (check_command,)
