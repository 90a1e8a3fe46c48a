"""Deal cards, deal lists, the pipeline summary and the help text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.i18n import N_, Translator
from domain.refs import CardRef
from domain.stages import reason_label, stage_label
from domain.text_safety import neutralised
from models.tables import OPEN, Deal, Stage
from services.deals import Card, Changed, PipelineRow
from views.archive import archived_line
from views.common import (
    MAX_MESSAGE_BLOCKS,
    MAX_OPTIONS,
    MAX_SECTION_TEXT,
    actions,
    button,
    clip,
    context,
    divider,
    escape,
    fields,
    option,
    person,
    section,
    shown_stage,
)
from views.ids import Action, Block, keyed
from views.next_steps import next_step_button, step_text
from views.nurture import nurture_line
from views.qualify import card_blocks, qualify_button


def ref(deal: Deal) -> str:
    return f"#{deal.number}"


def summary_line(deal: Deal, stage: Stage, _: Translator, now: datetime | None = None) -> str:
    parts = [f"*{ref(deal)}* {escape(clip(deal.name, 80))}"]
    if deal.company:
        parts.append(escape(clip(deal.company, 60)))
    if deal.amount_cents is not None:
        parts.append(_.money(deal.amount_cents, deal.currency))
    parts.append(shown_stage(stage, _))
    if now is not None:
        idle = max(0, (now - deal.last_activity_at).days)
        # TRANSLATORS: a deal acted on less than a day ago, in a one-line summary beside "3d idle".
        parts.append(_("{days}d idle", days=idle) if idle else _("active today"))
    parts.append(person(deal.owner_id, _))
    step = step_text(deal, _, now.date(), limit=80) if now is not None else None
    if step:
        parts.append(_("next: {step}", step=step))
    return " · ".join(parts)


def card_ref(deal: Deal) -> CardRef:
    """Button values carry the stage the card showed, so a stale card cannot act blindly."""
    return CardRef(deal.number, deal.stage_id)


def card_actions(
    deal: Deal, stage: Stage, stages: list[Stage], _: Translator, extra: Sequence[dict] = ()
) -> dict:
    ref = card_ref(deal)
    value = ref.encode()
    targets = [s for s in stages if s.id != deal.stage_id and s.kind == OPEN][:MAX_OPTIONS]
    elements = []
    if targets:
        elements.append(
            {
                "type": "static_select",
                "action_id": Action.DEAL_MOVE,
                "placeholder": {"type": "plain_text", "text": _("Move stage")},
                "options": [option(stage_label(s, _), ref.to(s.id).encode()) for s in targets],
            }
        )
    elements.append(button(_("Edit"), Action.DEAL_EDIT, value))
    elements.append(button(_("Log note"), Action.DEAL_NOTE, value))
    elements.extend(extra)
    if stage.kind == OPEN:
        elements.append(next_step_button(deal, value, _))
        elements.append(button(_("Won"), Action.DEAL_WON, value, style="primary"))
        elements.append(button(_("Lost"), Action.DEAL_LOST, value, style="danger"))
    else:
        elements.append(button(_("Reopen"), Action.DEAL_REOPEN, value))
    return actions(elements, block_id=keyed(Block.DEAL_ACTIONS, deal.number))


def deal_card(card: Card, _: Translator, now: datetime) -> list[dict]:
    deal, stage = card.deal, card.stage
    title = f"*{ref(deal)} {escape(clip(deal.name, 200))}*"
    if deal.company:
        title += f"\n{escape(deal.company)}"
    blocks = [section(title)]
    stage_text = shown_stage(stage, _)
    if stage.kind == OPEN:
        stage_text += f" ({_.percent(stage.probability / 100)})"
    blocks.append(
        fields(
            (_("Amount"), _.money(deal.amount_cents, deal.currency)),
            (_("Stage"), stage_text),
            (_("Owner"), person(deal.owner_id, _)),
            (_("Expected close"), _.date(deal.close_date)),
            (
                _("Last activity"),
                _.relative_day(-max(0, (now.date() - deal.last_activity_at.date()).days)),
            ),
            (_("Created"), _.date(deal.created_at.date())),
        )
    )
    step = step_text(deal, _, now.date())
    if step and stage.kind == OPEN:
        blocks.append(section(_("*Next step:* {step}", step=step)))
    if deal.lost_reason:
        blocks.append(
            section(
                _("*Lost:* {reason}", reason=escape(reason_label(deal.lost_reason_key, deal.lost_reason, _)))
            )
        )
    extra = [nurture_line(deal, _) if stage.kind != OPEN else None, archived_line(deal, _)]
    blocks.extend(context(line) for line in extra if line)
    if deal.notes:
        blocks.append(section(escape(clip(deal.notes, MAX_SECTION_TEXT - 10))))
    if card.bant is not None:
        blocks.extend(card_blocks(card.bant, _, deal.currency))
    if card.notes:
        lines = [
            f"{person(n.user_id, _)} · {_.date(n.at.date())}: {escape(clip(n.text, 300))}" for n in card.notes
        ]
        blocks.append(context(clip("\n".join(lines), 2900)))
    if card.owners:
        moves = [
            _(
                "Reassigned from {old} to {new} · {date}",
                old=person(c.from_user, _),
                new=person(c.to_user, _),
                date=_.date(c.at.date()),
            )
            for c in card.owners
        ]
        blocks.append(context("\n".join(moves)))
    if deal.archived_at is not None:
        return blocks  # shown, not changed: its archived line says how to bring it back
    blocks.append(
        card_actions(deal, stage, card.stages, _, [qualify_button(deal, _)] if stage.kind == OPEN else [])
    )
    return blocks


def deal_list(
    title: str, deals: list[tuple[Deal, Stage]], total: int, _: Translator, now: datetime, empty: str
) -> list[dict]:
    if not deals:
        return [section(f"*{title}*\n{empty}")]
    blocks = [section(f"*{title}*")]
    lines = [summary_line(d, s, _, now) for d, s in deals]
    blocks.extend(chunk(lines))
    if total > len(deals):
        blocks.append(
            context(
                _.n(
                    "…and {count} more. Narrow the list with `/deal list <stage>`.",
                    "…and {count} more. Narrow the list with `/deal list <stage>`.",
                    total - len(deals),
                )
            )
        )
    blocks.append(context(_("Open a deal with `/deal #N`.")))
    return blocks[:MAX_MESSAGE_BLOCKS]


def chunk(lines, limit: int | None = None) -> list[dict]:
    """Lines packed into sections that stay under Slack's 3,000 characters each. With a limit, no
    more lines are read (lines may be a generator) once there are more blocks than that: the caller
    cuts the list to its limit anyway, and a big team's thousands of lines would be made for nothing."""
    blocks, buf = [], ""
    for line in lines:
        if len(buf) + len(line) + 1 > MAX_SECTION_TEXT - 50:
            blocks.append(section(buf))
            buf = ""
            if limit is not None and len(blocks) > limit:
                return blocks
        buf = f"{buf}\n{line}" if buf else line
    if buf:
        blocks.append(section(buf))
    return blocks


