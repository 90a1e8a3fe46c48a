"""Telling a deal's new owner who gave it to them: one DM through the outbox, in their language.
Used by `/deal reassign` (services/reassign.py) and the Edit form's owner field (services/deals.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from bot.i18n import Translator
from models.outbox import enqueue
from models.tables import Deal, Team, saved_id
from services.users import writing_to

KIND = "reassigned"
# (deal, who gave it, the new owner's translator) -> the DM {"text", "blocks"}; rendered by views/.
DmView = Callable[[Deal, str, Translator], dict]


def tell_new_owner(session: Session, deal: Deal, by: str, dm: DmView, now: datetime) -> None:
    """In the transaction that changed the owner. The deal's version after the change keys the DM:
    one per change of hands, sent once by the outbox."""
    team = session.get(Team, deal.team_id)
    assert team is not None  # the deal's team_id is a foreign key
    _ = writing_to(session, team, deal.owner_id)
    key = f"reassign:{saved_id(deal)}:{deal.version}"
    enqueue(session, deal.team_id, key, KIND, deal.owner_id, dm(deal, by, _), now)
