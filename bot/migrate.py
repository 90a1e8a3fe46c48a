"""Applying the Alembic migrations that ship inside the package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

import models
from bot.db import Database

SCRIPTS = Path(models.__file__).parent / "migrations"
# Any fixed 64-bit number, the same in every replica: the key of the advisory lock migrations hold.
MIGRATION_LOCK = 0x5A1E5B07


def alembic_config(url: str, scripts: Path = SCRIPTS) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head", scripts: Path = SCRIPTS) -> None:
    _locked(url, scripts, lambda cfg: command.upgrade(cfg, revision))


def downgrade(url: str, revision: str) -> None:
    _locked(url, SCRIPTS, lambda cfg: command.downgrade(cfg, revision))


def _locked(url: str, scripts: Path, migrate: Callable[[Config], None]) -> None:
    """Run `migrate` on one connection that holds the migration lock on PostgreSQL.

    Two replicas starting at once would both create the same tables and one would fail; with the
    lock the second waits, then reads the version the first wrote and finds nothing to do. SQLite
    needs none: a second writer waits on the database file's own lock.
    """
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            if not db.is_sqlite:
                # A session lock, so it outlives the transactions Alembic commits; released below,
                # or by PostgreSQL when the connection ends (a migrator that dies frees it).
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
                conn.commit()
            cfg = alembic_config(url, scripts)
            cfg.attributes["connection"] = conn
            try:
                migrate(cfg)
            finally:
                if not db.is_sqlite:
                    conn.rollback()
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                    conn.commit()
    finally:
        db.dispose()
