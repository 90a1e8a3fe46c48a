"""Nudges: the owner's DM with buttons per deal, the team reminder, escalations, the report on deals
whose owner left, the snooze modal, and the in-place updates of a nudge's deal line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from bot.i18n import Translator
from domain.disqualify import Candidate, LostRef
from domain.next_steps import MISSING, OVERDUE
from domain.nudges import SNOOZE_DATE
from domain.stages import stage_label
from models.tables import OPEN, Deal, Stage, saved_id
from services.nudge_sweep import IdleDeal
from views.common import (
    MAX_MESSAGE_BLOCKS,
    MAX_OPTIONS,
    actions,
    button,
    clip,
    context,
    escape,
    fit,
    option,
    plain,
    section,
    shown_stage,
)
from views.deals import card_ref, chunk
from views.ids import Action, Block, View, keyed
from views.insights import candidate_why
from views.modals import day_picker, input_block, lost_form, modal, note_form, text_input
from views.next_steps import next_step_form

# Each deal with buttons takes two blocks; the rest are listed as lines below them.
BUTTONED_DEALS = 20
# Lines listed in one message at most: a rep reads a hundred, not the 1,400 that Slack's 50 blocks
# hold, and the first sweep of a big team made every line of its 40,000 stalled deals twice (the
# DM and its fallback) for nothing.
LISTED = 100
# The deals of a message any of these views shows: the sweep reads only theirs in full.
SHOWN = BUTTONED_DEALS + LISTED
REASON_MAX = 300


def _title(deal: Deal) -> str:
    title = f"*#{deal.number}* {escape(clip(deal.name, 120))}"
    if deal.company:
        title += f" · {escape(clip(deal.company, 60))}"
    return title


def deal_lines(_: Translator, owner: bool = False) -> Callable[[IdleDeal], str]:
    """One message's deal line maker. What its lines share, a stage's label and "N days idle", is
    made once per message, not once per line: a big team's first sweep writes 11,000 lines."""
    stages: dict[int, str] = {}
    idle: dict[int, str] = {}

    def line(item: IdleDeal) -> str:
        deal, stage_id = item.deal, saved_id(item.stage)
        if stage_id not in stages:
            stages[stage_id] = shown_stage(item.stage, _)
        if item.days not in idle:
            idle[item.days] = _.n("{count} day idle", "{count} days idle", item.days)
        parts = [_title(deal), stages[stage_id], idle[item.days]]
        if deal.amount_cents is not None:
            parts.append(_.money(deal.amount_cents, deal.currency))
        if owner:
            parts.append(f"<@{deal.owner_id}>")
        return " · ".join(parts)

    return line


def step_line(item: IdleDeal, _: Translator) -> str | None:
    """The nudge's one line on a deal with no next step or an overdue one; None when it is fine."""
    deal = item.deal
    if item.step_gap == MISSING:
        return _(":memo: No next step yet: what comes next on this deal? Set one with *Next step*.")
    if item.step_gap == OVERDUE and deal.next_step and deal.next_step_due:
        return _(
            ":memo: Next step overdue since {date}: {step}",
            date=_.date(deal.next_step_due),
            step=escape(clip(deal.next_step, 200)),
        )
    return None


def _refs(items: Sequence[IdleDeal]) -> str:
    refs = ", ".join(f"#{i.deal.number}" for i in items[:10])
    return refs + (" …" if len(items) > 10 else "")


def _lines(
    items: Sequence[IdleDeal], _: Translator, owner: bool, room: int = MAX_MESSAGE_BLOCKS
) -> list[dict]:
    """The first LISTED items' lines in sections: as many as `room` blocks hold, and one block more
    to tell that there are more (fit() then cuts it; past LISTED, an empty one stands for the rest)."""
    line = deal_lines(_, owner)
    blocks = chunk((line(i) for i in items[:LISTED]), limit=room)
    return blocks + [section(" ")] * room if len(items) > LISTED else blocks


