"""The migrations build exactly the schema the models describe, on both backends, and step back."""

import uuid

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import models  # noqa: F401 - registers the tables
from bot.db import normalise_url
from bot.migrate import alembic_config, downgrade, upgrade
from tests.conftest import BACKENDS, PG_ADMIN, PG_OK
from tests.databases import fresh_database

pytestmark = pytest.mark.slow  # real processes, crashes, fuzzing or all migrations


def test_sqlite_upgrade_head_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    command.check(alembic_config(url))  # raises when autogenerate would find any difference


def test_sqlite_every_revision_downgrades_and_upgrades_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'steps.db'}"
    upgrade(url)
    downgrade(url, "base")
    upgrade(url)
    command.check(alembic_config(url))


@pytest.mark.skipif(not PG_OK, reason="PostgreSQL unreachable")
def test_postgres_upgrade_head_matches_the_models():
    name = f"salesbot_mig_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url)
        command.check(alembic_config(url))
        downgrade(url, "base")
        upgrade(url)
        command.check(alembic_config(url))
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_index_the_models_declare_partial_is_partial_in_the_migrated_database(backend, tmp_path):
    """Autogenerate compares an index's columns, not its WHERE: a migration that forgot it would pass."""
    dialect = "sqlite" if backend == "sqlite" else "postgresql"
    declared = {
        index.name
        for table in SQLModel.metadata.tables.values()
        for index in table.indexes
        if index.dialect_options[dialect].get("where") is not None
    }
    with fresh_database(backend, tmp_path) as url:
        upgrade(url)
        engine = create_engine(normalise_url(url))
        try:
            found = inspect(engine)
            partial = {
                index["name"]
                for table in found.get_table_names()
                for index in found.get_indexes(table)
                if index.get("dialect_options", {}).get(f"{dialect}_where") is not None
            }
        finally:
            engine.dispose()
    assert "ix_deal_team_nurture" in declared
    assert partial == declared
