"""`/pipeline insights`: the stages that hold deals up, with the deals behind them (one read
transaction)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.db import Database
from domain import bottlenecks as b
from domain.metrics import OPEN, StageInfo, StalledDeal
from domain.open_deals import OpenDeal, oldest_in_stage
from domain.open_deals import ages as aged
from domain.stage_hygiene import Hygiene, hygiene
from models import digest_queries as q
from models import insight_queries
from services.teams import ensure


@dataclass
class Insights:
    stages: list[StageInfo]
    flows: list[b.StageFlow]
    standouts: list[b.StageFlow]
    behind: dict[int, list[StalledDeal]] = field(default_factory=dict)  # stage id -> its oldest deals
    hygiene: list[Hygiene] = field(default_factory=list)  # every active open stage's skips, speed, backs


def in_session(session, team_id: str, now: datetime, deals_now: list[OpenDeal] | None = None) -> Insights:
    """Now against the trailing window [now − 120 d, now − 30 d); this period is [now − 30 d, now).
    Inside the caller's read transaction (the digest's too, which hands in the deals open now:
    digest_queries.open_now, read once for all its figures)."""
    split = now - timedelta(days=b.PERIOD_DAYS)
    start = split - timedelta(days=b.TRAILING_DAYS)
    stages = q.stage_infos(session, team_id)
    open_ids = q.ids(stages, OPEN)
    exits = insight_queries.exits_between(session, team_id, open_ids, start, split, now)
    ages = (
        insight_queries.ages_now(session, team_id, open_ids, now)
        if deals_now is None
        else aged(deals_now, now)
    )
    found = b.flows(stages, ages, exits)
    top = b.standouts(found)
    behind = {
        f.stage.id: insight_queries.oldest_in_stage(session, team_id, f.stage.id, now)
        if deals_now is None
        else oldest_in_stage(deals_now, f.stage.id, now)
        for f in top
    }
    return Insights(stages, found, top, behind, hygiene(stages, exits))


def compute(db: Database, team_id: str, now: datetime) -> Insights:
    """The bottlenecks for `/pipeline insights`."""
    ensure(db, team_id, now)
    with db.read() as s:
        q.jit_off(s)
        return in_session(s, team_id, now)
