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

from sqlmodel import col, select

from bot.db import Database
from bot.i18n import Translator, translator
from models.delivery_tables import Outbox
from models.outbox import enqueue
from models.tables import OPEN, WON, Deal, Stage, Team, saved_id

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
    """A new deal over the team's amount, and the stage it starts in."""

    deal: Deal
    stage: Stage


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
            rows2 = s.exec(
                select(Deal, Stage)
                .join(Stage, col(Stage.id) == col(Deal.stage_id))
                .where(
                    Deal.team_id == team_id,
                    Stage.kind == OPEN,
                    Deal.currency == team.currency,  # the amount is the team's default currency
                    col(Deal.amount_cents) > team.announce_over_cents,
                    col(Deal.created_at) >= since,
                    col(Deal.created_at) <= now,
                )
                .order_by(col(Deal.created_at))
            )
            for deal, stage in rows2:
                posts.append((added_key(deal), views.added(_, Added(deal, stage))))
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
