"""The synthetic pipeline the benchmarks share, and the databases they load it into.

One team's deals over two years (more of them recent, as a growing team has), each walking the
default stages: forward, skipping, moving back, won, lost, reopened; about `changes / deals` stage
changes per deal, 50 reps (or as many as asked), three currencies, 5 % without an amount. Loaded
with executemany (SQLite) or COPY (PostgreSQL) into a freshly migrated database: PostgreSQL then
gets the VACUUM ANALYZE autovacuum runs after a bulk insert; SQLite gets no ANALYZE, as the app
never runs one. PostgreSQL databases are throwaway ones on SALESBOT_BENCH_PG
(default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import contextlib
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

if TYPE_CHECKING:  # imported where used, after the path above is set
    from bot.db import Database

PG_ADMIN = os.environ.get("SALESBOT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")

TEAM = "TBENCH"
AS_OF = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday, 09:00 in Amsterdam
SPAN = timedelta(days=730)
REPS = [f"U{n:08d}" for n in range(50)]
CURRENCIES = ["EUR"] * 16 + ["USD"] * 3 + ["GBP"]
REASONS = ["price", "competitor", "no_budget", "no_decision", "timing", "not_qualified", "other"]


# -- the synthetic pipeline ----------------------------------------------------------------------
def generate(stage_rows, deals: int, changes: int, seed: int = 7, reps: list[str] | None = None):
    """Rows for deal and stage_change, with ids; about `changes` stage changes in all."""
    rng = random.Random(seed)
    reps = reps or REPS
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
        owner = rng.choice(reps)
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
        deal_rows.append(
            (
                deal_id,
                TEAM,
                deal_id,
                f"Deal {deal_id}",
                amount,
                rng.choice(CURRENCIES),
                stage,
                owner,
                owner,
                (created + timedelta(days=rng.randrange(30, 180))).date(),
                rng.choice(REASONS) if stage == lost else None,
                created,
                last_at,
                activity,
                last_at if closed else None,
            )
        )
    return deal_rows, change_rows


DEAL_COLUMNS = (
    "id",
    "team_id",
    "number",
    "name",
    "amount_cents",
    "currency",
    "stage_id",
    "owner_id",
    "created_by",
    "close_date",
    "lost_reason_key",
    "created_at",
    "updated_at",
    "last_activity_at",
    "closed_at",
)
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
            conn.executemany(
                f"INSERT INTO deal ({', '.join(DEAL_COLUMNS)}, version) "
                f"VALUES ({', '.join('?' * len(DEAL_COLUMNS))}, 1)",
                ([sqlite_text(v) for v in row] for row in deals),
            )
            conn.executemany(
                f"INSERT INTO stage_change ({', '.join(CHANGE_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(CHANGE_COLUMNS))})",
                ([sqlite_text(v) for v in row] for row in changes),
            )
    finally:
        conn.close()


def load_postgres(url: str, deals, changes) -> None:
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY deal ({', '.join(DEAL_COLUMNS)}, version) FROM STDIN") as copy:
            for row in deals:
                copy.write_row((*row, 1))
        with cur.copy(f"COPY stage_change ({', '.join(CHANGE_COLUMNS)}) FROM STDIN") as copy:
            for row in changes:
                copy.write_row(row)
        for table in ("deal", "stage_change"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    # What autovacuum does after a bulk insert: statistics, and the visibility map index-only scans need.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE deal")
        conn.execute("VACUUM ANALYZE stage_change")


@dataclass
class Filled:
    """A database holding one synthetic team."""

    db: Database
    deals: int
    changes: int
    generate_s: float
    load_s: float


def fill(
    url: str, loader, deals: int, changes: int, reps: list[str] | None = None, revision: str = "head"
) -> Filled:
    """Migrate the database at url (to `revision`: an older one compares its indexes), make the team
    (default settings, C0SALES as its channel), and load a synthetic pipeline of `deals` deals and
    about `changes` stage changes into it."""
    from bot.db import Database
    from bot.migrate import upgrade
    from models.tables import Team
    from models.teams import ensure_team, stages

    upgrade(url, revision)
    db = Database(url)
    with db.write() as s:
        ensure_team(s, TEAM, AS_OF - SPAN - timedelta(days=1))
        team = s.get(Team, TEAM)
        assert team is not None  # ensure_team made it
        team.channel_id = "C0SALES"
        s.add(team)
        stage_rows = stages(s, TEAM, include_inactive=True)
    started = time.perf_counter()
    deal_rows, change_rows = generate(stage_rows, deals, changes, reps=reps)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    loader(deal_rows, change_rows)
    with db.write() as s:  # the next deal number, as if the deals had been added one by one
        team = s.get(Team, TEAM)
        assert team is not None  # made above
        team.next_deal_number = len(deal_rows) + 1
        s.add(team)
    return Filled(db, len(deal_rows), len(change_rows), generated, time.perf_counter() - started)


@contextlib.contextmanager
def database(backend: str) -> Iterator[tuple[str, str, object]]:
    """A fresh, empty database: (its name for tables, its URL, a loader for generate()'s rows)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bench.db")
            yield "SQLite", f"sqlite:///{path}", lambda d, c: load_sqlite(path, d, c)
        return
    name = f"salesbot_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        yield "PostgreSQL", url, lambda d, c: load_postgres(url, d, c)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- timing and the machine ----------------------------------------------------------------------
def timed(fn, repeat: int) -> list[float]:
    """Seconds per call of fn, `repeat` times."""
    spent = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        spent.append(time.perf_counter() - started)
    return spent


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
        with psycopg.connect(PG_ADMIN, connect_timeout=2) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            assert row is not None  # SHOW always answers one row
            return "PostgreSQL " + row[0]
    except psycopg.Error:
        return "PostgreSQL unreachable"


def machine() -> str:
    return (
        f"{os.cpu_count()} CPUs, {memory()}, Python {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version}, "
        f"{postgres_version()}"
    )
