"""The line under the digest and the forecast that says how their amounts were added up."""

from __future__ import annotations

from bot.i18n import Translator
from domain.conversion import ConvertedAt


def currency_note(converted: ConvertedAt | None, currencies: list[str], _: Translator) -> str | None:
    """None when there is nothing to say: every amount is in one currency."""
    if converted is None:
        if len(currencies) <= 1:
            return None
        return _(
            "Amounts are totalled per currency: no exchange rates are configured, so different "
            "currencies are never added together."
        )
    note = _(
        "Amounts in {currency}, converted at rates of {day}: open deals at today's rate, "
        "won and lost deals at the rate of the day each closed.",
        currency=converted.currency,
        day=_.date(converted.day) if converted.day else "–",
    )
    if converted.missing:
        note += " " + _(
            "Left out of the sums, no rate: {currencies}.", currencies=", ".join(converted.missing)
        )
    return note
