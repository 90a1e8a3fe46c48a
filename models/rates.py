"""Exchange rates' rows: a team's own and the shared feed's (team_id FEED)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from domain.rates import Rate, Rates
from models.settings_tables import ExchangeRate

FEED = ""


def put(session: Session, team_id: str, rate: Rate, by: str, now: datetime) -> bool:
    """Insert or replace the rate for that pair and day; False when it was already the same."""
    found = session.exec(
        select(ExchangeRate).where(
            ExchangeRate.team_id == team_id,
            ExchangeRate.currency == rate.currency,
            ExchangeRate.base == rate.base,
            ExchangeRate.day == rate.day,
        )
    ).first()
    text = str(rate.rate)
    if found is not None and Decimal(found.rate) == rate.rate:
        return False
    row = found or ExchangeRate(
        team_id=team_id,
        currency=rate.currency,
        base=rate.base,
        day=rate.day,
        rate=text,
        set_by=by,
        set_at=now,
    )
    row.rate, row.set_by, row.set_at = text, by, now
    session.add(row)
    return True


def rates_for(session: Session, team_id: str, since: date | None = None) -> Rates:
    """The team's own rates (all: an admin enters a handful) and the feed's from two weeks before
    `since` on (the ECB publishes on working days, so the rate in force on `since` is among them;
    a full-history file would otherwise be 200,000 rows)."""
    query = select(ExchangeRate).where(col(ExchangeRate.team_id).in_([team_id, FEED]))
    if since is not None:
        query = query.where(
            or_(col(ExchangeRate.team_id) != FEED, col(ExchangeRate.day) >= since - timedelta(days=14))
        )
    rows = session.exec(query)
    own: list[Rate] = []
    feed: list[Rate] = []
    for r in rows:
        (feed if r.team_id == FEED else own).append(Rate(r.currency, r.base, r.day, Decimal(r.rate)))
    return Rates(own, feed)


def own_rates(session: Session, team_id: str) -> list[ExchangeRate]:
    query = select(ExchangeRate).where(ExchangeRate.team_id == team_id)
    return list(session.exec(query.order_by(col(ExchangeRate.currency), col(ExchangeRate.day))))


def feed_latest_day(session: Session):
    """The newest day the ECB feed has rates for (None: no feed loaded)."""
    return session.exec(select(func.max(ExchangeRate.day)).where(ExchangeRate.team_id == FEED)).one()
