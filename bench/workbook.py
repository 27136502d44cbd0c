"""Benchmark: the update workbook (更新用Excel) of a large plan, out and back in.

Makes one plan of 秦野市's initiatives repeated (`--copies` times), exports its whole-plan workbook
for FY2023, fills in every 取組結果 and every 実績値, and imports it; prints the sizes and times
(and the SQL statements of each). Not a test: run it by hand.

    .venv/bin/python bench/workbook.py --copies 20
    scripts/with-postgres sh -c '.venv/bin/python bench/workbook.py --url "$DXPLAN_DATABASE_URL"'
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import event

from dxplan import migrate
from dxplan.accounts.context import Context
from dxplan.accounts.rules import Actor
from dxplan.db import create_db_engine, session_factory, unit_of_work
from dxplan.demo import demo_package_files
from dxplan.interchange.importer import import_package
from dxplan.workbooks.export import export_update_workbook
from dxplan.workbooks.importing import import_update_workbook

ACTOR = Actor.system_actor("bench")


def large_plan(copies: int) -> dict[str, Any]:
    """秦野市's plan with its initiatives repeated under new codes."""
    path = next(f for f in demo_package_files() if f.name == "hadano-ict-plan.json")
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    originals = doc["initiatives"]
    doc["initiatives"] = []
    for n in range(copies):
        for initiative in copy.deepcopy(originals):
            if n:
                initiative["code"] += f"-{n}"
                initiative.pop("also_listed_as", None)
                initiative.pop("terminated", None)
            doc["initiatives"].append(initiative)
    return doc


def fill(data: bytes) -> tuple[bytes, int]:
    """Every 取組結果 and 実績値 of the workbook filled in; how many cells."""
    book = load_workbook(io.BytesIO(data))
    cells = 0
    for name, column in (("取組結果", 6), ("評価指標", 9)):
        sheet = book[name]
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, column, str(row) if name == "評価指標" else f"結果 {row}")
            cells += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="times the plan is repeated")
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    engine = create_db_engine(url)
    migrate.reset(engine)
    sessions = session_factory(engine)
    doc = large_plan(args.copies)
    with unit_of_work(sessions) as session:
        import_package(session, doc, source="bench", actor=ACTOR)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    context = Context(ACTOR, doc["municipality"]["code"])

    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        data = export_update_workbook(session, context, doc["plan"]["id"], 2023)
    exported = time.perf_counter() - started
    export_statements = len(statements)
    print(
        f"initiatives {len(doc['initiatives'])}: export {exported:.2f} s, "
        f"{len(data) / 1024:.0f} KiB, {export_statements} SQL statements"
    )

    filled, cells = fill(data)
    statements.clear()
    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        report = import_update_workbook(
            session, context, doc["plan"]["id"], filled, source_name="bench.xlsx"
        )
    imported = time.perf_counter() - started
    print(
        f"import of {cells} filled cells: {imported:.2f} s, {report.changed_fields} fields of "
        f"{len(report.updates)} initiatives changed, {len(statements)} SQL statements"
    )


if __name__ == "__main__":
    main()
