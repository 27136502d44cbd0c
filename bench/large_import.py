"""Benchmark: one large plan package (many initiatives) imported with `dxplan import`.

Builds a package of N initiatives from copies of 秦野市's, writes it to a file, imports it in a
child process (`python -m dxplan`, with this process's PYTHONPATH, so a work tree measures its
own code) on a fresh database and prints the file size, the time and the child's peak memory
(maximum resident set size), and their ratio. With `--replace` the package is imported first
and the measured import replaces it (every initiative matched, nothing changed). Not a test:
run it by hand.

    .venv/bin/python bench/large_import.py --initiatives 20000
    .venv/bin/python bench/large_import.py --initiatives 20000 --replace
    scripts/with-postgres sh -c \\
        '.venv/bin/python bench/large_import.py --url "$DXPLAN_DATABASE_URL"'
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from demo_packages import demo_package, grown

from dxplan import migrate
from dxplan.db import create_db_engine


def large_package(initiatives: int) -> dict[str, Any]:
    """秦野市's package with its initiatives copied (new codes) up to `initiatives`."""
    return grown(demo_package("hadano-ict-plan"), "hadano-ict-plan-large", initiatives)


def write_package(path: Path, initiatives: int, edited: bool = False) -> None:
    """Write the large package to `path` (run in a process of its own, see main); `edited`:
    one title in a hundred changed, the last initiative removed, a new one inserted second (so
    that every later position shifts)."""
    doc = large_package(initiatives)
    if edited:
        items = doc["initiatives"]
        for item in items[::100]:
            item["title"] += "（改）"
        items.pop()
        items.insert(1, {"code": "9-9-(9)", "section": items[0]["section"], "title": "新規"})
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")


def _built(path: Path, initiatives: int, edited: bool) -> None:
    # Built in a fresh process: a child started by this one may count this one's memory in its
    # peak (vfork shares it until exec), so this one never holds the package.
    writer = multiprocessing.get_context("spawn").Process(
        target=write_package, args=(path, initiatives, edited)
    )
    writer.start()
    writer.join()
    if writer.exitcode != 0:
        raise SystemExit(f"building the package failed ({writer.exitcode})")


def _measured(command: list[str]) -> tuple[float, float]:
    """Seconds taken and peak memory (MiB) of one child process running `command`."""
    started = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, command)
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=20000)
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument(
        "--replace", action="store_true", help="measure `import --replace` of the same package"
    )
    parser.add_argument(
        "--edited",
        action="store_true",
        help="with --replace: replace with an edited package (1 in 100 retitled, one removed, "
        "one inserted)",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.url or f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = create_db_engine(url)
    migrate.reset(engine, force=True)
    engine.dispose()
    path = folder / "large.json"
    _built(path, args.initiatives, edited=False)
    command = [sys.executable, "-m", "dxplan", "--database-url", url, "import", str(path)]
    if args.replace:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        command.append("--replace")
        if args.edited:
            _built(path, args.initiatives, edited=True)
    size_mib = path.stat().st_size / 2**20
    elapsed, peak_mib = _measured(command)

    print(f"database          {engine.dialect.name}")
    mode = "new plan" if not args.replace else "replace" + (" (edited)" if args.edited else "")
    print(f"mode              {mode}")
    print(f"initiatives       {args.initiatives}")
    print(f"package           {size_mib:.1f} MiB")
    print(f"import            {elapsed:.1f} s")
    print(f"peak memory       {peak_mib:.0f} MiB ({peak_mib / size_mib:.1f} x the package)")


if __name__ == "__main__":
    main()
