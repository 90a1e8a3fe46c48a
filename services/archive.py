"""Archiving a deal: managers and admins take a deal out of sight (lists, Home, totals, digest,
forecast, nudges, reminders: models.tables.not_archived) and bring it back. The history and the
export keep it; an archived deal can be shown (`/deal #N`), not changed (models.deals.get_deal)."""

from __future__ import annotations

from datetime import datetime

from bot.db import Database
from bot.i18n import N_
from domain.errors import UserError
from models import deals as deal_queries
from models.access import is_manager
from services.deals import Card, card_for
from services.teams import ensure


def may_archive(db: Database, team_id: str, user_id: str) -> bool:
    """Whether the Edit form offers this person its Archive button."""
    with db.read() as s:
        return is_manager(s, team_id, user_id)


def archive(db: Database, team_id: str, user_id: str, number: int, now: datetime) -> Card:
    """One transaction: the deal archived, by whom and when; a rep is refused."""
    ensure(db, team_id, now)
    with db.write() as s:
        _check_manager(s, team_id, user_id)
        deal = deal_queries.get_deal(s, team_id, number, lock=True, archived_ok=True)
        if deal.archived_at is not None:
            raise UserError(N_("Deal #{number} is archived already."), number=number)
        deal.archived_at, deal.archived_by = now, user_id
        deal.updated_at, deal.version = now, deal.version + 1  # a change, not work on the deal
        s.add(deal)
        return card_for(s, team_id, deal)


def unarchive(db: Database, team_id: str, user_id: str, number: int, now: datetime) -> Card:
    """One transaction: the deal back in the lists and totals, as it was."""
    ensure(db, team_id, now)
    with db.write() as s:
        _check_manager(s, team_id, user_id)
        deal = deal_queries.get_deal(s, team_id, number, lock=True, archived_ok=True)
        if deal.archived_at is None:
            raise UserError(N_("Deal #{number} is not archived."), number=number)
        deal.archived_at, deal.archived_by = None, None
        deal.updated_at, deal.version = now, deal.version + 1
        s.add(deal)
        return card_for(s, team_id, deal)


def _check_manager(s, team_id: str, user_id: str) -> None:
    if not is_manager(s, team_id, user_id):
        raise UserError(N_("Only the team's managers and admins can archive or unarchive a deal."))
