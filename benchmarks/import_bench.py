"""How long `salesbot import` takes for a big CRM export, on SQLite and on PostgreSQL, and how much
memory it needs as the file grows.

    python benchmarks/import_bench.py [--rows 10000] [--memory-rows 100000] [--backends sqlite,postgres]

Writes a Pipedrive deal export (semicolons, day-first dates, European amounts; a third won, a
sixth lost, the rest open; 40 owners by Slack id) and imports it into a freshly migrated
database: a dry run, the real import (every row created, with its history), and the same file
again (every row unchanged). Then, on SQLite, the peak of Python's allocations (tracemalloc)
during a dry run and a real import of --rows and of --memory-rows rows: flat when streamed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import database, machine
from bot.db import Database
from bot.migrate import upgrade
from domain.importing.values import OwnerDirectory
from services.transfer.importing import ImportOptions, apply, scan

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)
TEAM = "TBENCH"
HEADER = (
    "Deal - ID;Deal - Title;Deal - Value;Deal - Currency;Deal - Organization;Deal - Owner;Deal - Stage;"
    "Deal - Status;Deal - Deal created;Deal - Expected close date;Deal - Won time;Deal - Lost time;"
    "Deal - Lost reason\n"
)
STAGES = ["Lead In", "Contact Made", "Needs Defined", "Proposal Made", "Negotiations Started"]


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        for i in range(1, rows + 1):
            created = NOW - timedelta(days=rng.randint(30, 900), minutes=rng.randint(0, 1440))
            closed = created + timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 23))
            status = "won" if i % 3 == 0 else "lost" if i % 6 == 1 else "open"
            fmt = "%d-%m-%Y %H:%M:%S"
            won = closed.strftime(fmt) if status == "won" else ""
            lost = closed.strftime(fmt) if status == "lost" else ""
            reason = "Price" if status == "lost" else ""
            value = f"{rng.randint(1, 500)}.{rng.randint(0, 999):03d},00"
            fh.write(
                f"{i};Deal {i};{value};EUR;Company {i % 997};U{(i % 40):08d};{rng.choice(STAGES)};{status};"
                f"{created.strftime(fmt)};{(created + timedelta(days=60)).strftime('%d-%m-%Y')};{won};{lost};"
                f"{reason}\n"
            )


def run(db: Database, path: Path, dry_run: bool):
    options = ImportOptions(dry_run=dry_run)
    started = time.perf_counter()
    result = apply(db, TEAM, scan(path, options), OwnerDirectory({}, {}), NOW, options)
    return time.perf_counter() - started, result


def timings(backends: list[str], rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pipedrive.csv"
        write_export(path, rows)
        print(f"\n{rows:,} rows ({path.stat().st_size / 1e6:.1f} MB). Seconds:\n")
        print("backend | dry run | import (all created) | again (all unchanged) | rows/s (import)")
        print("--- | --- | --- | --- | ---")
        for backend in backends:
            with database(backend) as (name, url, _loader):
                upgrade(url)
                db = Database(url)
                try:
                    dry, _ = run(db, path, True)
                    real, done = run(db, path, False)
                    again, same = run(db, path, False)
                    assert done.created == rows and same.unchanged == rows, (done, same)
                    print(f"{name} | {dry:.2f} | {real:.2f} | {again:.2f} | {rows / real:,.0f}")
                finally:
                    db.dispose()


def memory(sizes: list[int]) -> None:
    print("\nPeak Python allocations during the import (tracemalloc), SQLite:\n")
    print("rows | file | dry run | import")
    print("--- | --- | --- | ---")
    for rows in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "pipedrive.csv"
            write_export(path, rows)
            url = f"sqlite:///{Path(tmp) / 'memory.db'}"
            upgrade(url)
            db = Database(url)
            peaks = []
            for dry_run in (True, False):
                tracemalloc.start()
                run(db, path, dry_run)
                peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
                tracemalloc.stop()
            db.dispose()
            print(f"{rows:,} | {path.stat().st_size / 1e6:.1f} MB | {peaks[0]:.1f} MB | {peaks[1]:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--memory-rows", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    print(machine())
    timings(args.backends.split(","), args.rows)
    if args.memory_rows:
        memory([args.rows, args.memory_rows])


if __name__ == "__main__":
    main()
