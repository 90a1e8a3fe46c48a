"""The digest's and the forecast's figures in the team currency, inside the caller's read
transaction: the team's rates and the deals closed in each window (one row each) are read here,
the arithmetic is domain/conversion.py. Nothing happens without rates, or when every amount is in
the team currency already."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlmodel import Session

from domain import digest_schedule as schedule
from domain.conversion import (
    ConvertedAt,
    Converter,
    convert_facts,
    convert_month,
    convert_pipeline,
    needed,
    won_total,
)
from domain.metrics import Facts, Money, StageInfo
from domain.rep_load import OwnerOpen
from domain.replay import Month, PipelineGroup
from models import close_queries
from models import rates as rate_queries
from models.tables import Team


def _converter(s: Session, team: Team, since: date, currencies: set[str]) -> Converter | None:
    if not currencies - {team.currency}:
        return None  # checked before reading any rate: the common case costs nothing
    rates = rate_queries.rates_for(s, team.id, since=since)
    return Converter(rates, team.currency) if needed(rates, team.currency, currencies) else None


def digest_facts(
    s: Session, team: Team, window: schedule.Window, f: Facts
) -> tuple[Facts, ConvertedAt] | None:
    """The digest's facts converted (open deals at the rate of the digest's day, closed ones at the
    rate of the day each closed), and the label to show; None: per currency, as without rates."""
    currencies = {
        g.currency
        for rows in (f.open_now, f.open_before, f.closed_week, f.closed_window, f.new_week)
        for g in rows
    }
    since = schedule.local_date(window.window_start, team.timezone)
    cv = _converter(s, team, since, currencies)
    if cv is None:
        return None
    week = close_queries.closes_between(s, team.id, f.stages, window.week_start, window.as_of)
    whole = close_queries.closes_between(s, team.id, f.stages, window.window_start, window.as_of)
    converted = convert_facts(f, week, whole, cv, window.today, team.timezone)
    return converted, cv.label(window.today)


def forecast_inputs(
    s: Session,
    team: Team,
    stages: list[StageInfo],
    now: datetime,
    open_now: list[PipelineGroup],
    months: list[Month],
    won: Money,
    windows: tuple[datetime, datetime, datetime],
) -> tuple[list[PipelineGroup], list[Month], Money, Money, ConvertedAt] | None:
    """The forecast's open deals at today's rate, last month's check (due at the rate of its first
    day, won at each deal's), and won so far this month and quarter at each deal's rate. `won`: the
    quarter's wins per currency; `windows`: the starts of last month, this month and this quarter."""
    last_start, month_start, quarter_start = windows
    currencies = {g.currency for g in open_now} | set(won)
    for m in months[-1:]:
        currencies |= {c for _, c in m.due_cents} | set(m.won)
    today = schedule.local_date(now, team.timezone)
    cv = _converter(s, team, schedule.local_date(min(last_start, quarter_start), team.timezone), currencies)
    if cv is None or not months:
        return None
    quarter = close_queries.closes_between(s, team.id, stages, quarter_start, now)
    last_month = close_queries.closes_between(s, team.id, stages, last_start, month_start)
    return (
        convert_pipeline(open_now, cv, today),
        [*months[:-1], convert_month(months[-1], last_month, cv, team.timezone)],
        won_total(quarter, cv, team.timezone, since=month_start),
        won_total(quarter, cv, team.timezone),
        cv.label(today),
    )


def rep_open(
    s: Session, team: Team, now: datetime, groups: list[OwnerOpen]
) -> tuple[list[OwnerOpen], ConvertedAt] | None:
    """`/pipeline team`'s open values at today's rate; None: per currency, as without rates."""
    today = schedule.local_date(now, team.timezone)
    cv = _converter(s, team, today, {g.currency for g in groups})
    if cv is None:
        return None
    return [replace(g, currency=cv.to, cents=cv.one(g.cents, g.currency, today)) for g in groups], cv.label(
        today
    )
