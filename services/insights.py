"""`/pipeline insights`: the stages that hold deals up, with the deals behind them (one read
transaction)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.db import Database
from domain import bottlenecks as b
from domain.metrics import OPEN, StageInfo, StalledDeal
from models import digest_queries as q
from models import insight_queries
from services.teams import ensure


@dataclass
class Insights:
    stages: list[StageInfo]
    flows: list[b.StageFlow]
    standouts: list[b.StageFlow]
    behind: dict[int, list[StalledDeal]] = field(default_factory=dict)  # stage id -> its oldest deals


def compute(db: Database, team_id: str, now: datetime) -> Insights:
    """Now against the trailing window [now − 120 d, now − 30 d); this period is [now − 30 d, now)."""
    ensure(db, team_id, now)
    split = now - timedelta(days=b.PERIOD_DAYS)
    start = split - timedelta(days=b.TRAILING_DAYS)
    with db.read() as s:
        q.tune(s)
        stages = q.stage_infos(s, team_id)
        open_ids = q.ids(stages, OPEN)
        found = b.flows(
            stages,
            insight_queries.ages_now(s, team_id, open_ids, now),
            insight_queries.exits_between(s, team_id, open_ids, start, split, now),
        )
        top = b.standouts(found)
        behind = {f.stage.id: insight_queries.oldest_in_stage(s, team_id, f.stage.id, now) for f in top}
    return Insights(stages, found, top, behind)
