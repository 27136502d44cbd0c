"""Benchmark: the web application under 32 concurrent clients, beside a static server as the floor.

Loads the demo (as `dxplan demo` does) into a temporary SQLite file, runs `dxplan serve` (uvicorn,
one process), and requests the plan page, an initiative sheet and the plan package a fixed number
of times each from concurrent clients; then saves the same three answers to files, serves them
with Starlette's StaticFiles under uvicorn (one process), and does the same. Prints latency
(p50, p95) and requests per second per URL. Not a test: run it by hand.

    .venv/bin/python bench/web.py [--requests 500] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2

PLAN = "/municipalities/142115/plans/hadano-ict-plan"
PAGES = {
    "plan page": PLAN,
    "initiative sheet": f"{PLAN}/initiatives/1-1-%281%29",
}
API = "/api/v1/municipalities/142115/plans/hadano-ict-plan"
PACKAGE = f"{PLAN}/package.json"  # before the API: the page's download of the same package
STATIC_NAMES = {
    "plan page": "plan.html",
    "initiative sheet": "initiative.html",
    "package": "package.json",
}


@dataclass
class Figures:
    requests: int
    seconds: float
    latencies: list[float]
    size: int
    alone: float = 0.0  # p50 in ms of requests made one at a time (the service time)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def server(command: list[str], port: int, env: dict[str, str], log: Path) -> Iterator[str]:
    """A server process on the port, until the block ends (its output goes to `log`)."""
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx2.get(base + "/", timeout=1)
                break
            except httpx2.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = log.read_text(errors="replace")
                    message = f"server did not start: {' '.join(command)}\n{output}"
                    raise SystemExit(message) from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


async def measure(base: str, path: str, requests: int, concurrency: int) -> Figures:
    """`requests` GETs of the path from `concurrency` clients at once (after a warm-up)."""
    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for _ in range(10):
            (await client.get(path)).raise_for_status()
        latencies: list[float] = []
        size = 0
        remaining = iter(range(requests))

        async def worker() -> None:
            nonlocal size
            for _ in remaining:
                started = time.perf_counter()
                response = await client.get(path)
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
                size = len(response.content)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Figures(requests, time.perf_counter() - started, latencies, size)


def serve_static(folder: str, port: int) -> None:
    """The floor: the saved answers served by StaticFiles under uvicorn."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    app = Starlette(routes=[Mount("/", StaticFiles(directory=folder, html=True))])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per URL")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients")
    parser.add_argument("--serve-static", metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_static:
        serve_static(args.serve_static, args.port)
        return

    with tempfile.TemporaryDirectory(prefix="dxplan-bench-web-") as tmp:
        results = run(Path(tmp), args.requests, args.concurrency)
    print(
        f"\n{args.requests} requests per URL, {args.concurrency} concurrent clients, "
        f"one uvicorn process each (SQLite; {os.cpu_count()} CPUs shared with the clients)\n"
    )
    print(
        f"{'URL':<18} {'server':<13} {'KB':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
        f" {'alone ms':>9}"
    )
    for name, kind, f in sorted(results, key=lambda r: list(STATIC_NAMES).index(r[0])):
        print(
            f"{name:<18} {kind:<13} {f.size / 1024:>6.0f} {f.rps:>8.0f} "
            f"{f.percentile(50):>8.1f} {f.percentile(95):>8.1f} {f.alone:>9.1f}"
        )
    print("\nalone: p50 of 50 requests made one at a time, the time one request takes to serve")


def run(work: Path, requests: int, concurrency: int) -> list[tuple[str, str, Figures]]:
    """The figures of `dxplan serve`, then of the static copy, per URL."""
    url = f"sqlite:///{work / 'demo.sqlite3'}"
    env = {"DXPLAN_DATABASE_URL": url, "DXPLAN_DATA_DIR": str(work)}
    subprocess.run(
        [sys.executable, "-m", "dxplan", "demo"],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: list[tuple[str, str, Figures]] = []
    static = work / "static"
    static.mkdir()
    port = free_port()
    serve = [sys.executable, "-m", "dxplan", "serve", "--port", str(port)]
    with server(serve, port, env, work / "serve.log") as base:
        api = API if httpx2.get(base + API).status_code == 200 else PACKAGE
        print(f"package URL: {api}" + ("" if api == API else f" ({API} is not there yet)"))
        urls = {**PAGES, "package": api}
        for name, path in urls.items():
            (static / STATIC_NAMES[name]).write_bytes(httpx2.get(base + path).content)
            figures = asyncio.run(measure(base, path, requests, concurrency))
            figures.alone = asyncio.run(measure(base, path, 50, 1)).percentile(50)
            results.append((name, "dxplan serve", figures))
    port = free_port()
    command = [sys.executable, __file__, "--serve-static", str(static), "--port", str(port)]
    with server(command, port, {}, work / "static.log") as base:
        for name, file in STATIC_NAMES.items():
            figures = asyncio.run(measure(base, f"/{file}", requests, concurrency))
            figures.alone = asyncio.run(measure(base, f"/{file}", 50, 1)).percentile(50)
            results.append((name, "static files", figures))

    return results


if __name__ == "__main__":
    main()
