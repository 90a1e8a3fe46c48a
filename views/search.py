"""What a search shows: `/deal find`'s page of deals, and the deal picker with its options."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import N_, Translator
from services.search import Found
from views.common import MAX_MESSAGE_BLOCKS, MAX_OPTIONS, clip, context, escape, option, plain, section
from views.deals import chunk, summary_line
from views.ids import Action, Block

# The deal picker (an external_select): its options come from handlers/search.suggest, anywhere
# it is shown; the Home tab shows it in its own block.
PICKED = N_("Here is deal #{number}.")
OWN_ONLY = N_(
    "You see your own deals here; the team's managers see everyone's. `/pipeline` shows the team's totals."
)


def found_message(found: Found, typed: str, _: Translator, now: datetime) -> dict:
    """The reply to `/deal find <typed>`: the best matches, a hint when there are more."""
    search = escape(clip(typed.strip(), 60))
    title = _('Deals matching "{search}"', search=search)
    if not found.rows:
        text = _('No deal matches "{search}". Try fewer words, or other ones.', search=search)
        blocks = [section(text)]
    else:
        blocks = [section(f"*{title}* ({found.total})")]
        blocks.extend(chunk(summary_line(d, s, _, now) for d, s in found.rows))
        more = found.total - len(found.rows)
        if more > 0:
            blocks.append(
                context(
                    _.n(
                        "…and {count} more. Add a word to narrow the search.",
                        "…and {count} more. Add a word to narrow the search.",
                        more,
                    )
                )
            )
        blocks.append(context(_("Open a deal with `/deal #N`.")))
        text = f"{title} ({found.total})"
    if found.own_only:
        blocks.append(context(_(OWN_ONLY)))
    return {"text": text, "blocks": blocks[:MAX_MESSAGE_BLOCKS]}


def deal_picker(_: Translator, action_id: str = Action.DEAL_PICK) -> dict:
    """A select that searches the deals as the rep types (Slack asks for options after two letters)."""
    return {
        "type": "external_select",
        "action_id": action_id,
        "placeholder": plain(_("Name, company or notes"), 150),
        "min_query_length": 2,
    }


def home_finder(_: Translator) -> dict:
    return section("*" + _("Find a deal") + "*", accessory=deal_picker(_), block_id=Block.HOME_FIND)


def deal_options(found: Found | None) -> dict:
    """The answer to the picker's options request: one option per deal, its number as the value.
    Typed text is shown as plain text here, so it needs no escaping (plain() drops bidi overrides)."""
    rows = found.rows if found else []
    return {
        "options": [
            option(" · ".join(p for p in (f"#{d.number} {d.name}", d.company or "") if p), str(d.number))
            for d, _stage in rows[:MAX_OPTIONS]
        ]
    }
