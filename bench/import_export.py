"""Benchmark: import and export of plan packages, as many municipalities would load them.

Imports the demo packages under N synthetic municipalities (valid 全国地方公共団体コード), then
exports every plan, and prints the figures. Not a test: run it by hand.

    .venv/bin/python bench/import_export.py --copies 20
    scripts/with-postgres sh -c \
        '.venv/bin/python bench/import_export.py --url "$DXPLAN_DATABASE_URL"'
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from dxplan import migrate
from dxplan.accounts.rules import Actor
from dxplan.db import create_db_engine, session_factory, unit_of_work
from dxplan.demo import demo_package_files
from dxplan.interchange.exporter import export_package
from dxplan.interchange.importer import import_package
from dxplan.tenancy.rules import check_digit


def synthetic_codes(count: int) -> list[str]:
    """Valid codes 131008, 131016, … (東京都's range; past a point they name no real place)."""
    firsts = [f"{13100 + i:05d}" for i in range(count)]
    return [first + str(check_digit(first)) for first in firsts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="synthetic municipalities")
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    engine = create_db_engine(url)
    migrate.reset(engine)
    sessions = session_factory(engine)
    packages = [json.loads(f.read_text(encoding="utf-8")) for f in demo_package_files()]
    initiatives = sum(len(p["initiatives"]) for p in packages)

    started = time.perf_counter()
    plans: list[tuple[str, str]] = []
    for code in synthetic_codes(args.copies):
        with unit_of_work(sessions) as session:
            for package in packages:
                doc: dict[str, Any] = copy.deepcopy(package)
                doc["municipality"] = {"code": code, "name": f"市{code}", "prefecture": "東京都"}
                import_package(session, doc, source="bench", actor=Actor.system_actor("bench"))
                plans.append((code, doc["plan"]["id"]))
    imported = time.perf_counter() - started

    started = time.perf_counter()
    for code, plan_id in plans:
        with unit_of_work(sessions) as session:
            export_package(session, code, plan_id)
    exported = time.perf_counter() - started

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database          {engine.dialect.name}")
    print(f"plans             {len(plans)} ({args.copies} municipalities x {len(packages)})")
    print(f"initiatives       {initiatives * args.copies}")
    print(f"import            {imported:.2f} s ({imported / len(plans) * 1000:.0f} ms per plan)")
    print(f"export            {exported:.2f} s ({exported / len(plans) * 1000:.0f} ms per plan)")
    print(f"peak memory       {peak_mib:.0f} MiB")
    engine.dispose()


if __name__ == "__main__":
    main()
