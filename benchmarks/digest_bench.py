"""How long the weekly digest takes for a big team, on SQLite and on PostgreSQL.

    python benchmarks/digest_bench.py [--deals 100000] [--changes 1000000] [--backends sqlite,postgres]

Generates one team's synthetic pipeline (deals walking through the default stages: forward, skipping,
back, won, lost, reopened, over two years), bulk-loads it (executemany on SQLite, COPY on PostgreSQL)
into a freshly migrated database (PostgreSQL then gets the VACUUM ANALYZE autovacuum would run;
SQLite gets no ANALYZE, as the app never runs one), and times services.digest.compute (every query plus the
arithmetic) for a digest due now and for one back-dated 30 days, then the Block Kit and the chart.
PostgreSQL gets a throwaway database on SALESBOT_BENCH_PG (default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402

from bot.db import Database  # noqa: E402
from bot.i18n import translator  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from models.teams import ensure_team, stages  # noqa: E402
from services import digest  # noqa: E402
from views.digest import digest_message  # noqa: E402
from views.digest_chart import render_png  # noqa: E402

TEAM = "TBENCH"
AS_OF = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday, 09:00 in Amsterdam
SPAN = timedelta(days=730)
REPS = [f"U{n:08d}" for n in range(50)]
CURRENCIES = ["EUR"] * 16 + ["USD"] * 3 + ["GBP"]
REASONS = ["price", "competitor", "no_budget", "no_decision", "timing", "not_qualified", "other"]


# -- the synthetic pipeline ----------------------------------------------------------------------
def generate(stage_rows, deals: int, changes: int, seed: int = 7):
    """Rows for deal and stage_change, with ids; about `changes` stage changes in all."""
    rng = random.Random(seed)
    open_ids = [s.id for s in stage_rows if s.kind == "open"]
    won = next(s.id for s in stage_rows if s.kind == "won")
    lost = next(s.id for s in stage_rows if s.kind == "lost")
    per_deal = changes / deals
    deal_rows, change_rows = [], []
    change_id = 0
    for deal_id in range(1, deals + 1):
        created = AS_OF - SPAN * rng.random() ** 0.7  # more deals recently, as a growing team has
        steps = max(1, min(40, round(rng.gauss(per_deal, per_deal / 2))))
        horizon = min(AS_OF, created + timedelta(days=rng.uniform(20, 300)))
        times = sorted(created + (horizon - created) * rng.random() for _ in range(steps - 1))
        position = 0 if rng.random() < 0.9 else rng.randrange(len(open_ids))
        stage = open_ids[position]
        owner = rng.choice(REPS)
        history = [(None, stage, created)]
        for i, at in enumerate(times):
            last = i == len(times) - 1
            roll = rng.random()
            if stage in (won, lost):
                target = open_ids[position]  # reopened
            elif last and roll < 0.6:
                target = won if rng.random() < 0.35 else lost
            elif roll < 0.12 and position > 0:
                position = rng.randrange(position)  # moved back
                target = open_ids[position]
            elif position < len(open_ids) - 1:
                position = min(len(open_ids) - 1, position + (2 if roll > 0.85 else 1))  # forward, or a skip
                target = open_ids[position]
            else:
                target = won if rng.random() < 0.5 else lost
            if target == stage:
                continue
            history.append((stage, target, at))
            stage = target
        for from_id, to_id, at in history:
            change_id += 1
            change_rows.append((change_id, TEAM, deal_id, from_id, to_id, owner, at))
        last_at = history[-1][2]
        activity = min(AS_OF - timedelta(minutes=1), last_at + timedelta(days=rng.expovariate(1 / 5)))
        amount = None if rng.random() < 0.05 else rng.randrange(1_000, 200_000) * 100
        closed = stage in (won, lost)
        deal_rows.append((deal_id, TEAM, deal_id, f"Deal {deal_id}", amount, rng.choice(CURRENCIES), stage, owner,
                          owner, (created + timedelta(days=rng.randrange(30, 180))).date(),
                          rng.choice(REASONS) if stage == lost else None, created, last_at, activity,
                          last_at if closed else None))
    return deal_rows, change_rows


DEAL_COLUMNS = ("id", "team_id", "number", "name", "amount_cents", "currency", "stage_id", "owner_id", "created_by",
                "close_date", "lost_reason_key", "created_at", "updated_at", "last_activity_at", "closed_at")
CHANGE_COLUMNS = ("id", "team_id", "deal_id", "from_stage_id", "to_stage_id", "user_id", "at")


def sqlite_text(value):
    """What SQLAlchemy stores in SQLite: naive UTC 'YYYY-MM-DD HH:MM:SS.ffffff', ISO dates."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def load_sqlite(path: str, deals, changes) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        with conn:
            conn.executemany(f"INSERT INTO deal ({', '.join(DEAL_COLUMNS)}, version) "
                             f"VALUES ({', '.join('?' * len(DEAL_COLUMNS))}, 1)",
                             ([sqlite_text(v) for v in row] for row in deals))
            conn.executemany(f"INSERT INTO stage_change ({', '.join(CHANGE_COLUMNS)}) "
                             f"VALUES ({', '.join('?' * len(CHANGE_COLUMNS))})",
                             ([sqlite_text(v) for v in row] for row in changes))
    finally:
        conn.close()


