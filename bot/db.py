"""Database engines and sessions.

SQLite is the embedded default; PostgreSQL is for production and for several replicas.
Writes on SQLite take the write lock up front (BEGIN IMMEDIATE), so two writers queue on
busy_timeout instead of one failing with "database is locked" when it upgrades a read lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, create_engine

T = TypeVar("T")
V = TypeVar("V")

STAGE_CACHE = "stage_cache"  # the key of a session's Session.info that holds its database's stage cache
STAGE_TTL = 60.0  # seconds another replica's settings change may take to show in Database.stage_cache
# A connection's execution option: its one statement commits by itself, so _sqlite_engine issues no BEGIN.
ONE_STATEMENT = "salesbot_one_statement"


def conflict_insert(engine: Engine | Connection):
    """The engine's own `insert`, the one with `on_conflict_do_nothing` (both dialects spell
    ON CONFLICT the same): a repeat inserts nothing, with no error and no rollback."""
    return postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert


def connect_timeout() -> int:
    """Seconds before connecting (TCP and PostgreSQL's handshake) gives up: a database that accepts
    connections but never answers must not hang a request or start-up."""
    return int(os.environ.get("SALESBOT_DB_CONNECT_TIMEOUT", "5"))


def statement_timeout() -> int:
    """Seconds before PostgreSQL cancels a statement (0: never; migrations run without)."""
    return int(os.environ.get("SALESBOT_DB_STATEMENT_TIMEOUT", "30"))


def normalise_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// forms and pick the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def postgres_timeouts() -> dict:
    """psycopg's connect arguments: the connect timeout, the statement timeout, and TCP keepalives,
    so a connection whose server went silent mid-query is found dead instead of waited on."""
    return {
        "connect_timeout": connect_timeout(),
        "options": f"-c statement_timeout={statement_timeout() * 1000}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
    }


class TeamCache(Generic[V]):
    """Per-team values read on nearly every request and changed rarely, kept `ttl` seconds. Owned by
    a Database, so each database has its own and forgets it with it."""

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._lock = threading.Lock()  # requests read it from the database's threads
        self._entries: dict[str, tuple[float, V]] = {}  # team -> (expires, value)
        self._generation = 0  # bumped by forget, so a read that raced a change is not kept

    def get(self, team_id: str, read: Callable[[], V]) -> V:
        """The team's value from memory when fresh, else `read()`; an empty value (a team not made
        yet) is not worth remembering."""
        with self._lock:
            found, generation = self._entries.get(team_id), self._generation
        if found is not None and found[0] > time.monotonic():
            return found[1]
        value = read()
        if value:
            with self._lock:
                if self._generation == generation:
                    self._entries[team_id] = (time.monotonic() + self.ttl, value)
        return value

    def forget(self, team_id: str | None = None) -> None:
        """Forget a team's value after a change (every team's, without team_id)."""
        with self._lock:
            self._generation += 1
            if team_id is None:
                self._entries.clear()
            else:
                self._entries.pop(team_id, None)


class Database:
    def __init__(self, url: str, threads: int = 4):
        self.url = normalise_url(url)
        self.is_sqlite = make_url(self.url).get_backend_name() == "sqlite"
        self._write_lock = threading.Lock() if self.is_sqlite else contextlib.nullcontext()
        if self.is_sqlite:
            self._ensure_sqlite_dir()
            self.engine = _sqlite_engine(self.url, immediate=False)
            self.write_engine = _sqlite_engine(self.url, immediate=True)
        else:
            self.engine = create_engine(
                self.url,
                pool_size=10,
                max_overflow=20,
                pool_pre_ping=True,
                pool_timeout=connect_timeout(),  # waiting for a free connection, too
                connect_args=postgres_timeouts(),
            )
            self.write_engine = self.engine
        # Database work in threads of its own, not asyncio's default pool shared with everything else.
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="db")
        # Teams known to have their row (services/teams.ensure): owned here, so each database
        # has its own and a test that empties this one clears it with it.
        self.known_teams: set[str] = set()
        # Every stage of each team (models/teams.cached_stages), handed to this database's sessions
        # in Session.info: the stages are read on nearly every request and change only in settings.
        self.stage_cache: TeamCache[list] = TeamCache(STAGE_TTL)

    def forget(self) -> None:
        """Forget what memory holds of this database's rows: tests empty it between cases."""
        self.known_teams.clear()
        self.stage_cache.forget()

    def _ensure_sqlite_dir(self) -> None:
        database = make_url(self.url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False, info=self._session_info()) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        # SQLite has one writer at a time. Threads of this process queue on a lock, which wakes the
        # next one at once, instead of on SQLite's busy handler, which sleeps up to 100 ms per try.
        with (
            self._write_lock,
            Session(self.write_engine, expire_on_commit=False, info=self._session_info()) as session,
        ):
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def write_one(self, statement: Executable, params: dict | None = None) -> int:
        """Run one writing statement (with its parameters) as its own transaction, on a plain connection
        (no ORM Session), and return how many rows it changed. The database commits the statement by
        itself: no BEGIN and COMMIT round trips on PostgreSQL (autocommit), no BEGIN IMMEDIATE on SQLite
        (its driver already commits each statement outside BEGIN), so a statement must be whole on its
        own."""
        # psycopg 3 reports no rowcount for an INSERT unless SQLAlchemy is asked to keep it.
        options: dict = {"preserve_rowcount": True}
        if self.is_sqlite:
            options[ONE_STATEMENT] = True  # not isolation_level: its reset would undo _on_connect's
        else:
            options["isolation_level"] = "AUTOCOMMIT"
        with self._write_lock, self.write_engine.connect() as conn:
            conn.execution_options(**options)
            rowcount = conn.execute(statement, params).rowcount
            conn.commit()
            return rowcount

    def _session_info(self) -> dict:
        return {STAGE_CACHE: self.stage_cache}

    async def run(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """Run blocking database work off the event loop, in this database's own threads."""
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def pool_in_use(self) -> int:
        """Connections checked out of the pools now (for the metrics)."""
        engines = {id(e): e for e in (self.engine, self.write_engine)}.values()
        return sum(getattr(e.pool, "checkedout", lambda: 0)() for e in engines)

    def dispose(self) -> None:
        self._executor.shutdown(wait=False)
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's "begin" event below issue BEGIN, instead of the driver's lazy one.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get(ONE_STATEMENT):
            return  # Database.write_one: the driver commits the statement by itself
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def unreachable(url: str, timeout: float | None = None) -> str | None:
    """Why the database cannot be used, in one line, or None when it answers (checked before start;
    waits at most `timeout` seconds, by default SALESBOT_DB_CONNECT_TIMEOUT)."""
    timeout = connect_timeout() if timeout is None else timeout
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_unusable(parsed.database)
    args = {"connect_timeout": max(1, round(timeout))}
    try:
        engine = create_engine(url, connect_args=args, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        finally:
            engine.dispose()
    except Exception as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return reason[0] if reason else type(exc).__name__
    return None


def _sqlite_unusable(path: str | None) -> str | None:
    """Checked without opening it: opening makes the file, and a dry run must leave nothing behind.
    A missing file is fine where its nearest existing folder is writable (serve makes the rest)."""
    if not path or path == ":memory:":
        return None
    file = Path(path)
    if file.exists():
        return None if os.access(file, os.R_OK | os.W_OK) else "the file is not readable and writable"
    folder = next((p for p in file.parents if p.exists()), Path("."))
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot create the file: {folder} is not a writable folder"
    return None
