"""`/pipeline team`: each rep's load and results against the team's (one read transaction)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.db import Database
from domain import digest_schedule as schedule
from domain.metrics import LOST, OPEN, WON
from domain.rep_load import Load, rep_load
from models import digest_queries as q
from models import flow_queries, rep_queries
from models.tables import Team
from services import conversion
from services.teams import ensure


def compute(db: Database, team_id: str, now: datetime) -> Load:
    """Open deals now; win rates, cycles and stage conversion over the digest's trailing window
    ending now."""
    ensure(db, team_id, now)
    with db.read() as s:
        q.jit_off(s)
        team = s.get(Team, team_id)
        timezone = team.timezone if team else "UTC"
        stages = q.stage_infos(s, team_id)
        start = schedule.wall_clock_minus(now, timezone, schedule.WINDOW_DAYS)
        closed = [g for g in q.closed_between(s, team_id, stages, start, now) if g.kind in (WON, LOST)]
        open_now = rep_queries.open_by_owner(s, team_id, q.ids(stages, OPEN))
        converted = conversion.rep_open(s, team, now, open_now) if team else None
        load = rep_load(
            open_now if converted is None else converted[0],
            closed,
            schedule.WINDOW_DAYS,
            stages,
            flow_queries.entered_by_owner(s, team_id, stages, start, now),
        )
        return load if converted is None else replace(load, converted=converted[1])
