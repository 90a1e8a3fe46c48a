"""Closing a deal as lost, for the reason the rep gave: one of the team's list, their own words, or both.

Shared by the card's Lost form (services.deals.lost) and the nudge's (services.nudges.lost), each in
its own transaction, after its own checks.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from bot.i18n import N_, Translator
from domain.errors import UserError
from domain.stages import lost_reason_text, reason_label
from models import deals as deal_queries
from models import nurture as nurture_queries
from models.tables import LOST, Deal, LostReason
from models.teams import lost_reasons


def close_as_lost(
    session: Session,
    team_id: str,
    number: int,
    user_id: str,
    reason_key: str | None,
    details: str | None,
    _: Translator,
    now: datetime,
    expected_stage_id: int | None,
    nurture_on: date | None,
) -> Deal:
    """The deal closed as lost in the caller's transaction (a card's Lost form, a nudge's): for a reason
    from the team's list, the rep's own words (matched to a listed reason when they name one), or both;
    with `nurture_on`, waiting for that day in the same transaction."""
    reasons = lost_reasons(session, team_id)
    chosen = next((r for r in reasons if r.key == reason_key), None) if reason_key else None
    if chosen is None and details:
        chosen = match_reason(reasons, details, _)
        details = None if chosen else details
    if chosen is None and not details:
        raise UserError(N_("Say why the deal was lost."))
    text = lost_reason_text(chosen.text if chosen else None, details)
    deal = deal_queries.close_deal(
        session,
        team_id,
        number,
        LOST,
        user_id,
        now,
        reason=text,
        reason_key=chosen.key if chosen else None,
        expected_stage_id=expected_stage_id,
    )
    if nurture_on is not None:
        nurture_queries.start(session, deal, nurture_on, now)
    return deal


def match_reason(reasons: list[LostReason], text: str, _: Translator) -> LostReason | None:
    folded = text.strip().lower()
    for r in reasons:
        if folded in (r.key.replace("_", " "), r.text.lower(), reason_label(r.key, r.text, _).lower()):
            return r
    return None
