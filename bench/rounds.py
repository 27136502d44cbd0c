"""Benchmark: a reporting round's dashboard and the consistency check.

For seed 000's plan (平塚市 hiratsuka-dx-action-plan-results, 44 initiatives) and for a
synthetic plan of N initiatives (seed 000's copied with new codes, as bench/large_import.py does
with 秦野市's).

Loads each plan into a fresh database, opens its FY2023 round, and prints the median time of
computing the dashboard (`reporting.queries.round_dashboard`) over a few runs and the number
of SQL statements one takes, and the same for the consistency check (`evaluation.checks.plan_check`,
as `dxplan check` and the 数値の検算 page run it; the synthetic plan keeps seed 000's printed
figures, which then disagree with its items: the check has as much to do). Not a test: run it by
hand.

    .venv/bin/python bench/rounds.py
    .venv/bin/python bench/rounds.py --initiatives 2000
    scripts/with-postgres sh -c '.venv/bin/python bench/rounds.py --url "$DXPLAN_DATABASE_URL"'
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from demo_packages import SEED_000, seed_package, synthetic_package
from sqlalchemy import event
from sqlalchemy.orm import Session

from dxplan import migrate
from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor
from dxplan.db import create_db_engine, session_factory, unit_of_work
from dxplan.evaluation.checks import plan_check
from dxplan.interchange.importer import import_package
from dxplan.reporting.queries import round_dashboard
from dxplan.reporting.services import open_round

ACTOR = Actor.system_actor("bench")
FY = 2023
DUE = datetime.date(2024, 5, 31)


def _timed(sessions: Any, runs: int, work: Callable[[Session], object]) -> float:
    """The median seconds of `work` over `runs` runs, each in a new session."""
    times = []
    for _ in range(runs):
        with sessions() as session:
            start = time.perf_counter()
            work(session)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(url: str, doc: dict[str, Any], runs: int) -> tuple[float, int, int, float, int]:
    """(median seconds, SQL statements of one run, departments) of the FY2023 dashboard, then
    (median seconds, findings) of the consistency check."""
    engine = create_db_engine(url)
    try:
        migrate.reset(engine, force=True)
        sessions = session_factory(engine)
        code, plan_id = doc["municipality"]["code"], doc["plan"]["id"]
        with unit_of_work(sessions) as session:
            import_package(session, doc, source="bench", actor=ACTOR)
            open_round(session, Context(ACTOR, code), plan_id, FY, DUE)
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        with sessions() as session:
            board = round_dashboard(session, ACTOR, code, plan_id, FY, today=DUE)
        event.remove(engine, "before_cursor_execute", count)
        dashboard = _timed(
            sessions, runs, lambda s: round_dashboard(s, ACTOR, code, plan_id, FY, today=DUE)
        )
        check = _timed(sessions, runs, lambda s: plan_check(s, code, plan_id))
        with sessions() as session:
            findings = len(plan_check(session, code, plan_id).findings)
        return dashboard, len(statements), len(board.departments), check, findings
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="database URL (default: a SQLite file in a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        for label, doc in (
            (f"seed 000 ({SEED_000})", seed_package()),
            (f"synthetic ({args.initiatives})", synthetic_package(args.initiatives)),
        ):
            seconds, statements, departments, check, findings = measure(url, doc, args.runs)
            print(
                f"{label:<55} initiatives {len(doc['initiatives']):>5}  "
                f"departments {departments:>3}  dashboard {seconds * 1000:8.1f} ms  "
                f"SQL statements {statements}  consistency check {check * 1000:8.1f} ms  "
                f"findings {findings}"
            )


if __name__ == "__main__":
    main()
