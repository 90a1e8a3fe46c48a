"""How long the `salesbot` command takes to start: `--help`, `--version`, `export` of a 1,000-deal team,
and `serve` until /healthz and /readyz answer 200. Targets (issue 16): 0.3 s, 0.3 s, 1 s, 1.5 s.

    .venv/bin/python benchmarks/startup.py            # 7 runs each, SQLite
    .venv/bin/python benchmarks/startup.py --runs 3

Wall time of the whole process (what an operator or a probe sees), best / median of the runs; the
load average is printed beside them, as the figures grow with whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import TEAM, fill, load_sqlite, machine

SALESBOT = str(Path(sys.executable).with_name("salesbot"))  # the installed console script
TARGETS = {"--help": 0.3, "--version": 0.3, "export (1,000 deals)": 1.0, "serve to /healthz": 1.5}


def env(database_url: str, port: int = 0) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SALESBOT_", "LOG_"))}
    return dict(
        base,
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET="bench-secret",
        SLACK_API_URL="http://127.0.0.1:9/api/",  # nothing is called at start-up
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT=str(port),
        SALESBOT_SCHEDULER="0",
        LOG_LEVEL="WARNING",
    )


def run_once(args: list[str], environment: dict[str, str], cwd: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process): CPU time barely moves with the machine's load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([SALESBOT, *args], env=environment, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def until_ok(url: str, proc: subprocess.Popen, started: float) -> float:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1)) as http:
        while proc.poll() is None:
            try:
                async with http.get(url) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - started
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.01)
    raise RuntimeError(f"serve exited with {proc.returncode}")


def serve_once(database_url: str) -> tuple[float, float]:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [SALESBOT, "serve"], env=env(database_url, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        healthy = asyncio.run(until_ok(f"http://127.0.0.1:{port}/healthz", proc, started))
        ready = asyncio.run(until_ok(f"http://127.0.0.1:{port}/readyz", proc, started))
    finally:
        proc.terminate()
        proc.wait(15)
    return healthy, ready


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=7)
    runs = options.parse_args().runs
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "startup.db")
        url = f"sqlite:///{path}"
        filled = fill(url, lambda d, c: load_sqlite(path, d, c), deals=1000, changes=5000)
        filled.db.dispose()
        environment = env(url)
        figures: dict[str, list[tuple[float, float]]] = {}
        export = ["export", "--team", TEAM, "--out", tmp]
        for args, name in (
            (["--help"], "--help"),
            (["--version"], "--version"),
            (export, "export (1,000 deals)"),
        ):
            figures[name] = [run_once(args, environment, tmp) for _ in range(runs)]
        served = [serve_once(url) for _ in range(runs)]
        figures["serve to /healthz"] = [(h, float("nan")) for h, _ in served]
        figures["serve to /readyz"] = [(r, float("nan")) for _, r in served]
    print(f"load average at the end: {os.getloadavg()[0]:.1f}; seconds, best / median of {runs}")
    print("what | wall, best | wall, median | CPU, median | target")
    print("--- | --- | --- | --- | ---")
    for name, values in figures.items():
        walls, cpus = [w for w, _ in values], [c for _, c in values]
        target = TARGETS.get(name)
        print(
            f"{name} | {min(walls):.3f} | {statistics.median(walls):.3f} | {statistics.median(cpus):.3f} | "
            + (f"< {target}" if target else "")
        )


if __name__ == "__main__":
    main()