def _nudge_actions(item: IdleDeal, stages: list[Stage], _: Translator, labels: dict[int, dict]) -> dict:
    """`labels`: each stage's option text, made once per message (twenty rows of menus share them)."""
    deal, ref = item.deal, card_ref(item.deal)
    value = ref.encode()
    targets = [s for s in stages if s.id != deal.stage_id and s.kind == OPEN][:MAX_OPTIONS]
    elements = [button(_("Log note"), Action.NUDGE_NOTE, value)]
    if targets:
        elements.append(
            {
                "type": "static_select",
                "action_id": Action.NUDGE_MOVE,
                "placeholder": plain(_("Move stage"), 150),
                "options": [{"text": labels[saved_id(s)], "value": ref.to(s.id).encode()} for s in targets],
            }
        )
    elements.append(button(_("Next step"), Action.NUDGE_NEXT_STEP, value))
    elements.append(button(_("Snooze"), Action.NUDGE_SNOOZE, value))
    elements.append(button(_("Mark lost"), Action.NUDGE_LOST, value, style="danger"))
    return actions(elements, block_id=keyed(Block.NUDGE_ACTIONS, deal.number))


def candidate_blocks(_: Translator, listed: list[Candidate]) -> list[dict]:
    """The owner's disqualify candidates (services/candidates.IN_NUDGE at most), each with a Mark lost
    that opens the Lost form with its reason prefilled."""
    if not listed:
        return []
    blocks = [section("*" + _("Worth disqualifying?") + "*")]
    for c in listed:
        parts = [f"*#{c.deal.number}* {escape(clip(c.deal.name, 120))}"]
        if c.deal.cents is not None:
            parts.append(_.money(c.deal.cents, c.deal.currency))
        line = " · ".join([*parts, candidate_why(c, _)])
        ref = LostRef(c.deal.number, c.reason_key).encode()
        blocks.append(
            section(
                line,
                accessory=button(_("Mark lost"), Action.NUDGE_CANDIDATE_LOST, ref, style="danger"),
                block_id=keyed(Block.NUDGE_CANDIDATE, c.deal.number),
            )
        )
    return blocks


def owner_nudge(
    _: Translator, items: Sequence[IdleDeal], stages: list[Stage], candidates: list[Candidate] | None = None
) -> dict:
    """The owner's DM: one line and a row of buttons per deal, newest stall last; then the owner's
    disqualify candidates, if any."""
    if len(items) == 1:
        headline = _(
            "Deal #{number} has stalled: no activity for longer than its stage allows.",
            number=items[0].deal.number,
        )
    else:
        headline = _(
            "{count} of your deals have stalled: no activity for longer than their stage allows.",
            count=len(items),
        )
    blocks = [section(f"*{headline}*")]
    labels = {saved_id(s): option(stage_label(s, _), "")["text"] for s in stages}
    buttoned = deal_lines(_)
    for item in items[:BUTTONED_DEALS]:
        line, step = buttoned(item), step_line(item, _)
        text = f"{line}\n{step}" if step else line
        blocks.append(section(text, block_id=keyed(Block.NUDGE_DEAL, item.deal.number)))
        blocks.append(_nudge_actions(item, stages, _, labels))
    blocks.extend(candidate_blocks(_, candidates or []))
    rest = items[BUTTONED_DEALS:]
    if rest:
        blocks.append(section("*" + _.n("And {count} more:", "And {count} more:", len(rest)) + "*"))
        blocks.extend(_lines(rest, _, owner=False, room=MAX_MESSAGE_BLOCKS - 1 - len(blocks)))
    footer = context(_("Acting on a deal resets its clock. Open any deal with `/deal #N`."))
    blocks = fit(
        blocks, MAX_MESSAGE_BLOCKS - 1, context(_("…and more. See them all with `/deal list stalled`."))
    )
    return {"text": f"{headline} {_refs(items)}", "blocks": blocks + [footer]}


def team_reminder(_: Translator, items: Sequence[IdleDeal]) -> dict:
    headline = _.n(
        "{count} deal has stalled. Its owner has a DM with buttons to act on it.",
        "{count} deals have stalled. Their owners have a DM with buttons to act on them.",
        len(items),
    )
    blocks = [section(f":hourglass: *{headline}*"), *_lines(items, _, owner=True)]
    more = context(_("…and more. See them all with `/deal list stalled`."))
    return {"text": f"{headline} {_refs(items)}", "blocks": fit(blocks, MAX_MESSAGE_BLOCKS, more)}


def escalation(_: Translator, items: Sequence[IdleDeal]) -> dict:
    headline = _.n(
        "{count} deal has been idle for more than twice its stage's limit.",
        "{count} deals have been idle for more than twice their stage's limit.",
        len(items),
    )
    blocks = [
        section(f":rotating_light: *{headline}*"),
        *_lines(items, _, owner=True),
        context(_("Their owners were nudged. A word from you may get them moving.")),
    ]
    more = context(_("…and more. See them all with `/deal list stalled`."))
    return {"text": f"{headline} {_refs(items)}", "blocks": fit(blocks, MAX_MESSAGE_BLOCKS, more)}


