"""The forecast by month (`/pipeline forecast`, the digest's section) and its backtest
(`salesbot forecast --backtest`). Each is one read transaction: the stage history since the first
month it needs is read once and replayed in memory (domain/replay.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session

from bot.db import Database
from domain import forecast as fc
from domain.digest_schedule import local_date
from domain.metrics import LOST, OPEN, WON, StageInfo
from domain.months import add_months, local_midnight, quarter_start
from domain.open_deals import OpenDeal, by_close
from domain.replay import replay
from models import digest_queries
from models import forecast_queries as fq
from models.tables import Team
from services import conversion
from services.teams import ensure


@dataclass
class Computed:
    forecast: fc.Forecast
    stages: list[StageInfo]
    timezone: str


@dataclass
class Replayed:
    backtest: fc.Backtest
    stages: list[StageInfo]
    team_id: str


def _months(
    session: Session,
    team_id: str,
    stages: list[StageInfo],
    firsts: list[date],
    timezone: str,
    now: list[OpenDeal] | None = None,
):
    """The months `firsts` (consecutive) rebuilt from the history since the first of them, from
    the deals open now when the caller has read them (digest_queries.open_now)."""
    starts = [local_midnight(f, timezone) for f in [*firsts, add_months(firsts[-1], 1)]]
    ends = [add_months(f, 1) for f in firsts]
    open_ids, won_ids, closed_ids = (
        digest_queries.ids(stages, OPEN),
        digest_queries.ids(stages, WON),
        digest_queries.ids(stages, WON, LOST),
    )
    won = fq.won_by_month(session, team_id, starts, ends, won_ids, closed_ids)
    pipeline = fq.pipeline_now(session, team_id, open_ids, ends) if now is None else by_close(now, ends)
    return replay(
        firsts,
        pipeline,
        fq.changes_since(session, team_id, starts, ends),
        won,
        set(open_ids),
    )


def in_session(
    session: Session, team: Team, now: datetime, deals_now: list[OpenDeal] | None = None
) -> fc.Forecast:
    """The forecast at `now`, inside the caller's read transaction (the digest's too, which hands
    in the deals open now: digest_queries.open_now, read once for all its figures)."""
    stages = digest_queries.stage_infos(session, team.id)
    today = local_date(now, team.timezone)
    first = today.replace(day=1)
    # One month more than the trailing window: last month is checked against the six before it.
    firsts = [add_months(first, k) for k in range(-fc.TRAILING_MONTHS - 1, 0)]
    months = _months(session, team.id, stages, firsts, team.timezone, deals_now)
    bounds = fc.bucket_bounds(today)
    open_now = (
        fq.pipeline_at(session, team.id, now, digest_queries.ids(stages, OPEN), bounds)
        if deals_now is None
        else by_close(deals_now, bounds, made_before=True)
    )
    month_start = local_midnight(first, team.timezone)
    quarter = local_midnight(quarter_start(today), team.timezone)
    won_ids, closed_ids = digest_queries.ids(stages, WON), digest_queries.ids(stages, WON, LOST)
    won_month, won_quarter = fq.won_since(session, team.id, [month_start, quarter], now, won_ids, closed_ids)
    last_start = local_midnight(firsts[-1], team.timezone)
    converted = conversion.forecast_inputs(
        session, team, stages, now, open_now, months, won_quarter, (last_start, month_start, quarter)
    )
    if converted is None:
        return fc.forecast(stages, open_now, months, today, won_month, won_quarter)
    open_now, months, won_month, won_quarter, label = converted
    return replace(fc.forecast(stages, open_now, months, today, won_month, won_quarter), converted=label)


def compute(db: Database, team_id: str, now: datetime) -> Computed:
    """The forecast for `/pipeline forecast`."""
    ensure(db, team_id, now)
    with db.read() as s:
        digest_queries.jit_off(s)
        team = s.get(Team, team_id)
        if team is None:
            raise LookupError(f"no team {team_id}")
        return Computed(in_session(s, team, now), digest_queries.stage_infos(s, team_id), team.timezone)


def backtest(db: Database, team_id: str, as_of: datetime, months: int = 12) -> Replayed:
    """At the start of each of the `months` months before `as_of`'s month, what each method
    predicted for that month, against what was won in it."""
    with db.read() as s:
        digest_queries.jit_off(s)
        team = s.get(Team, team_id)
        if team is None:
            raise LookupError(f"no team {team_id}")
        stages = digest_queries.stage_infos(s, team_id)
        first = local_date(as_of, team.timezone).replace(day=1)
        firsts = [add_months(first, k) for k in range(-months - fc.TRAILING_MONTHS, 0)]
        replayed = _months(s, team_id, stages, firsts, team.timezone)
    return Replayed(fc.backtest(stages, replayed), stages, team_id)