def money_list(values: dict[str, int], _: Translator) -> str:
    shown = [_.money(cents, cur) for cur, cents in sorted(values.items()) if cents]
    return " + ".join(shown) if shown else _.money(0, next(iter(values), "EUR"))


def pipeline(title: str, rows: list[PipelineRow], forecast: dict[str, int], _: Translator) -> list[dict]:
    total_count = sum(r.count for r in rows)
    totals: dict[str, int] = {}
    for r in rows:
        for cur, cents in r.values.items():
            totals[cur] = totals.get(cur, 0) + cents
    widest = max((r.count for r in rows), default=0) or 1
    lines = []
    for r in rows:
        bar = "█" * round(8 * r.count / widest) if r.count else "·"
        lines.append(
            f"`{bar:<8}` *{shown_stage(r.stage, _)}* — "
            + _.n("{count} deal", "{count} deals", r.count)
            + f" · {money_list(r.values, _)}"
        )
    blocks = [
        section(f"*{title}*"),
        section("\n".join(lines)),
        divider(),
        fields(
            (_("Open deals"), str(total_count)),
            (_("Pipeline value"), money_list(totals, _)),
            (_("Weighted forecast"), money_list(forecast, _)),
        ),
    ]
    blocks.append(context(_("Weighted forecast = each deal's amount × its stage's win probability.")))
    return blocks


