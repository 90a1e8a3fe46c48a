"""Migrations build the schema the models describe, on both databases."""

from alembic import command
from sqlalchemy import inspect

from bot.db import Database
from bot.migrate import alembic_config, upgrade


def test_upgrade_head_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    command.check(alembic_config(url))  # raises when the models and the migrations differ


def test_postgres_schema_matches_the_models(db):
    # `db` was migrated to head by the fixture, on SQLite and on PostgreSQL.
    command.check(alembic_config(db.url))
    tables = set(inspect(db.engine).get_table_names())
    assert {"team", "stage", "deal", "stage_change", "deal_note", "outbox", "slack_user"} <= tables


def test_downgrade_to_base_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    assert set(inspect(Database(url).engine).get_table_names()) <= {"alembic_version"}
    upgrade(url)
