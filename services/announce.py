"""Celebrate in the team channel: each won deal, and each new deal over the team's amount, told once.

Checked each tick (as goal thresholds are, services/goals.py) rather than where a deal is won or
added, so a deal won by command, card, form or import counts the same way. Exactly once: each post
is enqueued under announce:won:<deal>:<closed at> or announce:new:<deal>, whose unique key in the
outbox refuses a second tick's copy; the outbox's sender posts it once, through crashes and 429s,
and a channel the bot is not in takes the not_in_channel path (services/bot_missing.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.db import Database
from bot.i18n import Translator, translator
from domain.digest_schedule import local_date
from models import rates as rate_queries
from models.delivery_tables import Outbox
from models.outbox import enqueue
from models.tables import OPEN, WON, Deal, Stage, Team, not_archived, saved_id

KIND = "announce"
# How far back a tick looks: wide enough to outlast a scheduler outage of a day, narrow enough that
# turning announcements on tells only the last day's deals, not the team's history.
WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class Won:
    """A won deal as its announcement shows it."""

    deal: Deal
    days_to_close: int


@dataclass(frozen=True)
class Added:
    """A new deal over the team's amount, and the stage it starts in; a deal in another currency than
    the team's with its amount converted at today's rate (what made it big), in the team currency."""

    deal: Deal
    stage: Stage
    converted: tuple[int, str] | None = None  # (cents, the team currency)


class AnnounceViews(Protocol):
    """The channel posts, rendered by the caller (views/announce.py): a service imports no views."""

    def won(self, _: Translator, item: Won) -> dict: ...

    def added(self, _: Translator, item: Added) -> dict: ...


def teams_to_check(db: Database) -> list[str]:
    """Installed teams with a channel and an announcement switched on."""
    with db.read() as s:
        query = select(Team.id).where(
            col(Team.channel_id).is_not(None),
            col(Team.uninstalled_at).is_(None),
            (col(Team.announce_won).is_(True)) | (col(Team.announce_over_cents).is_not(None)),
        )
        return sorted(s.exec(query))


def won_key(deal: Deal) -> str:
    """A deal reopened and won again is news again: its close time is part of the key."""
    assert deal.closed_at is not None
    return f"announce:won:{saved_id(deal)}:{deal.closed_at.isoformat()}"


def added_key(deal: Deal) -> str:
    return f"announce:new:{saved_id(deal)}"


def announce(db: Database, team_id: str, now: datetime, views: AnnounceViews) -> int:
    """One transaction: enqueue the posts of the deals won or added in the window and not told yet.
    Returns how many were enqueued."""
    with db.write() as s:
        team = s.get(Team, team_id)
        if team is None or not team.channel_id:
            return 0
        _ = translator(team.language, team.formal)
        since = now - WINDOW
        posts: list[tuple[str, dict]] = []
        if team.announce_won:
            rows = s.exec(
                select(Deal)
                .join(Stage, col(Stage.id) == col(Deal.stage_id))
                .where(
                    Deal.team_id == team_id,
                    Stage.kind == WON,
                    not_archived(),  # out of everything the team sees
                    col(Deal.closed_at) >= since,
                    col(Deal.closed_at) <= now,
                )
                .order_by(col(Deal.closed_at))
            )
            for deal in rows:
                assert deal.closed_at is not None
                days = max(0, (deal.closed_at - deal.created_at).days)
                posts.append((won_key(deal), views.won(_, Won(deal, days))))
        if team.announce_over_cents is not None:
            for big in _big_new_deals(s, team, team.announce_over_cents, since, now):
                posts.append((added_key(big.deal), views.added(_, big)))
        if not posts:
            return 0
        told = set(
            s.exec(
                select(Outbox.key).where(
                    Outbox.team_id == team_id, col(Outbox.key).in_([key for key, _m in posts])
                )
            )
        )
        added = 0
        for key, message in posts:
            if key not in told and enqueue(s, team_id, key, KIND, team.channel_id, message, now):
                added += 1
        return added


def _big_new_deals(s: Session, team: Team, over_cents: int, since: datetime, now: datetime) -> list[Added]:
    """The open deals added in the window whose amount is over `over_cents` of the team currency: a
    deal in another currency converted at today's rate (as /pipeline totals open deals), and not
    told without a rate for it."""
    rows = s.exec(
        select(Deal, Stage)
        .join(Stage, col(Stage.id) == col(Deal.stage_id))
        .where(
            Deal.team_id == team.id,
            Stage.kind == OPEN,
            not_archived(),
            # In the team currency the database compares; another currency is converted below.
            or_(col(Deal.currency) != team.currency, col(Deal.amount_cents) > over_cents),
            col(Deal.amount_cents).is_not(None),
            col(Deal.created_at) >= since,
            col(Deal.created_at) <= now,
        )
        .order_by(col(Deal.created_at))
    )
    found = list(rows)
    if all(deal.currency == team.currency for deal, _stage in found):
        return [Added(deal, stage) for deal, stage in found]
    today = local_date(now, team.timezone)
    rates = rate_queries.rates_for(s, team.id, since=today)
    big = []
    for deal, stage in found:
        assert deal.amount_cents is not None  # the query keeps only deals with an amount
        if deal.currency == team.currency:
            big.append(Added(deal, stage))  # compared in the query
            continue
        converted = rates.convert(deal.amount_cents, deal.currency, team.currency, today)
        if converted is not None and converted > over_cents:
            big.append(Added(deal, stage, (converted, team.currency)))
    return big
