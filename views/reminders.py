"""The due reminder: the owner's DM about a deal's next step with Done, Snooze and Open deal, the
Snooze modal, and the reminder's line once acted on."""

from __future__ import annotations

from datetime import date, timedelta

from bot.i18n import Translator
from domain.next_steps import MAX_STEP
from domain.reminders import DueStep, ReminderRef
from models.tables import Deal
from views.common import actions, button, clip, context, escape, section
from views.ids import Action, Block, View, keyed
from views.modals import day_picker, input_block, modal

NAME_LIMIT = 120


def reminder(_: Translator, step: DueStep, overdue_since: date | None) -> dict:
    """ "Next step for #12 Acme: call Jan — due today", with the buttons that answer it."""
    what = {"number": step.number, "name": escape(clip(step.name, NAME_LIMIT))}
    what["step"] = escape(clip(step.step, MAX_STEP))
    if overdue_since is None:
        text = _("Next step for #{number} {name}: {step} — due today", **what)
    else:
        text = _(
            "Next step for #{number} {name}: {step} — overdue since {date}",
            date=_.date(overdue_since),
            **what,
        )
    value = ReminderRef(step.number, step.due, step.seq).encode()
    buttons = [
        button(_("Done"), Action.REMINDER_DONE, value, style="primary"),
        button(_("Snooze"), Action.REMINDER_SNOOZE, value),
        button(_("Open deal"), Action.REMINDER_OPEN, value),
    ]
    return {
        "text": text,
        "blocks": [
            section(f":alarm_clock: {text}"),
            actions(buttons, block_id=keyed(Block.REMINDER_ACTIONS, step.number)),
        ],
    }


def snooze_form(_: Translator, deal: Deal, today: date, metadata: str) -> dict:
    """When the step is now due: tomorrow, unless the rep picks another day."""
    until = day_picker(today + timedelta(days=1), _("Pick a date"))
    step = deal.next_step or ""
    blocks = [
        section(f"*#{deal.number}* {escape(clip(deal.name, 200))}\n{escape(clip(step, MAX_STEP))}"),
        input_block(Block.REMINDER_DUE, _("Move the step to"), until),
    ]
    return modal(View.REMINDER_SNOOZE, _("Snooze next step"), _("Snooze"), blocks, metadata, _)


def done(_: Translator) -> str:
    return _("✓ Done. What comes next?")


def snoozed(_: Translator, due: date) -> str:
    return _("💤 Moved to {date}.", date=_.date(due))


def stale(text: str) -> str:
    return f":warning: {text}"


def resolve(blocks: list[dict], number: int, status: str) -> list[dict]:
    """The reminder's blocks with its buttons replaced by what became of the step."""
    ids = (keyed(Block.REMINDER_ACTIONS, number), keyed(Block.REMINDER_OUTCOME, number))
    return [
        {**context(status), "block_id": keyed(Block.REMINDER_OUTCOME, number)}
        if b.get("block_id") in ids
        else b
        for b in blocks
    ]


OVERDUE_LIST_LIMIT = 10  # the steps named one by one; the rest are counted


def overdue_list(_: Translator, steps: list[DueStep]) -> dict:
    """Several overdue steps of one owner, in one DM: each named with the day it was due."""
    text = _.n("You have {count} overdue next step.", "You have {count} overdue next steps.", len(steps))
    lines = [
        _(
            "#{number} {name}: {step} — overdue since {date}",
            number=s.number,
            name=escape(clip(s.name, 60)),  # ten lines stay inside a section's 3,000 characters
            step=escape(clip(s.step, 120)),
            date=_.date(s.due),
        )
        for s in steps[:OVERDUE_LIST_LIMIT]
    ]
    if len(steps) > OVERDUE_LIST_LIMIT:
        more = len(steps) - OVERDUE_LIST_LIMIT
        lines.append(_.n("…and {count} more.", "…and {count} more.", more))
    return {
        "text": text,
        "blocks": [
            section(f":alarm_clock: *{text}*"),
            section("\n".join(f"• {line}" for line in lines)),
            context(
                _("Mark one done or move it with `/deal next #N …`; see them all with `/deal list overdue`.")
            ),
        ],
    }
