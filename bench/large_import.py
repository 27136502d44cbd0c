"""Benchmark: one large plan package (many initiatives) imported with `dxplan import`.

Builds a package of N initiatives from copies of 秦野市's, writes it to a file, imports it in a
child process on a fresh database and prints the file size, the time and the child's peak
memory (maximum resident set size), and their ratio. Not a test: run it by hand.

    .venv/bin/python bench/large_import.py --initiatives 20000
    scripts/with-postgres sh -c \\
        '.venv/bin/python bench/large_import.py --url "$DXPLAN_DATABASE_URL"'
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dxplan import migrate
from dxplan.db import create_db_engine
from dxplan.demo import demo_package_files


def large_package(initiatives: int) -> dict[str, Any]:
    """秦野市's package with its initiatives copied (new codes) up to `initiatives`."""
    source = next(f for f in demo_package_files() if f.name == "hadano-ict-plan.json")
    base: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    doc = copy.deepcopy(base)
    doc["plan"]["id"] = "hadano-ict-plan-large"
    items: list[dict[str, Any]] = []
    copy_number = 0
    while len(items) < initiatives:
        copy_number += 1
        for item in base["initiatives"]:
            if len(items) == initiatives:
                break
            clone = copy.deepcopy(item)
            clone["code"] = f"{item['code']}-{copy_number}"
            clone.pop("terminated", None)
            items.append(clone)
    doc["initiatives"] = items
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=20000)
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.url or f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = create_db_engine(url)
    migrate.reset(engine, force=True)
    engine.dispose()
    path = folder / "large.json"
    path.write_text(json.dumps(large_package(args.initiatives), ensure_ascii=False, indent=2))
    size_mib = path.stat().st_size / 2**20

    dxplan = Path(sys.executable).with_name("dxplan")
    started = time.perf_counter()
    subprocess.run([str(dxplan), "--database-url", url, "import", str(path)], check=True)
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"database          {engine.dialect.name}")
    print(f"initiatives       {args.initiatives}")
    print(f"package           {size_mib:.1f} MiB")
    print(f"import            {elapsed:.1f} s")
    print(f"peak memory       {peak_mib:.0f} MiB ({peak_mib / size_mib:.1f} x the package)")


if __name__ == "__main__":
    main()
