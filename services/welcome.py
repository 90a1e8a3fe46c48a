"""After an install: the installer's welcome DM, once, through the outbox (a retried or repeated
OAuth callback finds its key taken), and the workspace no longer marked as uninstalled."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from models.outbox import enqueue
from models.retention import clear_uninstalled

KIND = "welcome"


def installed(db: Database, team_id: str, installer: str, message: dict, now: datetime) -> bool:
    """True when the welcome was enqueued, False when this installer was welcomed before."""
    with db.write() as s:
        clear_uninstalled(s, team_id)  # at once, not at the housekeeping job's next tick
        return enqueue(s, team_id, f"welcome:{installer}", KIND, installer, message, now)
