"""A person's choice of DMs: `/deal notify`'s answer and the Home tab's section (the same lines, with
buttons that flip each choice), and the daily summary DM."""

from __future__ import annotations

from bot.i18n import Translator
from domain.preferences import Change, Preferences
from views.common import actions, button, clip, context, header, section
from views.ids import Action, Block

SUMMARY_LINE_LIMIT = 20  # the events named one by one; the rest are counted
SUMMARY_LINE_CHARS = 140  # twenty lines stay inside a section's 3,000 characters


def _lines(_: Translator, p: Preferences) -> str:
    on, off = _("on"), _("off")
    summary = _("one DM a day") if p.summary == "daily" else _("off: one DM per event")
    return "\n".join(
        [
            _("*Nudges* about stalled deals: {state}", state=on if p.nudges else off),
            _("*Reminders* of due next steps: {state}", state=on if p.reminders else off),
            _("*Daily summary*: {state}", state=summary),
        ]
    )


def _buttons(_: Translator, p: Preferences) -> dict:
    flip = lambda on: "off" if on else "on"  # noqa: E731
    return actions(
        [
            button(
                _("Turn nudges off") if p.nudges else _("Turn nudges on"),
                Action.NOTIFY_NUDGES,
                Change("nudges", flip(p.nudges)).encode(),
            ),
            button(
                _("Turn reminders off") if p.reminders else _("Turn reminders on"),
                Action.NOTIFY_REMINDERS,
                Change("reminders", flip(p.reminders)).encode(),
            ),
            button(
                _("One DM per event") if p.summary == "daily" else _("Daily summary instead"),
                Action.NOTIFY_SUMMARY,
                Change("summary", "off" if p.summary == "daily" else "daily").encode(),
            ),
        ],
        block_id=Block.NOTIFY_CHOICES,
    )


def notify_message(_: Translator, p: Preferences, headline: str | None = None) -> dict:
    """`/deal notify`: the choices as they are, with a button for each."""
    title = _("Your DMs from me")
    blocks = [section(f"*{headline or title}*\n{_lines(_, p)}"), _buttons(_, p)]
    blocks.append(
        context(
            _("Or type `/deal notify nudges off`, `/deal notify reminders on`, `/deal notify summary daily`.")
        )
    )
    return {"text": headline or title, "blocks": blocks}


def changed(_: Translator) -> str:
    return _("Saved. Your DMs from now on:")


def home_section(_: Translator, p: Preferences) -> list[dict]:
    """The Home tab's section: the same choices and buttons."""
    return [header(_("Your DMs from me")), section(_lines(_, p)), _buttons(_, p)]


def summary(_: Translator, lines: list[str]) -> dict:
    """The daily summary: what would have come one by one, one line each."""
    text = _.n(
        "Your daily summary: {count} thing to look at.",
        "Your daily summary: {count} things to look at.",
        len(lines),
    )
    # The lines are our own messages' text, escaped already when they were made.
    shown = [f"• {clip(line, SUMMARY_LINE_CHARS)}" for line in lines[:SUMMARY_LINE_LIMIT]]
    if len(lines) > SUMMARY_LINE_LIMIT:
        more = len(lines) - SUMMARY_LINE_LIMIT
        shown.append(_.n("…and {count} more.", "…and {count} more.", more))
    return {
        "text": text,
        "blocks": [
            section(f":sunrise: *{text}*"),
            section("\n".join(shown)),
            context(_("Change what you get with `/deal notify`.")),
        ],
    }
