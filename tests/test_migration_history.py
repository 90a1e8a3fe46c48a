"""Every database main has ever made upgrades to head with every table, column and index the models
describe, and keeps its data: one database per shipped set of migration files (see
tests/migration_states.py), on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine, inspect, select
from sqlmodel import SQLModel

import models  # noqa: F401 - registers the tables
from bot.db import normalise_url
from bot.migrate import alembic_config, upgrade
from tests.conftest import BACKENDS
from tests.databases import fresh_database
from tests.migration_states import STATES, scripts_of

pytestmark = pytest.mark.slow  # real processes, crashes, fuzzing or all migrations

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)

# One row for each table that may exist, in an order that satisfies the foreign keys; a state
# gets the rows of the tables it has (and, for a table, the columns it has).
ROWS: list[tuple[str, dict]] = [
    ("team", {"id": "T1", "currency": "EUR", "language": "de", "next_deal_number": 2, "created_at": NOW}),
    ("processed_event", {"team_id": "T1", "event_id": "Ev01", "at": NOW}),
    (
        "stage",
        {
            "id": 1,
            "team_id": "T1",
            "key": "proposal",
            "name": "Angebot",
            "position": 0,
            "kind": "open",
            "probability": 60,
            "stall_days": 14,
            "active": True,
        },
    ),
    (
        "deal",
        {
            "id": 1,
            "team_id": "T1",
            "number": 1,
            "name": "Müller Großauftrag",
            "company": "Müller GmbH",
            "amount_cents": 4_200_000,
            "currency": "EUR",
            "stage_id": 1,
            "owner_id": "U1",
            "created_by": "U1",
            "close_date": date(2026, 12, 15),
            "created_at": NOW,
            "updated_at": NOW,
            "last_activity_at": NOW,
            "version": 3,
        },
    ),
    ("deal_note", {"id": 1, "team_id": "T1", "deal_id": 1, "user_id": "U1", "text": "Rückruf", "at": NOW}),
    (
        "stage_change",
        {
            "id": 1,
            "team_id": "T1",
            "deal_id": 1,
            "from_stage_id": None,
            "to_stage_id": 1,
            "user_id": "U1",
            "at": NOW,
        },
    ),
    (
        "outbox",
        {
            "id": 1,
            "team_id": "T1",
            "key": "nudge:1",
            "kind": "nudge",
            "channel": "U1",
            "payload": "{}",
            "status": "sent",
            "not_before": NOW,
            "attempts": 1,
            "created_at": NOW,
        },
    ),
    (
        "slack_user",
        {
            "team_id": "T1",
            "user_id": "U1",
            "name": "alice",
            "tz": "Europe/Berlin",
            "locale": "de-DE",
            "is_admin": False,
            "deleted": False,
            "fetched_at": NOW,
        },
    ),
    ("deal_nudge", {"deal_id": 1, "team_id": "T1", "nudged_at": NOW, "snooze_reason": "Urlaub"}),
    (
        "qualification",
        {
            "id": 1,
            "team_id": "T1",
            "deal_id": 1,
            "deal_number": 1,
            "owner_id": "U1",
            "status": "active",
            "turn": 2,
            "started_by": "U1",
            "started_at": NOW,
            "updated_at": NOW,
        },
    ),
    (
        "qualification_answer",
        {
            "id": 1,
            "team_id": "T1",
            "qualification_id": 1,
            "question": "budget",
            "status": "yes",
            "min_cents": 4_000_000,
            "evidence": "etwa 40k",
            "answered_by": "U1",
            "answered_at": NOW,
        },
    ),
    (
        "slack_bots",
        {
            "id": 1,
            "client_id": "111.222",
            "app_id": "A1",
            "team_id": "T1",
            "bot_token": "xoxb-old",
            "is_enterprise_install": False,
            "installed_at": NOW.replace(tzinfo=None),
        },
    ),
]


def comparable(value):
    """Datetimes as naive UTC: SQLite gives them back without their zone."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def fill(url: str) -> dict[str, dict]:
    """Write ROWS into the tables this database has; returns what was written, per table."""
    engine = create_engine(normalise_url(url))
    written: dict[str, dict] = {}
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            for name, row in ROWS:
                if name in meta.tables:
                    table = meta.tables[name]
                    values = {k: v for k, v in row.items() if k in table.c}
                    conn.execute(table.insert().values(**values))
                    written[name] = values
    finally:
        engine.dispose()
    return written


def read_back(url: str, written: dict[str, dict]) -> dict[str, list[dict]]:
    engine = create_engine(normalise_url(url))
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {
                name: [dict(r._mapping) for r in conn.execute(select(meta.tables[name]))] for name in written
            }
    finally:
        engine.dispose()


def missing_schema(url: str) -> list[str]:
    """Every table and column of the models that the database lacks."""
    engine = create_engine(normalise_url(url))
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names())
        missing = []
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in tables:
                missing.append(table.name)
                continue
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in columns]
        return missing
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("commit", list(STATES))
def test_a_database_made_at_any_shipped_commit_upgrades_to_the_full_schema(commit, backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        upgrade(url, scripts=scripts_of(commit, tmp_path))  # the database that commit made
        written = fill(url)
        assert "deal" in written

        upgrade(url)  # today's code

        assert missing_schema(url) == []
        command.check(alembic_config(url))  # indexes and types too, as a fresh database has them
        for name, rows in read_back(url, written).items():
            assert len(rows) == 1, name
            kept = {k: comparable(rows[0][k]) for k in written[name]}
            assert kept == {k: comparable(v) for k, v in written[name].items()}, name


def test_the_states_cover_every_head_main_has_had():
    """The heads the stored states end at: one for each revision number main has shipped."""
    heads = {files[-1].split("_")[0] for _, files in STATES.values()}
    assert heads == {"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008"}
