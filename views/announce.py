"""The team channel's celebrations: a deal won (who, what, how much, days to close), and a big new deal."""

from __future__ import annotations

from bot.i18n import Translator
from services.announce import Added, Won
from views.common import clip, escape, section, shown_stage

NAME_LIMIT = 200


def _what(_: Translator, deal) -> dict:
    name = escape(clip(deal.name, NAME_LIMIT))
    if deal.company:
        name += f" ({escape(clip(deal.company, NAME_LIMIT))})"
    return {"owner": deal.owner_id, "name": name, "amount": _.money(deal.amount_cents, deal.currency)}


def won(_: Translator, item: Won) -> dict:
    what = _what(_, item.deal)  # worked out before the call: a bare `_` inside _.n loses the plural
    text = _.n(
        "<@{owner}> won {name}: {amount}, closed in {count} day.",
        "<@{owner}> won {name}: {amount}, closed in {count} days.",
        item.days_to_close,
        **what,
    )
    return {"text": text, "blocks": [section(f":tada: {text}")]}


def added(_: Translator, item: Added) -> dict:
    what = dict(_what(_, item.deal), stage=shown_stage(item.stage, _))
    if item.converted:  # the figure that made it big, beside the deal's own
        cents, currency = item.converted
        text = _(
            "<@{owner}> added a big one: {name}, {amount} (about {converted}), in {stage}.",
            converted=_.money(cents, currency),
            **what,
        )
    else:
        text = _("<@{owner}> added a big one: {name}, {amount}, in {stage}.", **what)
    return {"text": text, "blocks": [section(f":rocket: {text}")]}
