"""Exchange rates: an admin's own (`/pipeline rates set USD 0.92 [from:2026-11-01]`), the ECB feed
(`SALESBOT_ECB_URL`, read by scheduler/rates.py, or `salesbot rates --load FILE`), and what a team
converts with. Rates are for totals a manager reads; a deal keeps its own currency and amount."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.db import Database
from bot.i18n import N_
from domain.dates import DateError, parse_date
from domain.digest_schedule import local_date
from domain.errors import UserError, clean
from domain.rates import Rate, RateError, parse_ecb, parse_rate
from models import rates as rate_queries
from models.settings_tables import ExchangeRate
from models.tables import Team
from services.teams import ensure

USAGE = N_(
    "Set a rate like `/pipeline rates set USD 0.92`: one US dollar is worth 0.92 of the team currency."
)


@dataclass(frozen=True)
class RateTable:
    currency: str  # the team currency, what the rates convert to
    own: list[ExchangeRate]
    feed_day: date | None  # the newest day of the ECB feed's rates, if any


def set_rate(db: Database, team_id: str, by: str, text: str, now: datetime) -> Rate:
    """`USD 0.92 [from:<date>]`: 1 USD = 0.92 of the team currency from that day (default today).
    The caller has checked that `by` may (a manager or an admin). One transaction."""
    words = clean(text).split()
    if len(words) not in (2, 3):
        raise UserError(USAGE)
    currency = words[0].upper()
    if len(currency) != 3 or not currency.isalpha():
        raise UserError(
            N_("`{code}` is not a currency code. Use three letters, like USD."), code=words[0][:10]
        )
    try:
        value = parse_rate(words[1])
    except RateError as exc:
        raise UserError(
            N_("`{rate}` is not a rate. Give a positive number, like 0.92."), rate=words[1][:20]
        ) from exc
    ensure(db, team_id, now)
    with db.write() as s:
        team = s.get(Team, team_id)
        assert team is not None  # ensure() made it
        if currency == team.currency:
            raise UserError(N_("{code} is the team currency: it needs no rate."), code=currency)
        day = local_date(now, team.timezone)
        if len(words) == 3:
            given = words[2].removeprefix("from:")
            try:
                day = parse_date(given, day)
            except DateError as exc:
                raise UserError(N_("I can't read the date `{date}`."), date=given[:40]) from exc
        rate = Rate(currency, team.currency, day, value)
        rate_queries.put(s, team_id, rate, by, now)
        return rate


def table(db: Database, team_id: str, now: datetime) -> RateTable:
    ensure(db, team_id, now)
    with db.read() as s:
        team = s.get(Team, team_id)
        assert team is not None
        return RateTable(team.currency, rate_queries.own_rates(s, team_id), rate_queries.feed_latest_day(s))


def load_feed(db: Database, data: bytes, now: datetime) -> int:
    """Store an ECB file's rates for every team; returns how many were new or changed. RateError
    when the file is not one (nothing is stored then). One transaction."""
    rates = parse_ecb(data)
    with db.write() as s:
        return sum(rate_queries.put(s, rate_queries.FEED, r, "ecb", now) for r in rates)


@dataclass(frozen=True)
class Converted:
    """A pipeline's totals in the team currency, each currency at the rate in force on `day`."""

    currency: str
    cents: int
    weighted: int
    day: date | None  # the newest rate's day: "converted at rates of <day>"
    missing: tuple[str, ...]  # currencies without a rate: left out of the sums


def convert_totals(
    db: Database, team_id: str, now: datetime, values: list[dict[str, int]], weighted: dict[str, int]
) -> Converted | None:
    """The pipeline's stages' values per currency (and the weighted forecast), at today's rate.
    None when there is nothing to convert (one currency, or no rates)."""
    totals: dict[str, int] = {}
    for stage in values:
        for currency, cents in stage.items():
            totals[currency] = totals.get(currency, 0) + cents
    with db.read() as s:
        team = s.get(Team, team_id)
        if team is None or set(totals) <= {team.currency}:
            return None
        today = local_date(now, team.timezone)
        rates = rate_queries.rates_for(s, team_id, since=today)
    if not rates:
        return None
    cents = weighted_cents = 0
    missing = []
    for currency in sorted(totals):
        value = rates.convert(totals[currency], currency, team.currency, today)
        if value is None:
            missing.append(currency)
            continue
        cents += value
        weighted_cents += rates.convert(weighted.get(currency, 0), currency, team.currency, today) or 0
    return Converted(team.currency, cents, weighted_cents, rates.latest(today), tuple(missing))
