"""Nurture use cases: `/deal nurture`, the sweep's nurture DMs (one transaction per team), and the
DM's buttons (Reopen, Not yet, Drop).

Exactly once: each DM is enqueued under the key nurture:<team>:<deal>:<day>, whose unique
constraint in the outbox refuses a second sweep's copy (or a concurrent one's) in the same
transaction that would add it; the outbox's sender then posts it once, through crashes and 429s.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.db import Database
from bot.i18n import Translator, translator
from domain.nudges import working_hours
from domain.nurture import KIND, Nurtured, NurtureRef, nurture_key
from domain.reminders import reminder_due
from domain.zones import zone
from models import deals as deal_queries
from models import nurture as nurture_queries
from models import preferences as pref_queries
from models.outbox import enqueue
from models.tables import Deal, SlackUser, Team
from models.teams import stages
from services.deals import Card, card_for
from services.nudge_sweep import Outgoing, TeamSweep, owners_due
from services.teams import ensure
from services.users import Profile, speaks


class NurtureViews(Protocol):
    """The nurture DM, rendered by the caller (views/nurture.py): a service imports no views."""

    def nurture_dm(self, _: Translator, deal: Nurtured) -> dict: ...


def lookups(db: Database, now: datetime, team_id: str | None = None) -> list[tuple[str, list[str]]]:
    """Per team with a nurtured deal whose day has come somewhere on earth and no DM yet, the owners
    whose profiles (timezone, still there) decide whether it has come for them."""
    return owners_due(db, team_id, lambda s, team: nurture_queries.due(s, team, now))


def record(
    db: Database,
    team_id: str,
    profiles: dict[str, Profile],
    now: datetime,
    views: NurtureViews,
    dry_run: bool = False,
) -> TeamSweep:
    """Enqueue (unless dry_run) one DM per nurtured deal whose day has come in its owner's timezone,
    in their working hours. An owner who left gets none; one Slack did not answer for waits."""
    result = TeamSweep(team_id)
    with db.read() if dry_run else db.write() as s:
        team = s.get(Team, team_id)
        if team is None:
            return result
        hours = working_hours(team.work_days, team.work_start, team.work_end)
        rows = nurture_queries.due(s, team_id, now)
        result.waiting = sorted({r.owner_id for r in rows if r.owner_id not in profiles})
        for row in rows:
            profile = profiles.get(row.owner_id)
            if profile is None or profile.deleted:
                continue
            if not reminder_due(row.nurture_on, now, zone(profile.tz, team.timezone), hours):
                continue
            _ = translator(speaks(profile, team.language), team.formal)  # the owner's language
            shown = Nurtured(row.number, row.name, row.lost_reason, row.nurture_on)
            out = Outgoing(
                KIND,
                nurture_key(team_id, row.id, row.nurture_on),
                row.owner_id,
                views.nurture_dm(_, shown),
                now,
            )
            if dry_run or enqueue(s, team_id, out.key, out.kind, out.channel, out.message, now):
                result.messages.append(out)
        if not dry_run:  # each owner's choice of DMs (`/deal notify`): a nurture DM is a reminder
            not_now = pref_queries.route(s, team_id, [(o.key, o.kind, o.channel) for o in result.messages])
            result.messages = [o for o in result.messages if o.key not in not_now]
    return result


def nurture(db: Database, team_id: str, number: int, on: date | None, now: datetime) -> Deal:
    """`/deal nurture #N <day>` (or `off`): one transaction; the deal's owner, managers and admins only
    (get_deal's access check); a lost deal only."""
    ensure(db, team_id, now)
    with db.write() as s:
        deal = deal_queries.get_deal(s, team_id, number, lock=True)
        if on is None:
            nurture_queries.stop(s, deal, now)
        else:
            nurture_queries.start(s, deal, on, now)
        return deal


# -- the nurture DM's buttons -------------------------------------------------------------------


def reopen(db: Database, team_id: str, user_id: str, ref: NurtureRef, now: datetime) -> Card:
    """One transaction: the deal back in the stage it was lost from (as `/deal reopen` does; the card
    then offers the other stages); move_deal marks it as come back."""
    with db.write() as s:
        deal = nurture_queries.shown_deal(s, team_id, ref, lock=True)
        target = deal_queries.reopen_stage(s, deal, stages(s, team_id))
        deal_queries.move_deal(s, deal, target, user_id, now)
        return card_for(s, team_id, deal, entered=target)


def for_not_yet(db: Database, team_id: str, user_id: str, ref: NurtureRef) -> tuple[Deal, ZoneInfo]:
    """The deal whose day the Not yet modal moves, if the DM is still current, and the rep's
    timezone (their today bounds the new day)."""
    with db.read() as s:
        deal = nurture_queries.shown_deal(s, team_id, ref)
        row, team = s.get(SlackUser, (team_id, user_id)), s.get(Team, team_id)
        return deal, zone(row.tz if row else None, team.timezone if team else "UTC")


def not_yet(db: Database, team_id: str, ref: NurtureRef, on: date, now: datetime) -> Deal:
    """One transaction: a new day to be reminded on (a new outbox key: one more DM, on that day)."""
    with db.write() as s:
        deal = nurture_queries.shown_deal(s, team_id, ref, lock=True)
        nurture_queries.start(s, deal, on, now)
        return deal


def drop(db: Database, team_id: str, ref: NurtureRef, now: datetime) -> Deal:
    """One transaction: no more reminders of the deal."""
    with db.write() as s:
        deal = nurture_queries.shown_deal(s, team_id, ref, lock=True)
        nurture_queries.stop(s, deal, now)
        return deal
