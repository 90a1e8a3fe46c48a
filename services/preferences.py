"""A person's choice of DMs (`/deal notify`, the Home tab), and the daily summary that tells what
they held for it.

A held DM whose news is gone by then (the deal acted on, the step done) is left out and marked
stale (domain/summary_news.py). The summary is exactly once: it is enqueued under
summary:<team>:<person>:<their date>, whose unique key refuses a second sweep's copy, in the same
transaction that marks the held DMs it lists as folded (they are locked while it is made, so a
concurrent sweep cannot tell them again); the outbox's sender then posts it once, through crashes
and 429s.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Protocol

from bot.db import Database
from bot.i18n import Translator, translator
from domain.nudges import in_working_hours, working_hours
from domain.preferences import Change, Preferences
from domain.summary_news import still_news
from domain.zones import zone
from models import preferences as pref_queries
from models.delivery_tables import Outbox
from models.outbox import enqueue
from models.tables import Team, saved_id
from models.teams import ensure_team
from services.nudge_sweep import Outgoing, TeamSweep
from services.users import Profile, speaks

KIND = "summary"
LEFT = "account_inactive"  # Slack's error for a DM to a deactivated person: why their held DMs end


class SummaryViews(Protocol):
    """The summary DM, rendered by the caller (views/preferences.py): a service imports no views."""

    def summary(self, _: Translator, lines: list[str]) -> dict: ...


def current(db: Database, team_id: str, user_id: str) -> Preferences:
    with db.read() as s:
        return pref_queries.of(s, team_id, user_id)


def choose(db: Database, team_id: str, user_id: str, change: Change, now: datetime) -> Preferences:
    """One transaction: the person's choice read (locked), changed and saved; what it is now."""
    with db.write() as s:
        ensure_team(s, team_id, now)
        chosen = change.apply(pref_queries.of(s, team_id, user_id))
        pref_queries.save(s, team_id, user_id, chosen, now)
        return chosen


def lookups(db: Database, now: datetime, team_id: str | None = None) -> list[tuple[str, list[str]]]:
    """Per team, the people with held DMs due: whose profiles (timezone, language) the summary needs.
    Whoever holds a DM gets it in a summary, even after turning the summary off since."""
    found: dict[str, list[str]] = {}
    with db.read() as s:
        for team, person in pref_queries.holders(s, team_id, now):
            found.setdefault(team, []).append(person)
    return sorted((team, sorted(people)) for team, people in found.items())


def summaries(
    db: Database,
    team_id: str,
    profiles: dict[str, Profile],
    now: datetime,
    views: SummaryViews,
    dry_run: bool = False,
) -> TeamSweep:
    """One summary DM per person with held DMs, once a day, in their working hours and timezone."""
    result = TeamSweep(team_id)
    with db.read() if dry_run else db.write() as s:
        team = s.get(Team, team_id)
        if team is None:
            return result
        hours = working_hours(team.work_days, team.work_start, team.work_end)
        people = sorted({p for t, p in pref_queries.holders(s, team_id, now) if t == team_id})
        for person in people:
            profile = profiles.get(person)
            if profile is None:
                result.waiting.append(person)
                continue
            if profile.deleted:
                # They left: nobody will read what they held, and asking Slack about them on every
                # tick would never end. Their deals are the managers' (services/leavers.py).
                if not dry_run:
                    pref_queries.drop_held(s, team_id, person, LEFT)
                continue
            tz = zone(profile.tz, team.timezone)
            if not in_working_hours(now, tz, hours):
                continue
            held = pref_queries.held(s, team_id, person, now)
            if not held:
                continue  # a concurrent sweep told them
            deals = pref_queries.held_deals(s, team_id, person, held)
            rows: list[Outbox] = []
            stale: list[Outbox] = []
            for r in held:
                news = still_news(r.kind, r.key, r.created_at, person, deals[saved_id(r)])
                (rows if news else stale).append(r)
            if not dry_run:
                pref_queries.set_status(s, stale, pref_queries.STALE)
            if not rows:
                continue  # everything they held has been acted on since: nothing to tell
            _ = translator(speaks(profile, team.language), team.formal)
            lines = [json.loads(r.payload).get("text") or "" for r in rows]
            key = f"summary:{team_id}:{person}:{now.astimezone(tz).date().isoformat()}"
            out = Outgoing(KIND, key, person, views.summary(_, lines), now)
            if dry_run:
                result.messages.append(out)
            elif enqueue(s, team_id, out.key, out.kind, out.channel, out.message, now):
                pref_queries.set_status(s, rows, pref_queries.FOLDED)
                result.messages.append(out)
            # else today's summary went already: these wait for tomorrow's
    return result
