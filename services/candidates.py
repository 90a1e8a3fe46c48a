"""Disqualify candidates for `/pipeline insights` (one read transaction)."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from domain import digest_schedule as schedule
from domain.disqualify import Candidate, candidates, overdue_cutoff
from domain.metrics import OPEN
from models import candidate_queries as cq
from models import digest_queries as q
from models.tables import Team


def compute(db: Database, team_id: str, now: datetime, owner: str | None = None) -> list[Candidate]:
    """Every candidate of the team, or of one owner."""
    with db.read() as s:
        team = s.get(Team, team_id)
        today = schedule.local_date(now, team.timezone if team else "UTC")
        open_ids = q.ids(q.stage_infos(s, team_id), OPEN)
        return candidates(
            cq.overdue(s, team_id, open_ids, overdue_cutoff(today), owner),
            cq.bant_disqualified(s, team_id, open_ids, owner),
            today,
        )
