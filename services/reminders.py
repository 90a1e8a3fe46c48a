"""Due-reminder use cases: the sweep's reminders (one transaction per team) and the reminder's buttons.

Exactly once: each reminder is enqueued under the key reminder:<team>:<deal>:<due date>[:<step>], whose
unique constraint in the outbox refuses a second sweep's copy (or a concurrent one's) in the same
transaction that would add it; the outbox's sender then posts it once, through crashes and 429s.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.db import Database
from bot.i18n import Translator, translator
from domain.nudges import working_hours
from domain.reminders import (
    KIND,
    DueStep,
    ReminderRef,
    overdue_list_key,
    overdue_since,
    reminder_due,
    reminder_key,
)
from domain.zones import zone
from models import preferences as pref_queries
from models import reminders as reminder_queries
from models.outbox import enqueue
from models.tables import Deal, SlackUser, Team
from services.nudge_sweep import Outgoing, TeamSweep, owners_due
from services.users import Profile, speaks


class ReminderViews(Protocol):
    """The reminder DM, rendered by the caller (views/reminders.py): a service imports no views."""

    def reminder(self, _: Translator, step: DueStep, overdue_since: date | None) -> dict: ...

    def overdue_list(self, _: Translator, steps: list[DueStep]) -> dict: ...


def _due(team: Team, rows: list, profiles: dict[str, Profile], now: datetime) -> list:
    """The rows whose step is due now in its owner's timezone and hours. An owner who left gets none
    (the nudge's report on their deals tells the team); one Slack did not answer for waits."""
    hours = working_hours(team.work_days, team.work_start, team.work_end)
    due = []
    for row in rows:
        profile = profiles.get(row.owner_id)
        if profile is None or profile.deleted:
            continue
        if reminder_due(row.next_step_due, now, zone(profile.tz, team.timezone), hours):
            due.append(row)
    return due


def lookups(db: Database, now: datetime, team_id: str | None = None) -> list[tuple[str, list[str]]]:
    """Per team with a step due somewhere on earth today or before and not reminded yet, the owners
    whose profiles (timezone, still there) decide whether it is due for them now."""
    return owners_due(db, team_id, lambda s, team: reminder_queries.due_steps(s, team, now))


def record(
    db: Database,
    team_id: str,
    profiles: dict[str, Profile],
    now: datetime,
    views: ReminderViews,
    dry_run: bool = False,
) -> TeamSweep:
    """Enqueue (unless dry_run) one reminder per step due today whose owner is in working hours now,
    and one DM for an owner's overdue steps (a list when there are several: each step's own key is
    enqueued too, folded into it, so a second sweep finds every one reminded). Each DM then takes the
    status its owner's choice says (models.preferences.route), in the same transaction. The result
    lists only what is sent now (a key taken already is a repeat, not news)."""
    result = TeamSweep(team_id)
    with db.read() if dry_run else db.write() as s:
        team = s.get(Team, team_id)
        if team is None:
            return result
        rows = reminder_queries.due_steps(s, team_id, now)
        result.waiting = sorted({r.owner_id for r in rows if r.owner_id not in profiles})
        by_owner: dict[str, list] = {}
        for row in _due(team, rows, profiles, now):
            by_owner.setdefault(row.owner_id, []).append(row)
        for owner, owned in by_owner.items():
            profile = profiles[owner]
            tz = zone(profile.tz, team.timezone)
            _ = translator(speaks(profile, team.language), team.formal)
            today = [r for r in owned if overdue_since(r.next_step_due, now, tz) is None]
            late = [r for r in owned if r not in today]
            outgoing = [_one(team_id, views, _, r, now, tz) for r in today]
            folded: list[str] = []
            if len(late) == 1:
                outgoing.append(_one(team_id, views, _, late[0], now, tz))
            elif late:
                folded = [_key(team_id, r) for r in late]
                steps = [_step(r) for r in late]
                message = views.overdue_list(_, steps)
                outgoing.append(Outgoing(KIND, overdue_list_key(team_id, owner, folded), owner, message, now))
            if dry_run:
                result.messages.extend(outgoing)
                continue
            for key in folded:  # recorded as reminded: the list tells of them
                enqueue(s, team_id, key, KIND, owner, {"text": "", "blocks": []}, now)
            pref_queries.fold(s, team_id, folded)
            fresh = [o for o in outgoing if enqueue(s, team_id, o.key, o.kind, o.channel, o.message, now)]
            not_now = pref_queries.route(s, team_id, [(o.key, o.kind, o.channel) for o in fresh])
            result.messages.extend(o for o in fresh if o.key not in not_now)
    return result


def _step(row) -> DueStep:
    return DueStep(row.number, row.name, row.next_step, row.next_step_due, row.next_step_seq)


def _key(team_id: str, row) -> str:
    return reminder_key(team_id, row.id, row.next_step_due, row.next_step_seq)


def _one(team_id: str, views: ReminderViews, _: Translator, row, now: datetime, tz: ZoneInfo) -> Outgoing:
    since = overdue_since(row.next_step_due, now, tz)
    return Outgoing(KIND, _key(team_id, row), row.owner_id, views.reminder(_, _step(row), since), now)


# -- the reminder's buttons ---------------------------------------------------------------------


def done(db: Database, team_id: str, ref: ReminderRef, now: datetime) -> Deal:
    """One transaction: the step cleared, and the deal's activity with it."""
    with db.write() as s:
        return reminder_queries.mark_done(s, team_id, ref, now)


def for_snooze(db: Database, team_id: str, user_id: str, ref: ReminderRef) -> tuple[Deal, ZoneInfo]:
    """The deal whose step the Snooze modal moves, and the rep's timezone (their today bounds the date)."""
    with db.read() as s:
        deal = reminder_queries.shown_deal(s, team_id, ref)
        return deal, _timezone(s, team_id, user_id)


def snooze(db: Database, team_id: str, ref: ReminderRef, due: date, now: datetime) -> Deal:
    """One transaction: the step's due date moved, and the deal's activity with it."""
    with db.write() as s:
        return reminder_queries.move_due(s, team_id, ref, due, now)


def _timezone(s, team_id: str, user_id: str) -> ZoneInfo:
    row = s.get(SlackUser, (team_id, user_id))
    team = s.get(Team, team_id)
    return zone(row.tz if row else None, team.timezone if team else "UTC")
