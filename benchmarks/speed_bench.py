"""Issue 19's speed targets at 100,000 deals and 1,000,000 stage changes, on SQLite and PostgreSQL:
`/pipeline forecast`, `/pipeline insights` and the digest with its forecast, bottleneck and goal
sections each under 1 s, the 24-month backtest under 5 s.

    python benchmarks/speed_bench.py [--backends sqlite,postgres] [--repeat 3] [--keep DIR]
    python benchmarks/speed_bench.py --backends sqlite --keep /tmp/bench --profile forecast

Loads the synthetic pipeline of benchmarks/synthetic.py (the digest benchmark's) and times the
services the handlers and `salesbot forecast --backtest` call, each `--repeat` times (median and
best), with the load average before each item. `--keep DIR` keeps the loaded databases (a SQLite
file in DIR, a PostgreSQL database named after it) and reuses them on the next run, migrated to
head; `--profile ITEM` runs one item once under pyinstrument (a development tool, not a dependency:
`pip install pyinstrument`) and prints where the time went.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from benchmarks.synthetic import (
    AS_OF,
    PG_ADMIN,
    TEAM,
    database,
    fill,
    load_postgres,
    load_sqlite,
    machine,
)

ITEMS = ("forecast", "insights", "digest", "backtest", "backtest command")


def calls(db) -> dict[str, Callable[[], object]]:
    from bot.config import Settings
    from bot.forecast_cli import backtest_command
    from services import digest, forecast, insights

    # `salesbot forecast --backtest --months 24` as the CLI runs it (migration check, its own
    # connection pool, the printed table), in this process
    settings = Settings(database_url=db.url)

    def command() -> None:
        assert backtest_command(settings, 24, TEAM, AS_OF.isoformat(), out=io.StringIO()) == 0

    return {
        "forecast": lambda: forecast.compute(db, TEAM, AS_OF),
        "insights": lambda: insights.compute(db, TEAM, AS_OF),
        "digest": lambda: digest.compute(db, TEAM, AS_OF),
        "backtest": lambda: forecast.backtest(db, TEAM, AS_OF, 24),
        "backtest command": command,
    }


@contextlib.contextmanager
def kept(backend: str, keep: str, deals: int, changes: int) -> Iterator[tuple[str, object]]:
    """A database of the synthetic team kept in `keep` between runs: (its name, a Database)."""
    from bot.db import Database
    from bot.migrate import upgrade

    tag = hashlib.sha1(f"{os.path.abspath(keep)} {deals} {changes}".encode()).hexdigest()[:8]
    if backend == "sqlite":
        os.makedirs(keep, exist_ok=True)
        path = os.path.join(keep, f"bench_{deals}_{changes}.db")
        url, name, fresh = f"sqlite:///{path}", "SQLite", not os.path.exists(path)
        loader: object = lambda d, c: load_sqlite(path, d, c)  # noqa: E731
    else:
        dbname = f"salesbot_keep_{tag}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            fresh = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone() is None
            if fresh:
                conn.execute(f'CREATE DATABASE "{dbname}"')
        url, name = PG_ADMIN.rsplit("/", 1)[0] + "/" + dbname, "PostgreSQL"
        loader = lambda d, c: load_postgres(url, d, c)  # noqa: E731
    if fresh:
        fill(url, loader, deals, changes).db.dispose()
    else:
        upgrade(url)  # a new index of this branch's migrations, on the kept data
    db = Database(url)
    try:
        yield name, db
    finally:
        db.dispose()


@contextlib.contextmanager
def fresh(backend: str, deals: int, changes: int) -> Iterator[tuple[str, object]]:
    with database(backend) as (name, url, loader):
        db = fill(url, loader, deals, changes).db
        try:
            yield name, db
        finally:
            db.dispose()


def timed(fn: Callable[[], object], repeat: int) -> list[tuple[float, float]]:
    """(wall seconds, this process's CPU seconds) per call. On SQLite the database works inside this
    process, so its CPU time is what the call costs whatever else the machine is doing."""
    spent = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        spent.append((time.perf_counter() - wall, time.process_time() - cpu))
    return spent


def profile(fn: Callable[[], object]) -> None:
    from pyinstrument import Profiler

    fn()  # warm: the first call pays for imports and the stage cache
    profiler = Profiler(interval=0.001)
    with profiler:
        fn()
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--items", default=",".join(ITEMS), help="comma-separated, of: " + ", ".join(ITEMS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="keep the loaded databases here and reuse them")
    parser.add_argument("--profile", choices=ITEMS, help="profile one item instead of timing")
    args = parser.parse_args(argv)
    items = args.items.split(",")
    rows: list[tuple[str, str, list[tuple[float, float]], float]] = []
    for backend in args.backends.split(","):
        opened = kept(backend, args.keep, args.deals, args.changes) if args.keep else None
        with opened or fresh(backend, args.deals, args.changes) as (name, db):
            run = calls(db)
            if args.profile:
                print(f"-- {name}: {args.profile}")
                profile(run[args.profile])
                continue
            run[items[0]]()  # warm: imports, the connection pool
            for item in items:
                load = os.getloadavg()[0]
                spent = timed(run[item], args.repeat)
                rows.append((name, item, spent, load))
                walls = " ".join(f"{w:.3f}" for w, _ in spent)
                print(f"{name} {item}: {walls} (load {load:.1f})", flush=True)
    if rows:
        print(f"\nmachine: {machine()}; seconds of {args.repeat} runs\n")
        print("backend | item | wall, median | wall, best | CPU here, median | load average")
        print("--- | --- | --- | --- | --- | ---")
        for name, item, spent, load in rows:
            cells = (statistics.median(w for w, _ in spent), min(w for w, _ in spent))
            cpu = statistics.median(c for _, c in spent)
            print(f"{name} | {item} | {cells[0]:.3f} | {cells[1]:.3f} | {cpu:.3f} | {load:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