def load_postgres(url: str, deals, changes) -> None:
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            with cur.copy(f"COPY deal ({', '.join(DEAL_COLUMNS)}, version) FROM STDIN") as copy:
                for row in deals:
                    copy.write_row((*row, 1))
            with cur.copy(f"COPY stage_change ({', '.join(CHANGE_COLUMNS)}) FROM STDIN") as copy:
                for row in changes:
                    copy.write_row(row)
            for table in ("deal", "stage_change"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    # What autovacuum does after a bulk insert: statistics, and the visibility map index-only scans need.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE deal")
        conn.execute("VACUUM ANALYZE stage_change")


# -- timing --------------------------------------------------------------------------------------
def timed(fn, repeat: int) -> list[float]:
    spent = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        spent.append(time.perf_counter() - started)
    return spent


def run_backend(name: str, url: str, deals: int, changes: int, repeat: int, loader) -> dict:
    upgrade(url)
    db = Database(url)
    try:
        with db.write() as s:
            ensure_team(s, TEAM, AS_OF - SPAN - timedelta(days=1))
            stage_rows = stages(s, TEAM, include_inactive=True)
        started = time.perf_counter()
        deal_rows, change_rows = generate(stage_rows, deals, changes)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        loader(deal_rows, change_rows)
        loaded = time.perf_counter() - started
        now = timed(lambda: digest.compute(db, TEAM, AS_OF), repeat)
        back = timed(lambda: digest.compute(db, TEAM, AS_OF - timedelta(days=30)), repeat)
        computed = digest.compute(db, TEAM, AS_OF)
        _ = translator("en")
        blocks = timed(lambda: digest_message(computed, _), repeat)
        chart = timed(lambda: render_png(computed, _), repeat)
        return {"backend": name, "deals": len(deal_rows), "changes": len(change_rows), "generate": generated,
                "load": loaded, "now": now, "back": back, "blocks": blocks, "chart": chart,
                "open": computed.digest.headline.count}
    finally:
        db.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    results = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "bench.db")
                results.append(run_backend("SQLite", f"sqlite:///{path}", args.deals, args.changes, args.repeat,
                                           lambda d, c, path=path: load_sqlite(path, d, c)))
        elif backend == "postgres":
            admin = os.environ.get("SALESBOT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
            name = f"salesbot_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            url = admin.rsplit("/", 1)[0] + "/" + name
            try:
                results.append(run_backend("PostgreSQL", url, args.deals, args.changes, args.repeat,
                                           lambda d, c, url=url: load_postgres(url, d, c)))
            finally:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"\nmachine: {os.cpu_count()} CPUs, {memory()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, {postgres_version()}")
    print(f"digest as of {AS_OF.isoformat()}; times in seconds, best / median of {args.repeat}\n")
    header = ("backend", "deals", "changes", "open", "generate", "load", "digest (now)", "digest (-30 d)",
              "blocks", "chart")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in results:
        print(" | ".join([r["backend"], f"{r['deals']:,}", f"{r['changes']:,}", f"{r['open']:,}",
                          f"{r['generate']:.1f}", f"{r['load']:.1f}", best_median(r["now"]), best_median(r["back"]),
                          best_median(r["blocks"]), best_median(r["chart"])]))
    return 0


def best_median(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f}"


def memory() -> str:
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
        return f"{kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        return "RAM unknown"


def postgres_version() -> str:
    try:
        with psycopg.connect(os.environ.get("SALESBOT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"),
                             connect_timeout=2) as conn:
            return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return "PostgreSQL unreachable"


if __name__ == "__main__":
    sys.exit(main())
