"""Benchmark: the published documents (sheets, progress, summary, revisions) as PDF and xlsx, for
seed 000's plan (44 initiatives) and for a synthetic plan of 500 made by copying its initiatives
with new codes.

Loads both plans into a temporary SQLite file, then builds each document in a child process of
its own (so that each peak memory is its own) and prints the time, the peak memory (maximum
resident set size of the child; the resident size before the build, after loading Python,
WeasyPrint and openpyxl, beside it) and the size of the result. Not a test: run it by hand.

    .venv/bin/python bench/documents.py
    .venv/bin/python bench/documents.py --initiatives 1000 --kinds sheets,progress
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from demo_packages import seed_package, synthetic_package

from dxplan import migrate
from dxplan.accounts.rules import Actor
from dxplan.db import create_db_engine, session_factory
from dxplan.documents.build import Format, build
from dxplan.documents.content import Kind, available_kinds
from dxplan.interchange.importer import import_package

CODE = "142034"
BENCH = Actor.system_actor("bench")


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(url: str, plan_id: str, kind: str, fmt: str, out: Any) -> None:
    """In a child process: build one document and send back the figures."""
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    before = _rss_mib()
    start = time.perf_counter()
    with sessions() as session:
        document = build(session, CODE, plan_id, Kind(kind), Format(fmt), reader=BENCH)
    seconds = time.perf_counter() - start
    out.send((seconds, _rss_mib(), before, len(document.body)))
    engine.dispose()


def measure(url: str, plan_id: str, kind: Kind, fmt: Format) -> tuple[float, float, float, int]:
    """Time, peak RSS, RSS before the build and size of one document, built in a fresh child."""
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_measure, args=(url, plan_id, kind.value, fmt.value, send)
    )
    child.start()
    figures: tuple[float, float, float, int] = receive.recv()
    child.join()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=500)
    parser.add_argument("--kinds", default=",".join(k.value for k in Kind))
    args = parser.parse_args()
    wanted = {Kind(k) for k in args.kinds.split(",")}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        engine = create_db_engine(url)
        migrate.upgrade(engine)
        plans = [seed_package(), synthetic_package(args.initiatives)]
        with session_factory(engine).begin() as session:
            for doc in plans:
                import_package(session, doc, source="bench", actor=BENCH, publish=True)
        engine.dispose()
        print(
            f"{'plan':<44} {'kind':<10} {'fmt':<5} {'seconds':>8} {'peak MiB':>9} "
            f"{'(before)':>9} {'KiB':>8}"
        )
        for doc in plans:
            plan_id, count = doc["plan"]["id"], len(doc["initiatives"])
            for kind in available_kinds(doc):
                if kind not in wanted:
                    continue
                for fmt in Format:
                    seconds, peak, before, size = measure(url, plan_id, kind, fmt)
                    label = f"{plan_id} ({count})"
                    print(
                        f"{label:<44} {kind.value:<10} {fmt.value:<5} {seconds:8.2f} "
                        f"{peak:9.0f} {before:9.0f} {size / 1024:8.0f}",
                        flush=True,
                    )
            skipped = [k.value for k in Kind if k not in available_kinds(doc)]
            if skipped:
                print(f"{plan_id}: no {', '.join(skipped)} (the plan has no data for it)")


if __name__ == "__main__":
    main()