HELP_LINES = [
    ("`/deal`", N_("Open the New deal form.")),
    (
        '`/deal add "Acme renewal" 50k stage:proposal close:2026-12-15 company:Acme`',
        N_("Add a deal in one line."),
    ),
    ("`/deal list [mine|all|stalled|overdue|today|<stage>]`", N_("List deals.")),
    ("`/deal #12`", N_("Show deal #12 with its buttons.")),
    (
        "`/deal find acme renewal`",
        N_("Find deals by name, company or notes; accents and case do not matter."),
    ),
    ("`/deal move #12 negotiation`", N_("Move a deal to another stage.")),
    ("`/deal won #12`", N_("Mark a deal won.")),
    ("`/deal lost #12 [reason]`", N_("Mark a deal lost.")),
    (
        "`/deal reopen #12 [stage]`",
        N_("Reopen a won or lost deal, by default in the stage it was closed from."),
    ),
    ("`/deal note #12 Called the CFO`", N_("Log a note.")),
    (
        "`/deal next #12 Send the proposal due:friday`",
        N_("Set a deal's next step and when it is due; `/deal next #12 done` when it is done."),
    ),
    ("`/deal list overdue|today`", N_("Your next steps that are overdue or due today.")),
    ("`/deal edit #12`", N_("Edit a deal.")),
    ("`/deal reassign #12 @anna`", N_("Give a deal to another rep (its owner, managers and admins).")),
    (
        "`/deal nurture #12 2027-03-01|off`",
        N_("Remind me of a lost deal on that day, to reopen it or let it go."),
    ),
    (
        "`/deal archive|unarchive #12`",
        N_("Take a deal out of the lists and totals, or bring it back (managers)."),
    ),
    ("`/deal qualify #12`", N_("Qualify a lead: I ask about budget, authority, need and timeline in a DM.")),
    ("`/deal language nl|de|en|auto`", N_("Choose the language I speak with you.")),
    (
        "`/deal notify [nudges|reminders on|off, summary daily|off]`",
        N_("Choose your DMs: nudges, reminders, or one daily summary instead."),
    ),
    ("`/pipeline`", N_("The team's pipeline at a glance.")),
    ("`/pipeline team`", N_("Each rep's load, win rate and how their deals move on from each stage.")),
    (
        "`/pipeline settings`",
        N_("Stages, lost reasons, digest, managers, nudge hours, goals (admins and managers)."),
    ),
]


def help_text(_: Translator) -> list[dict]:
    lines = [f"{cmd} — {_(text)}" for cmd, text in HELP_LINES]
    return [
        section("*" + _("What I can do") + "*\n" + "\n".join(lines)),
        context(
            _(
                "Amounts: 50000, 50k, 1.2m, €50.000, 50,000 EUR. Stages match by the start of their name. "
                "Put names with spaces in quotes."
            )
        ),
    ]


def card_message(card: Card, _: Translator, now: datetime, headline: str | None = None) -> dict:
    """A whole message: an optional headline ("Moved to Proposal") above the card."""
    blocks = ([context(headline)] if headline else []) + deal_card(card, _, now)
    text = headline or f"#{card.deal.number} {escape(clip(card.deal.name, 200))}"
    return {"text": neutralised(text), "blocks": blocks[:MAX_MESSAGE_BLOCKS]}


def reopened_text(card: Card, _: Translator) -> str:
    return _(
        "Deal #{number} is reopened in {stage}.", number=card.deal.number, stage=shown_stage(card.stage, _)
    )


def moved_text(changed: Changed, _: Translator) -> str:
    stage = shown_stage(changed.card.stage, _)
    if not changed.changed:
        return _("Deal #{number} is already in {stage}.", number=changed.card.deal.number, stage=stage)
    return _("Deal #{number} moved to {stage}.", number=changed.card.deal.number, stage=stage)


def reassigned_dm(deal: Deal, by: str, _: Translator) -> dict:
    """The new owner's DM: who gave them which deal, and how to open it."""
    text = _(
        "<@{by}> gave you deal #{number} {name}. Open it with `/deal #{number}`.",
        by=by,
        number=deal.number,
        name=escape(clip(deal.name, 200)),
    )
    return {"text": neutralised(text), "blocks": [section(text)]}
