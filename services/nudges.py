"""The nudge's buttons: each checks that the deal is still as the nudge showed it, then acts (the
sweep that sends nudges is services/nudge_sweep.py)."""

from __future__ import annotations

from datetime import date, datetime

from bot.db import Database
from bot.i18n import N_, translator
from domain.errors import UserError
from domain.nudges import (
    WorkingHours,
    working_hours,
)
from models import deals as deal_queries
from models import nudges as nudge_queries
from models.tables import OPEN, Deal, DealNote, DealNudge, SlackUser, Stage, Team
from models.teams import lost_reasons
from services.lost_deals import close_as_lost


def fresh(db: Database, team_id: str, user_id: str, number: int, shown_stage: int | None) -> Deal:
    """The deal, if it is still as the nudge showed it (else a UserError with stale=True)."""
    with db.read() as s:
        deal = deal_queries.get_deal(s, team_id, number, check_access=False)
        nudge_queries.check_fresh(s, deal, shown_stage, user_id)
        return deal


def for_lost_form(db: Database, team_id: str, user_id: str, number: int, shown_stage: int | None):
    with db.read() as s:
        deal = deal_queries.get_deal(s, team_id, number, check_access=False)
        nudge_queries.check_fresh(s, deal, shown_stage, user_id)
        return deal, lost_reasons(s, team_id)


def note(
    db: Database, team_id: str, user_id: str, number: int, shown_stage: int | None, text: str, now: datetime
) -> Deal:
    with db.write() as s:
        deal = deal_queries.get_deal(s, team_id, number, lock=True, check_access=False)
        nudge_queries.check_fresh(s, deal, shown_stage, user_id)
        return deal_queries.add_note(s, team_id, number, user_id, text, now)


def move(
    db: Database,
    team_id: str,
    user_id: str,
    number: int,
    shown_stage: int | None,
    target_id: int | None,
    now: datetime,
) -> Stage:
    with db.write() as s:
        deal = deal_queries.get_deal(s, team_id, number, lock=True, check_access=False)
        nudge_queries.check_fresh(s, deal, shown_stage, user_id)
        target = s.get(Stage, target_id) if target_id else None
        if target is None or target.team_id != team_id or not target.active or target.kind != OPEN:
            raise UserError(N_("That stage no longer exists. Pick another."))
        deal_queries.move_deal(s, deal, target, user_id, now)
        return target


def lost(
    db: Database,
    team_id: str,
    user_id: str,
    number: int,
    shown_stage: int | None,
    reason_key: str | None,
    details: str | None,
    now: datetime,
    nurture_on: date | None = None,
) -> Deal:
    with db.write() as s:
        deal = deal_queries.get_deal(s, team_id, number, lock=True, check_access=False)
        nudge_queries.check_fresh(s, deal, shown_stage, user_id)
        # The rep's own words name a listed reason in the request's language (translator(None)).
        return close_as_lost(
            s, team_id, number, user_id, reason_key, details, translator(None), now, shown_stage, nurture_on
        )


def hours_of(db: Database, team_id: str) -> tuple[WorkingHours, str]:
    """The team's working hours and timezone (the snooze's "until a date" starts the owner's day)."""
    with db.read() as s:
        team = s.get(Team, team_id)
        if team is None:
            return working_hours(None, None, None), "Europe/Amsterdam"
        return working_hours(team.work_days, team.work_start, team.work_end), team.timezone


def snooze(
    db: Database,
    team_id: str,
    user_id: str,
    number: int,
    shown_stage: int | None,
    until: datetime,
    reason: str | None,
    now: datetime,
) -> Deal:
    """Hold the deal's nudges until `until`; deciding to wait is activity too, so its clock restarts."""
    with db.write() as s:
        deal = deal_queries.get_deal(s, team_id, number, lock=True, check_access=False)
        nudge_queries.check_fresh(s, deal, shown_stage, user_id)
        row = nudge_queries.nudge_row(s, deal)
        row.snoozed_until, row.snoozed_by, row.snooze_reason = until, user_id, reason
        deal.last_activity_at = deal.updated_at = now
        deal.version += 1
        s.add(deal)
        return deal


def state(db: Database, team_id: str, number: int) -> tuple[Deal, DealNudge | None, list[DealNote]]:
    """A deal, its nudge row and its notes (what the tests look at)."""
    with db.read() as s:
        deal = deal_queries.get_deal(s, team_id, number)
        notes = deal_queries.recent_notes(s, deal, limit=50)
        return deal, s.get(DealNudge, deal.id), notes


def timezone_of(db: Database, team_id: str, user_id: str) -> str:
    """The user's timezone as last seen in users.info (they were nudged, so it is cached), else the team's."""
    with db.read() as s:
        row = s.get(SlackUser, (team_id, user_id))
        team = s.get(Team, team_id)
        return (row.tz if row else None) or (team.timezone if team else "UTC")
