"""Fixtures: a migrated database per backend (SQLite always, PostgreSQL where reachable), and a
bench that runs the real bot over real HTTP against the local Slack."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

import models  # noqa: F401 - registers the tables
from bot.db import Database
from bot.migrate import upgrade
from localslack.bench import TRANSPORTS, Bench
from tests.helpers import text_of

PG_ADMIN = os.environ.get("SALESBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_reachable() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


PG_OK = postgres_reachable()
BACKENDS = ["sqlite", "postgres"]


def pytest_collection_modifyitems(items):
    """Every PostgreSQL variant, however a test asks for it (the `db` fixture's parameter, or a
    parameter of its own), carries the `postgres` marker and is skipped where PostgreSQL is not
    reachable."""
    unreachable = pytest.mark.skipif(not PG_OK, reason="PostgreSQL unreachable")
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "postgres" in params.values():
            item.add_marker(pytest.mark.postgres)
            item.add_marker(unreachable)


@pytest.fixture(scope="session")
def pg_url():
    """A database of its own for this test run, dropped at the end."""
    name = f"salesbot_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    yield url
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated(tmp_path_factory, request):
    """One migrated database per backend for the session; emptied before each test."""
    made: dict[str, Database] = {}

    def get(backend: str) -> Database:
        if backend not in made:
            if backend == "sqlite":
                url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'salesbot.db'}"
            else:
                url = request.getfixturevalue("pg_url")
            upgrade(url)
            made[backend] = Database(url)
        return made[backend]

    yield get
    for db in made.values():
        db.dispose()


def empty(db: Database) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with db.write() as s:
        if db.is_sqlite:
            for name in tables:
                s.execute(text(f"DELETE FROM {name}"))
        else:
            s.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
    db.forget()


@pytest.fixture(params=BACKENDS)
def db(request, migrated):
    database = migrated(request.param)
    empty(database)
    return database


@pytest.fixture
def sqlite_db(migrated):
    database = migrated("sqlite")
    empty(database)
    return database


@pytest.fixture
def transport(request) -> str:
    """HTTP unless a module asks for both: `pytestmark = pytest.mark.transports` runs each of its
    tests over HTTP and over Socket Mode (see pytest_generate_tests)."""
    return getattr(request, "param", "http")


def pytest_configure(config):
    config.addinivalue_line("markers", "transports: run the module's bench tests over HTTP and Socket Mode")
    config.addinivalue_line("markers", "http_only: a test of an HTTP status, in a `transports` module")


def pytest_generate_tests(metafunc):
    marked = metafunc.definition.get_closest_marker
    if "transport" in metafunc.fixturenames and marked("transports") and not marked("http_only"):
        metafunc.parametrize("transport", TRANSPORTS, indirect=True)


@pytest.fixture
async def bench(db, transport):
    async with Bench(db, transport=transport) as running:
        slack = running.slack
        slack.add_user("UALICE", "alice")
        slack.add_user("UBOB", "bob")
        slack.add_user("UADMIN", "carol", is_admin=True)
        yield running
        assert not slack.violations, f"the bot broke Slack's rules: {slack.violations}"


@pytest.fixture
def nothing_went_wrong(request):
    """No listener may fail with an unexpected error, whatever the rep sends (a module asks for it with
    `pytest.mark.usefixtures("nothing_went_wrong")`)."""
    yield
    bench = request.node.funcargs.get("bench")
    if bench is not None:
        said = [text_of(m) for m in bench.slack.messages]
        said += [text_of(m) for replies in bench.slack.responses.values() for m in replies]
        assert not [t for t in said if "went wrong" in t]
