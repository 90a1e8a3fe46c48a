"""Applying the Alembic migrations that ship inside the package.

`python -m bot.migrate` is how `salesbot serve` migrates: in a child process, so Alembic, Mako and
the migration scripts (about 10 MB) are never loaded into the long-running bot. It reads a JSON
object on stdin (the database URL, which may hold a password, stays out of the process list),
logs as the parent would, and prints the head revision on success.
"""

from __future__ import annotations

import json
import logging
import sys
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


def head(scripts: Path = SCRIPTS) -> str | None:
    """The revision the shipped migrations end at: what a migrated database is at."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://", scripts)).get_current_head()


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
                # Waiting for another replica's migration, and a migration itself, may take longer
                # than a request's statement timeout (bot/db.py).
                conn.execute(text("SET statement_timeout = 0"))
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


def main() -> int:
    from bot import logs

    job = json.load(sys.stdin)
    logs.setup(job.get("level", "INFO"), job.get("format", "text"), job.get("secrets"))
    try:
        upgrade(job["url"])
    except Exception as exc:  # logged in the bot's format (JSON too), with the traceback, redacted
        logging.getLogger(__name__).exception("the migration failed: %s", exc)
        return 1
    print(head())
    return 0


if __name__ == "__main__":
    sys.exit(main())
