"""Small Block Kit builders and Slack's limits, shared by every view."""

from __future__ import annotations

from bot.i18n import Translator
from domain.stages import stage_label
from domain.text_safety import escape_mrkdwn, neutralised
from models.erase import ERASED

# Slack's documented limits.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_OPTIONS = 100
MAX_MODAL_TITLE = 24
MAX_PLAIN_INPUT = 3000


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Typed text must not turn into mentions, links or reversed lines (domain/text_safety.py)."""
    return escape_mrkdwn(text)


def person(user_id: str, _: Translator) -> str:
    """A mention, or a plain label for someone `salesbot erase-user` erased (not a broken <@erased>)."""
    return _("(erased user)") if user_id == ERASED else f"<@{user_id}>"


# Every text object drops bidi overrides as well, whatever put them there: our own strings never
# hold one, so only typed text loses them.
def plain(text: str, limit: int = 150) -> dict:
    return {"type": "plain_text", "text": clip(neutralised(text), limit), "emoji": True}


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> dict:
    return {"type": "mrkdwn", "text": clip(neutralised(text), limit)}


def section(text: str, accessory: dict | None = None, block_id: str | None = None) -> dict:
    block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def fields(*pairs: tuple[str, str]) -> dict:
    return {"type": "section", "fields": [mrkdwn(f"*{k}*\n{v}", MAX_FIELD_TEXT) for k, v in pairs[:10]]}


def header(text: str) -> dict:
    return {"type": "header", "text": plain(text, 150)}


def context(text: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(text, 3000)]}


def divider() -> dict:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    element = {"type": "button", "text": plain(text, MAX_BUTTON_TEXT), "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element


def actions(elements: list[dict], block_id: str | None = None) -> dict:
    block = {"type": "actions", "elements": elements[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def option(text: str, value: str) -> dict:
    return {"text": plain(text, MAX_OPTION_TEXT), "value": value}


def shown_stage(stage, _: Translator) -> str:
    """A stage's label for mrkdwn: a name the team chose is typed text, escaped like any other."""
    return escape(stage_label(stage, _))


def fit(blocks: list[dict], limit: int, more: dict | None = None) -> list[dict]:
    """Cut a block list to Slack's limit, ending with the "and N more" block when given."""
    if len(blocks) <= limit:
        return blocks
    keep = limit - (1 if more else 0)
    return blocks[:keep] + ([more] if more else [])
