"""The migrations build exactly the schema the models describe, on both backends, and step back."""

import uuid

import psycopg
import pytest
from alembic import command

from bot.migrate import alembic_config, downgrade, upgrade
from tests.conftest import PG_ADMIN, PG_OK

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