def orphan_report(_: Translator, owner_id: str, items: Sequence[IdleDeal]) -> dict:
    """For the team's channel when the owner has left the workspace and cannot be nudged."""
    headline = _(
        "<@{owner}> is no longer in the workspace, so I could not nudge them about these stalled "
        "deals. Give them a new owner with `/deal edit #N`.",
        owner=owner_id,
    )
    blocks = [section(f":warning: {headline}"), *_lines(items, _, owner=False)]
    more = context(_("…and more. See them all with `/deal list stalled`."))
    return {"text": f"{headline} {_refs(items)}", "blocks": fit(blocks, MAX_MESSAGE_BLOCKS, more)}


# -- modals -------------------------------------------------------------------------------------


def snooze_form(_: Translator, deal: Deal, metadata: str) -> dict:
    presets = [option(_("3 days"), "3d"), option(_("1 week"), "1w"), option(_("Until a date"), SNOOZE_DATE)]
    until = day_picker(placeholder=_("Pick a date"))
    blocks = [
        section(_title(deal)),
        input_block(
            Block.NUDGE_SNOOZE_FOR,
            _("Snooze for"),
            {
                "type": "static_select",
                "action_id": Action.VALUE,
                "options": presets,
                "initial_option": presets[0],
            },
        ),
        input_block(
            Block.NUDGE_SNOOZE_UNTIL,
            _("Until"),
            until,
            optional=True,
            hint=_("A date you pick here wins over the choice above."),
        ),
        input_block(
            Block.NUDGE_SNOOZE_REASON,
            _("Why"),
            text_input(None, REASON_MAX, placeholder=_("Client is on holiday")),
            optional=True,
        ),
    ]
    return modal(
        View.NUDGE_SNOOZE, _("Snooze deal #{number}", number=deal.number), _("Snooze"), blocks, metadata, _
    )


def note_modal(_: Translator, deal: Deal, metadata: str) -> dict:
    return dict(note_form(_, deal, metadata), callback_id=View.NUDGE_NOTE)


def next_step_modal(_: Translator, deal: Deal, metadata: str) -> dict:
    return dict(next_step_form(_, deal, metadata), callback_id=View.NUDGE_NEXT_STEP)


def lost_modal(_: Translator, deal: Deal, reasons, metadata: str, reason: str | None = None) -> dict:
    """`reason`: a lost reason key to prefill (a disqualify candidate's)."""
    return dict(lost_form(_, deal, reasons, metadata, reason), callback_id=View.NUDGE_LOST)


# -- a deal line's outcome, shown in place of its buttons ---------------------------------------


def noted(_: Translator) -> str:
    return _("✓ Note logged.")


def step_set(_: Translator) -> str:
    return _("✓ Next step set.")


def moved(_: Translator, stage: Stage) -> str:
    return _("✓ Moved to {stage}.", stage=shown_stage(stage, _))


def marked_lost(_: Translator) -> str:
    return _("✓ Marked lost.")


def snoozed(_: Translator, until: date, reason: str | None) -> str:
    text = _("💤 Snoozed until {date}.", date=_.date(until))
    return f"{text} {escape(clip(reason, REASON_MAX))}" if reason else text


def stale(text: str) -> str:
    return f":warning: {text}"


def resolve_line(blocks: list[dict], number: int, status: str) -> list[dict] | None:
    """The nudge's blocks with deal #number's buttons replaced by what became of it; None when the
    message has no line for that deal."""
    out, found = [], False
    for block in blocks:
        if block.get("block_id") in (keyed(Block.NUDGE_ACTIONS, number), keyed(Block.NUDGE_DONE, number)):
            block, found = {**context(status), "block_id": keyed(Block.NUDGE_DONE, number)}, True
        elif block.get("block_id") in (
            keyed(Block.NUDGE_CANDIDATE, number),
            keyed(Block.NUDGE_CANDIDATE_DONE, number),
        ):
            # the candidate's line keeps its text; the outcome takes its button's place
            text = block.get("text", {}).get("text", "")
            if block.get("block_id", "").startswith(keyed(Block.NUDGE_CANDIDATE_DONE, "")):
                text = text.rsplit("\n", 1)[0]
            block = section(f"{text}\n{status}", block_id=keyed(Block.NUDGE_CANDIDATE_DONE, number))
            found = True
        out.append(block)
    return out if found else None
